import type { RetentionPolicy } from '../../../../shared/contract/retention.js';

/** "7 years", "18 months", "2 weeks", or "Permanently". */
export function periodLabel(p: Pick<RetentionPolicy, 'periodValue' | 'periodUnit'>): string {
  if (p.periodValue === null || p.periodUnit === null) return 'Permanently';
  const unit = p.periodValue === 1 ? p.periodUnit.replace(/s$/, '') : p.periodUnit;
  return `${p.periodValue} ${unit}`;
}

export const ACTION_LABELS = { archive: 'Archive', delete: 'Delete' } as const;
export const ACTION_TONES = { archive: 'accent', delete: 'warn' } as const;
export const CLASSIFICATION_LABELS = { public: 'Public', internal: 'Internal', confidential: 'Confidential', restricted: 'Restricted' } as const;
export const TRIGGER_LABELS = { manual: 'run from this screen', cli: 'run from the command line', schedule: 'daily schedule', unlock: 'caught up at sign-in' } as const;
