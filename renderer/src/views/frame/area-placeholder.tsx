import { EmptyState } from '../../components/empty-state.js';
import { PageHeader } from '../../components/page-header.js';
import type { ViewDef } from '../registry.js';

/** An area whose screens are not built yet: say what it is for, honestly. */
export function AreaPlaceholder({ view }: { view: ViewDef }) {
  return (
    <div className="page">
      <PageHeader title={view.label} />
      <div className="page__body page__body--center">
        <EmptyState icon={view.icon} title={`No ${view.label.toLowerCase()} yet`}>
          <p>{view.purpose}</p>
          <p className="empty__note">This area opens in a coming version of Custos. Everything done elsewhere is already recorded in the ledger.</p>
        </EmptyState>
      </div>
    </div>
  );
}
