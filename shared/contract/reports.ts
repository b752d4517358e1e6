import { z } from 'zod';
import type { ReadClassMap } from '../data-classes.js';
import type { Role } from '../roles.js';
import { jobId } from './core.js';
import { channel } from './define.js';
import { listRequest, listResponse } from './list.js';
import { isoDate } from './paging.js';

/** Who produces and reads the pre-built reports: those who run the program, and auditors (they read, never change). */
export const REPORT_ROLES: readonly Role[] = ['admin', 'compliance_officer', 'legal_counsel', 'auditor'];

/** The frameworks a report belongs to; `operations` are seed 002's review views, which serve them all. */
export const REPORT_FRAMEWORKS = ['GDPR', 'FERPA', 'HIPAA', 'SOX', 'CCPA', 'PCI DSS', 'Operations'] as const;
export type ReportFramework = (typeof REPORT_FRAMEWORKS)[number];

export const REPORT_KIND_IDS = [
  'gdpr-art30',
  'gdpr-dsr',
  'ferpa-annual',
  'hipaa-disclosures',
  'hipaa-audit-controls',
  'sox-itgc',
  'ccpa-requests',
  'pci-req10',
  'records-expiring',
  'actions-30d',
  'unauthorized-attempts',
] as const;
export type ReportKindId = (typeof REPORT_KIND_IDS)[number];

export const reportKindSchema = z.object({
  id: z.enum(REPORT_KIND_IDS),
  title: z.string(),
  framework: z.enum(REPORT_FRAMEWORKS),
  /** The regulation's own reference(s) the report serves. */
  reference: z.string(),
  description: z.string(),
  /** The period a report covers when none is given: the last N days up to today. */
  defaultDays: z.number(),
});
export type ReportKind = z.infer<typeof reportKindSchema>;

/** The pre-built reports, in the order the screen and `custos report --list` show them. */
export const REPORT_KINDS: readonly ReportKind[] = [
  {
    id: 'gdpr-art30',
    title: 'Record of processing activities',
    framework: 'GDPR',
    reference: 'GDPR Art. 30(1)',
    description: 'The categories of data subjects and personal data held, recipients by legal basis, retention periods and the technical measures that protect them.',
    defaultDays: 365,
  },
  {
    id: 'gdpr-dsr',
    title: 'Data-subject requests',
    framework: 'GDPR',
    reference: 'GDPR Art. 12(3), 15–21',
    description: 'Data-subject requests from the Requests register per right, answered by their due date (one month, or as extended), erasures and directory opt-outs in the period.',
    defaultDays: 365,
  },
  {
    id: 'ferpa-annual',
    title: 'Annual report',
    framework: 'FERPA',
    reference: '34 CFR 99.10, 99.20, 99.32, 99.37',
    description: 'Disclosures by basis, amendment requests and their timing, access requests against 45 days, and directory-information opt-outs.',
    defaultDays: 365,
  },
  {
    id: 'hipaa-disclosures',
    title: 'Accounting of disclosures',
    framework: 'HIPAA',
    reference: '45 CFR 164.528',
    description: 'Every disclosure recorded in the period with its date, recipient, basis and purpose, and the totals per basis.',
    defaultDays: 365,
  },
  {
    id: 'hipaa-audit-controls',
    title: 'Audit-control review',
    framework: 'HIPAA',
    reference: '45 CFR 164.312(b), 164.308(a)(1)(ii)(D)',
    description: 'Activity recorded in the period by outcome, refused actions per user, ledger verifications and signed checkpoints.',
    defaultDays: 90,
  },
  {
    id: 'sox-itgc',
    title: 'IT general controls review',
    framework: 'SOX',
    reference: 'SOX §404 ITGC (access, change management)',
    description: 'Users and roles as of generation, privileged actions, export approvals with separation of duties, and changes in the period.',
    defaultDays: 90,
  },
  {
    id: 'ccpa-requests',
    title: 'Consumer requests',
    framework: 'CCPA',
    reference: 'Cal. Civ. Code §1798.100–130; 11 CCR §7102',
    description: 'Consumer requests from the Requests register per right: received, complied with, denied and median days to respond (11 CCR §7102), against each due date (45 days, or as extended); deletions and opt-outs.',
    defaultDays: 365,
  },
  {
    id: 'pci-req10',
    title: 'Requirement 10 log review',
    framework: 'PCI DSS',
    reference: 'PCI DSS v4.0 10.2–10.7',
    description: 'Audit-log events by type, access to the logs, invalid access attempts, administrative actions, log integrity checks and retention.',
    defaultDays: 30,
  },
  {
    id: 'records-expiring',
    title: 'Records expiring',
    framework: 'Operations',
    reference: 'Records schedule: 7-year retention check',
    description: 'Active records whose retention period ends on or before the end of the period, oldest first, with those already past it.',
    defaultDays: 90,
  },
  {
    id: 'actions-30d',
    title: 'Actions per type',
    framework: 'Operations',
    reference: 'FERPA policy: access pattern analysis',
    description: 'Every action recorded in the period (30 days unless chosen), by type and outcome.',
    defaultDays: 30,
  },
  {
    id: 'unauthorized-attempts',
    title: 'Unauthorized attempts per user',
    framework: 'Operations',
    reference: 'FERPA policy: monthly review of unauthorized access',
    description: 'Refused actions and failed sign-ins in the period, per user, with the actions they tried.',
    defaultDays: 30,
  },
];

