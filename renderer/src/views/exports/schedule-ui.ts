import type { ExportSchedule, ScheduleRun } from '../../../../shared/contract/schedules.js';
import type { Tone } from '../../components/badge.js';
import { formatShort } from '../../lib/format.js';

/** Words for schedules on the Exports screen. */

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${s}`;
}

/** "Every day at 07:00", "Every Monday at 08:00", "Monthly on the 31st (or the month's last day) at 06:30". */
export function cadenceWords(s: Pick<ExportSchedule, 'cadence' | 'weekday' | 'monthDay' | 'timeOfDay'>): string {
  if (s.cadence === 'daily') return `Every day at ${s.timeOfDay}`;
  if (s.cadence === 'weekly') return `Every ${WEEKDAYS[(s.weekday ?? 1) - 1]} at ${s.timeOfDay}`;
  const day = s.monthDay ?? 1;
  return `Monthly on the ${ordinal(day)}${day > 28 ? " (or the month's last day)" : ''} at ${s.timeOfDay}`;
}

export const APPROVAL_LABELS: Record<ExportSchedule['approval'], string> = {
  'not-required': 'Not needed',
  pending: 'Awaiting approval',
  approved: 'Approved',
};

/** The same, short enough for a list column. */
export const APPROVAL_SHORT: Record<ExportSchedule['approval'], string> = {
  'not-required': 'Not needed',
  pending: 'Pending',
  approved: 'Approved',
};

export const APPROVAL_TONES: Record<ExportSchedule['approval'], Tone> = {
  'not-required': 'neutral',
  pending: 'warn',
  approved: 'ok',
};

/** How a run ended, in words and a tone. */
export function runResult(r: ScheduleRun): { label: string; tone: Tone } {
  if (r.kind === 'skipped') return { label: `${r.missed} missed, skipped`, tone: 'neutral' };
  if (r.kind === 'failed' || r.requestStatus === 'failed') return { label: 'Failed', tone: 'danger' };
  if (r.requestStatus === 'executed') return { label: 'Written', tone: 'ok' };
  return { label: 'Running', tone: 'accent' };
}

/** "03 Dec, 07:00" for a moment to come (formatShort's date form; its "in N min" form is for the past). */
export function formatUpcoming(iso: string): string {
  return formatShort(iso, new Date(iso).getTime() + 3_600_000);
}
