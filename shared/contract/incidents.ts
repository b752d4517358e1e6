import { z } from 'zod';
import { ANY_ROLE, CASE_WORKERS } from '../roles.js';
import type { ReadClassMap } from '../data-classes.js';
import { channel } from './define.js';
import { exportedFileSchema } from './files.js';
import { dateInput, entityId, longText, shortText } from './ferpa-common.js';
import { listRequest, listResponse } from './list.js';

/**
 * Security incidents (seed 000's SecurityIncident; seed 002's incident response plan). An incident
 * classified as a data breach starts the 1/24/72-hour clock of resources/policies/breach-clock.json
 * at its discovery time: one task per step, each due on the Deadlines list and the Dashboard.
 */
export const INCIDENT_CLASSIFICATIONS = ['data_breach', 'unauthorized_access', 'phishing', 'malware', 'lost_device', 'denial_of_service', 'other'] as const;
export type IncidentClassification = (typeof INCIDENT_CLASSIFICATIONS)[number];
export const INCIDENT_CLASSIFICATION_LABELS: Record<IncidentClassification, string> = {
  data_breach: 'Data breach',
  unauthorized_access: 'Unauthorized access',
  phishing: 'Phishing',
  malware: 'Malware',
  lost_device: 'Lost or stolen device',
  denial_of_service: 'Denial of service',
  other: 'Other',
};
export const INCIDENT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
/** open → contained → closed (or open → closed); a closed incident takes no more work. */
export const INCIDENT_STATUSES = ['open', 'contained', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export const INCIDENT_TASK_STATES = ['open', 'done', 'not_applicable'] as const;
/** What an incident can be linked to. */
export const INCIDENT_LINK_TYPES = ['case', 'evidence', 'hold'] as const;
/** Who was told of the incident. */
export const NOTIFICATION_RECIPIENT_TYPES = ['student', 'parent', 'department_of_education', 'it_security', 'legal_counsel', 'law_enforcement', 'insurer', 'other'] as const;
export const NOTIFICATION_RECIPIENT_LABELS: Record<(typeof NOTIFICATION_RECIPIENT_TYPES)[number], string> = {
  student: 'Affected student(s)',
  parent: 'Parent(s)',
  department_of_education: 'U.S. Department of Education',
  it_security: 'IT security team',
  legal_counsel: 'Legal counsel',
  law_enforcement: 'Law enforcement',
  insurer: 'Cyber insurer',
  other: 'Other',
};
/** How they were told. */
export const NOTIFICATION_METHODS = ['letter', 'email', 'phone', 'in_person', 'portal', 'other'] as const;

const systemName = z.string().trim().min(1).max(200);
const systemsInput = z.array(systemName).max(50);

export const incidentSchema = z.object({
  id: z.string(),
  title: z.string(),
  classification: z.enum(INCIDENT_CLASSIFICATIONS),
  severity: z.enum(INCIDENT_SEVERITIES),
  status: z.enum(INCIDENT_STATUSES),
  discoveredAt: z.string(),
  description: z.string(),
  systemsAffected: z.array(z.string()),
  ssnExposed: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
  counselReviewedAt: z.string().nullable(),
  counselReviewedBy: z.string().nullable(),
  /** Closing waits for counsel's review (an incident on the breach clock, when the policy asks for it; breach-clock.json `close`). */
  counselReviewRequired: z.boolean(),
  /** The breach clock as of the answer: tasks that apply, done, overdue, and the next due time. */
  clock: z.object({ tasks: z.number(), done: z.number(), overdue: z.number(), nextDueAt: z.string().nullable() }),
});
export type Incident = z.infer<typeof incidentSchema>;

export const incidentTaskSchema = z.object({
  key: z.string(),
  /** Hours after discovery the task is due (1, 24, 72). */
  hours: z.number(),
  phase: z.string(),
  title: z.string(),
  dueAt: z.string(),
  state: z.enum(INCIDENT_TASK_STATES),
  doneAt: z.string().nullable(),
  doneBy: z.string().nullable(),
  note: z.string().nullable(),
  /** Open and past its due time as of the answer. */
  overdue: z.boolean(),
  /** Done after its due time. */
  late: z.boolean(),
});
export type IncidentTask = z.infer<typeof incidentTaskSchema>;

export const incidentNotificationSchema = z.object({
  id: z.string(),
  recipientType: z.enum(NOTIFICATION_RECIPIENT_TYPES),
  recipient: z.string(),
  method: z.enum(NOTIFICATION_METHODS),
  notifiedAt: z.string(),
  recordedBy: z.string(),
  note: z.string(),
});
export type IncidentNotification = z.infer<typeof incidentNotificationSchema>;

/** One entry of the incident's timeline: a response action someone wrote down. */
export const incidentActionSchema = z.object({ id: z.string(), at: z.string(), by: z.string(), text: z.string() });
export type IncidentAction = z.infer<typeof incidentActionSchema>;

export const incidentLinkSchema = z.object({
  itemType: z.enum(INCIDENT_LINK_TYPES),
  itemId: z.string(),
  title: z.string(),
  linkedAt: z.string(),
  linkedBy: z.string(),
});
export type IncidentLink = z.infer<typeof incidentLinkSchema>;

export const incidentDetailSchema = z.object({
  incident: incidentSchema,
  tasks: z.array(incidentTaskSchema),
  notifications: z.array(incidentNotificationSchema),
  actions: z.array(incidentActionSchema),
  links: z.array(incidentLinkSchema),
  counselReviewNote: z.string().nullable(),
});
export type IncidentDetail = z.infer<typeof incidentDetailSchema>;

const id = z.object({ id: entityId });
const one = z.object({ incident: incidentSchema });

export const incidentChannels = {
  'incidents.list': channel({
    summary: 'Security incidents, most recently discovered first, with the state of each breach clock.',
    access: ANY_ROLE,
    mutates: false,
    request: listRequest({
      sort: ['discovered_at', 'id', 'title', 'severity', 'status'],
      defaultSort: 'discovered_at',
      defaultDir: 'desc',
      filters: {
        status: z.enum(INCIDENT_STATUSES).optional(),
        classification: z.enum(INCIDENT_CLASSIFICATIONS).optional(),
      },
    }),
    response: listResponse(incidentSchema),
  }),
  'incidents.get': channel({
    summary: 'One incident with its clock tasks, notifications, response actions and links.',
    access: ANY_ROLE,
    mutates: false,
    request: id,
    response: incidentDetailSchema,
  }),
  'incidents.create': channel({
    summary: 'Record a security incident; a data breach starts the 1/24/72-hour clock from its discovery time.',
    access: CASE_WORKERS,
    mutates: true,
    request: z
      .object({
        title: shortText,
        classification: z.enum(INCIDENT_CLASSIFICATIONS),
        severity: z.enum(INCIDENT_SEVERITIES),
        discoveredAt: dateInput.optional(),
        description: z.string().trim().max(20_000).default(''),
        systemsAffected: systemsInput.default([]),
        ssnExposed: z.boolean().default(false),
        caseId: entityId.optional(),
      })
      .strict(),
    response: one,
  }),
  'incidents.update': channel({
    summary: 'Change an incident: status (open → contained → closed), severity, classification (to a data breach starts the clock), systems, whether SSNs were exposed.',
    access: CASE_WORKERS,
    mutates: true,
    request: z
      .object({
        id: entityId,
        title: shortText.optional(),
        description: z.string().trim().max(20_000).optional(),
        status: z.enum(INCIDENT_STATUSES).optional(),
        severity: z.enum(INCIDENT_SEVERITIES).optional(),
        classification: z.enum(INCIDENT_CLASSIFICATIONS).optional(),
        systemsAffected: systemsInput.optional(),
        ssnExposed: z.boolean().optional(),
      })
      .strict(),
    response: one,
  }),
  'incidents.completeTask': channel({
    summary: 'Mark one task of the breach clock done, with a note of what was done.',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ id: entityId, task: z.string().trim().min(1).max(64), note: longText, doneAt: dateInput.optional() }).strict(),
    response: z.object({ incident: incidentSchema, task: incidentTaskSchema }),
  }),
  'incidents.recordNotification': channel({
    summary: 'Record who was told of the incident, when and how.',
    access: CASE_WORKERS,
    mutates: true,
    request: z
      .object({
        id: entityId,
        recipientType: z.enum(NOTIFICATION_RECIPIENT_TYPES),
        recipient: shortText,
        method: z.enum(NOTIFICATION_METHODS),
        notifiedAt: dateInput.optional(),
        note: z.string().trim().max(20_000).default(''),
      })
      .strict(),
    response: z.object({ notification: incidentNotificationSchema }),
  }),
  'incidents.addAction': channel({
    summary: 'Add a response action to the incident timeline.',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ id: entityId, text: longText, at: dateInput.optional() }).strict(),
    response: z.object({ action: incidentActionSchema }),
  }),
  'incidents.link': channel({
    summary: 'Link the incident to a case, an evidence item or a legal hold.',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ id: entityId, itemType: z.enum(INCIDENT_LINK_TYPES), itemId: entityId }).strict(),
    response: z.object({ link: incidentLinkSchema }),
  }),
  'incidents.counselReview': channel({
    summary: "Record legal counsel's review of the incident response (seed 002: review the process with legal counsel).",
    access: ['legal_counsel'],
    mutates: true,
    request: z.object({ id: entityId, note: longText }).strict(),
    response: one,
  }),
  'incidents.report': channel({
    summary:
      "The incident report as a PDF (date, time, systems, actions, timeline, counsel review), anchored to a freshly signed checkpoint, written to the workspace's exports folder for files.download; ledgered with its SHA-256.",
    access: CASE_WORKERS,
    mutates: true,
    request: id.strict(),
    response: exportedFileSchema.extend({ checkpoint: z.object({ size: z.number(), root: z.string() }) }),
  }),
};

/** What the read channels of this file answer, by data class: free text may name students; recipients are people. */
export const incidentReadClasses: ReadClassMap<typeof incidentChannels> = {
  // Like a case's, an incident's title may name the people in it.
  'incidents.list': { student_record: ['items.*.title', 'items.*.description'], searches: { student_record: ['search'] } },
  'incidents.get': {
    student_record: ['incident.title', 'incident.description', 'links.*.title', 'tasks.*.note', 'actions.*.text', 'notifications.*.note', 'counselReviewNote'],
    personal: ['notifications.*.recipient'],
  },
};
