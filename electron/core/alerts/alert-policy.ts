import type { AlertRule } from '../../../shared/contract/alerts.js';
import type { IncidentSeverity } from './severity.js';
import { loadPolicy } from '../policy.js';

/** A rule that counts events in a window and fires at `threshold`. */
export interface CountRule {
  windowMinutes: number;
  threshold: number;
  severity: IncidentSeverity;
}

/** resources/policies/alerts.json. */
export interface AlertPolicy {
  rules: {
    failed_sign_ins: CountRule;
    denied_calls: CountRule;
    /** Rows exported in a window: fires at `minRows` or more when above `factor` × the user's own average window over `baselineDays`. */
    export_volume: { windowMinutes: number; minRows: number; baselineDays: number; factor: number; severity: IncidentSeverity };
    bulk_record_views: CountRule;
    outside_working_hours: CountRule & { actions: string[] };
  };
  /** Hours [start, end) of the ISO weekdays `days` (1 = Monday), in the workspace time zone. */
  workingHours: { start: number; end: number; days: number[] };
  riskDays: number;
  riskWeights: { alert: Record<IncidentSeverity, number>; denied: number; failedSignIn: number };
  batchSize: number;
}

/** The alert policy (resources/policies/alerts.json). */
export function alertPolicy(): AlertPolicy {
  return loadPolicy<AlertPolicy>('alerts');
}

/** A rule's window in milliseconds. */
export function windowMs(policy: AlertPolicy, rule: AlertRule): number {
  return policy.rules[rule].windowMinutes * 60_000;
}
