import { AreaTabs, type AreaTab } from '../../components/area-tabs.js';
import '../cases/casework.css';

const TABS: readonly AreaTab<'requests' | 'scheduled'>[] = [
  ['requests', 'Requests', 'exports'],
  ['scheduled', 'Scheduled', 'exports/scheduled'],
];

/** The two halves of Exports: the requests (each run, with its hash), and the schedules that make them. */
export function ExportTabs({ current }: { current: 'requests' | 'scheduled' }) {
  return <AreaTabs label="Exports" tabs={TABS} current={current} />;
}
