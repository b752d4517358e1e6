import type { WorkflowTemplateInfo } from '../../../../shared/contract/workflows.js';
import type { Tone } from '../../components/badge.js';

export const STATE_TONES: Record<string, Tone> = { open: 'accent', completed: 'ok', cancelled: 'neutral' };
export const STEP_TONES: Record<string, Tone> = { pending: 'neutral', done: 'ok', skipped: 'warn' };

/** "Every quarter, due on its last day" and the like, for a template's recurrence. */
export function recurrenceText(t: Pick<WorkflowTemplateInfo, 'recurrence' | 'defaultDueDays'>): string {
  const r = t.recurrence;
  if (r.every === 'monthly') return 'Every month, due on its last day';
  if (r.every === 'quarterly') return 'Every quarter, due on its last day';
  if (r.every === 'yearly') {
    const day = new Date(Date.UTC(2001, r.month - 1, r.day)).toLocaleDateString('en-GB', { month: 'long', day: 'numeric', timeZone: 'UTC' });
    return `Every year, due ${day}${r.opensDaysBefore ? `; opens ${r.opensDaysBefore} days before` : ''}`;
  }
  return `Started by hand; due ${t.defaultDueDays} days after it starts`;
}

/** A step's data value as text. */
export function valueText(v: string | number | boolean): string {
  return typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v);
}