/** One generated report, as its `reports.generate` ledger event records it. */
export const generatedReportSchema = z.object({
  /** The seq of the ledger event that recorded it. */
  seq: z.number(),
  kind: z.enum(REPORT_KIND_IDS),
  title: z.string(),
  framework: z.enum(REPORT_FRAMEWORKS),
  from: z.string(),
  to: z.string(),
  /** Its name in the workspace's exports folder (hand it over with files.download). */
  fileName: z.string(),
  sha256: z.string(),
  bytes: z.number(),
  pages: z.number(),
  /** The signed tree head the report is anchored to: its figures cover the ledger up to this size. */
  checkpointSize: z.number(),
  checkpointRoot: z.string(),
  keyId: z.string(),
  generatedBy: z.string(),
  generatedAt: z.string(),
});
export type GeneratedReport = z.infer<typeof generatedReportSchema>;

export const reportChannels = {
  'reports.kinds': channel({
    summary: 'The pre-built compliance reports: each kind with its title, framework, regulation reference, description and default period.',
    access: REPORT_ROLES,
    mutates: false,
    request: z.object({}),
    response: z.object({ kinds: z.array(reportKindSchema) }),
  }),
  'reports.generate': channel({
    summary:
      "Make a pre-built report as a PDF anchored to a checkpoint signed now (its size and root printed), write it to the workspace's exports folder and ledger its SHA-256.",
    access: REPORT_ROLES,
    mutates: true,
    job: 'long',
    request: z.strictObject({
      kind: z.enum(REPORT_KIND_IDS),
      /** First day of the period (UTC), default: the kind's default period before `to`. */
      from: isoDate.optional(),
      /** Last day of the period (UTC), default today. */
      to: isoDate.optional(),
      jobId: jobId.optional(),
    }),
    response: z.object({ report: generatedReportSchema }),
  }),
  'reports.list': channel({
    summary: 'The reports generated in this workspace, newest first, with their hash, period and the checkpoint each is anchored to.',
    access: REPORT_ROLES,
    mutates: false,
    request: listRequest({
      sort: ['generated_at', 'kind'],
      defaultSort: 'generated_at',
      defaultDir: 'desc',
      filters: { kind: z.enum(REPORT_KIND_IDS).optional() },
    }),
    response: listResponse(generatedReportSchema),
  }),
};

/** What the read channels of this file answer, by data class: usernames are how the ledger names actors (operational). */
export const reportReadClasses: ReadClassMap<typeof reportChannels> = {
  'reports.kinds': {},
  'reports.list': {},
};
