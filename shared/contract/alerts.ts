import { z } from 'zod';
import { LEDGER_READERS, type Role } from '../roles.js';
import type { ReadClassMap } from '../data-classes.js';
import { channel } from './define.js';
import { entityId, longText, shortText } from './ferpa-common.js';
import { INCIDENT_SEVERITIES } from './incidents.js';
import { listRequest, listResponse } from './list.js';

/**
 * Alerts from the ledger (issue 13, item 4; seed 000's real-time monitoring with alert rules and
 * anomaly detection). Rules over the event stream, with their thresholds as policy in
 * resources/policies/alerts.json, fire at most one alert per rule per user per window; an alert is
 * acknowledged with a note or escalated into an incident.
 */
export const ALERT_RULES = ['failed_sign_ins', 'denied_calls', 'export_volume', 'bulk_record_views', 'outside_working_hours'] as const;
export type AlertRule = (typeof ALERT_RULES)[number];
export const ALERT_RULE_LABELS: Record<AlertRule, string> = {
  failed_sign_ins: 'Burst of failed sign-ins',
  denied_calls: 'Burst of denied calls',
  export_volume: 'Export volume above baseline',
  bulk_record_views: 'Record views in bulk',
  outside_working_hours: 'Activity outside working hours',
};
/** open → acknowledged (with a note) | escalated (into an incident); both are final. */
export const ALERT_STATUSES = ['open', 'acknowledged', 'escalated'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
/** Who may acknowledge or escalate an alert. */
export const ALERT_HANDLERS: readonly Role[] = ['admin', 'compliance_officer'];

export const alertSchema = z.object({
  id: z.string(),
  rule: z.enum(ALERT_RULES),
  /** The user the rule counted (the actor of the events; `unknown` for sign-ins with a name that has no account). */
  subject: z.string(),
  windowStart: z.string(),
  windowEnd: z.string(),
  severity: z.enum(INCIDENT_SEVERITIES),
  summary: z.string(),
  /** What was counted in the window when the rule fired (events, or rows for export volume). */
  count: z.number(),
  threshold: z.number(),
  /** Export volume only: the user's own average per window over the baseline days. */
  baseline: z.number().nullable(),
  firstSeq: z.number(),
  triggerSeq: z.number(),
  firedAt: z.string(),
  status: z.enum(ALERT_STATUSES),
  handledBy: z.string().nullable(),
  handledAt: z.string().nullable(),
  note: z.string().nullable(),
  incidentId: z.string().nullable(),
});
export type Alert = z.infer<typeof alertSchema>;

/** One event the rule counted, as the alert's detail lists it. */
export const alertEventSchema = z.object({ seq: z.number(), ts: z.string(), action: z.string(), outcome: z.string(), resourceType: z.string(), resourceId: z.string() });
export type AlertEvent = z.infer<typeof alertEventSchema>;

export const riskScoreSchema = z.object({
  subject: z.string(),
  score: z.number(),
  alerts: z.number(),
  denied: z.number(),
  failedSignIns: z.number(),
  lastAlertAt: z.string().nullable(),
});
export type RiskScore = z.infer<typeof riskScoreSchema>;

const one = z.object({ alert: alertSchema });

export const alertChannels = {
  'alerts.list': channel({
    summary: 'Alerts fired by the rules over the ledger, the most recent activity first, with how far evaluation has read the ledger.',
    access: LEDGER_READERS,
    mutates: false,
    request: listRequest({
      sort: ['window_start', 'fired_at', 'severity', 'rule', 'subject', 'status'],
      defaultSort: 'window_start',
      defaultDir: 'desc',
      filters: { status: z.enum(ALERT_STATUSES).optional(), rule: z.enum(ALERT_RULES).optional() },
    }),
    response: listResponse(alertSchema, { evaluatedThrough: z.number(), head: z.number() }),
  }),
  'alerts.get': channel({
    summary: 'One alert with the events its rule counted (the first 50).',
    access: LEDGER_READERS,
    mutates: false,
    request: z.object({ id: entityId }).strict(),
    response: one.extend({ events: z.array(alertEventSchema), more: z.boolean() }),
  }),
  'alerts.acknowledge': channel({
    summary: 'Acknowledge an open alert with a note saying what was found.',
    access: ALERT_HANDLERS,
    mutates: true,
    request: z.object({ id: entityId, note: longText }).strict(),
    response: one,
  }),
  'alerts.escalate': channel({
    summary: 'Escalate an open alert into a security incident (unauthorized access by default), linked to it.',
    access: ALERT_HANDLERS,
    mutates: true,
    request: z
      .object({
        id: entityId,
        note: longText,
        title: shortText.optional(),
        severity: z.enum(INCIDENT_SEVERITIES).optional(),
      })
      .strict(),
    response: one.extend({ incidentId: z.string() }),
  }),
  'alerts.risk': channel({
    summary: "Each user's risk score over the policy's window: weighted alerts, denied calls and failed sign-ins.",
    access: LEDGER_READERS,
    mutates: false,
    request: z.object({}).strict(),
    response: z.object({ days: z.number(), since: z.string(), items: z.array(riskScoreSchema) }),
  }),
  'alerts.perDay': channel({
    summary: 'Alerts per day by rule over the last days (the Dashboard chart), in the workspace time zone.',
    access: LEDGER_READERS,
    mutates: false,
    request: z.object({ days: z.number().int().min(1).max(366).default(30) }).strict(),
    response: z.object({ days: z.array(z.object({ date: z.string(), counts: z.record(z.string(), z.number()) })), total: z.number() }),
  }),
};

/**
 * What the read channels of this file answer, by data class: who did what is a security detail naming
 * staff. Only roles that see every class read alerts, so the search box needs no class of its own.
 */
export const alertReadClasses: ReadClassMap<typeof alertChannels> = {
  'alerts.list': {
    security: ['items.*.subject', 'items.*.summary', 'items.*.note'],
    personal: ['items.*.subject', 'items.*.summary', 'items.*.handledBy'],
  },
  'alerts.get': {
    security: ['alert.subject', 'alert.summary', 'alert.note', 'events.*.resourceId'],
    personal: ['alert.subject', 'alert.summary', 'alert.handledBy'],
  },
  'alerts.risk': { security: ['items.*.subject'], personal: ['items.*.subject'] },
  'alerts.perDay': {},
};
