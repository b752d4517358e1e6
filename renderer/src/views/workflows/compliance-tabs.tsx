import { AreaTabs, type AreaTab } from '../../components/area-tabs.js';
import '../cases/casework.css';

const TABS: readonly AreaTab<'requirements' | 'workflows'>[] = [
  ['requirements', 'Frameworks and requirements', 'compliance'],
  ['workflows', 'Workflows', 'compliance/workflows'],
];

/** The two halves of the Compliance area: the frameworks and their requirements, and the workflows that do the work. */
export function ComplianceTabs({ current }: { current: 'requirements' | 'workflows' }) {
  return <AreaTabs label="Compliance" tabs={TABS} current={current} />;
}
