import type { ReactNode } from 'react';
import { Icon, type IconName } from './icons.js';

/** An empty screen says what it is for and, when there is one, offers the first action. */
export function EmptyState({ icon, title, children, action }: { icon: IconName; title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty">
      <div className="empty__icon">
        <Icon name={icon} size={24} />
      </div>
      <h2 className="empty__title">{title}</h2>
      <div className="empty__body">{children}</div>
      {action}
    </div>
  );
}
