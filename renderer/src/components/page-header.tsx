import type { ReactNode } from 'react';
import { Icon, type IconName } from './icons.js';

/**
 * A screen's title and what it is for, anything that belongs under them (`children`, e.g. tabs),
 * and its actions on the right. `actions` that are present but empty (a role that may not act)
 * still keep their place.
 */
export function PageHeader({ title, subtitle, tight, actions, children }: { title: string; subtitle?: ReactNode; tight?: boolean; actions?: ReactNode; children?: ReactNode }) {
  return (
    <header className={tight ? 'page__header page__header--tight' : 'page__header'}>
      <div>
        <h1 className="page__title">{title}</h1>
        {subtitle !== undefined && <p className="page__subtitle">{subtitle}</p>}
        {children}
      </div>
      {actions !== undefined && <div className="page__actions">{actions}</div>}
    </header>
  );
}

/** A button of a page header: an icon and a few words; `primary` for the screen's main action. */
export function HeaderButton({ icon, primary, onClick, disabled, children }: { icon: IconName; primary?: boolean; onClick: () => void; disabled?: boolean; children: ReactNode }) {
  return (
    <button type="button" className={primary ? 'btn btn--primary' : 'btn'} onClick={onClick} disabled={disabled}>
      <Icon name={icon} size={14} />
      {children}
    </button>
  );
}
