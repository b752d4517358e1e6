import type { ComponentType } from 'react';
import type { Role } from '../../../../shared/roles.js';

/**
 * Cards that domain areas add to the dashboard (like the view registry, one entry each).
 * A card with `slot: 'due'` takes the place of the "Due and at risk" placeholder; the others
 * appear below the ledger cards, in this order. Each card renders its own <section class="card">.
 */
export interface DashboardCard {
  id: string;
  slot: 'due' | 'extra';
  roles?: readonly Role[];
  component: ComponentType;
}

export const DASHBOARD_CARDS: DashboardCard[] = [];

export function cardsFor(role: Role, slot: DashboardCard['slot']): DashboardCard[] {
  return DASHBOARD_CARDS.filter((c) => c.slot === slot && (!c.roles || c.roles.includes(role)));
}
