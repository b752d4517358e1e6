import type { ReactNode } from 'react';

/**
 * The head of a card: its title (the id the card's `aria-labelledby` names), an optional line under
 * it, and whatever belongs at its right (a count, a badge, a button) as children.
 */
export function CardHeader({ id, title, subtitle, children }: { id: string; title: ReactNode; subtitle?: ReactNode; children?: ReactNode }) {
  return (
    <div className="card__header">
      <div>
        <h2 className="card__title" id={id}>
          {title}
        </h2>
        {subtitle !== undefined && subtitle !== null && <p className="card__subtitle">{subtitle}</p>}
      </div>
      {children}
    </div>
  );
}
