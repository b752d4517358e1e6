import type { ReactNode } from 'react';
import { Icon, type IconName } from './icons.js';

const ICONS: Record<string, IconName> = { error: 'alert', warn: 'alert', info: 'info', ok: 'check' };

/** An inline message. Errors are announced to screen readers at once (role="alert"). */
export function Alert({ kind, children, id }: { kind: 'error' | 'warn' | 'info' | 'ok'; children: ReactNode; id?: string }) {
  return (
    <div id={id} className={`alert alert--${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      <Icon name={ICONS[kind] ?? 'info'} />
      <div>{children}</div>
    </div>
  );
}
