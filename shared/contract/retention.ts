import { z } from 'zod';
import type { ReadClassMap } from '../data-classes.js';
import { ANY_ROLE, LEDGER_READERS, type Role } from '../roles.js';
import { channel } from './define.js';

/** What the sweep does with a record once its category's period has run out. */
export const RETENTION_ACTIONS = ['archive', 'delete'] as const;
export type RetentionAction = (typeof RETENTION_ACTIONS)[number];
/** Seed 001's data classification levels a policy applies to. */
export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;
/** Seed 001's retention units. */
export const PERIOD_UNITS = ['days', 'weeks', 'months', 'years'] as const;
export type PeriodUnit = (typeof PERIOD_UNITS)[number];
/** What started a sweep: the Retention screen (manual), the command line, the 02:00 schedule, or the catch-up at unlock. */
export const SWEEP_TRIGGERS = ['manual', 'cli', 'schedule', 'unlock'] as const;

/** Who may change a retention policy: administrators only (issue 12.1). */
export const RETENTION_ADMINS: readonly Role[] = ['admin'];
/** Who may be the second person for a shorter audit-log period. */
export const AUDIT_LOG_APPROVERS: readonly Role[] = ['admin', 'compliance_officer'];
/** Who may run a sweep now: administrators and compliance officers. */
export const SWEEP_RUNNERS: readonly Role[] = ['admin', 'compliance_officer'];

const categoryKey = z.string().trim().regex(/^[a-z][a-z0-9_]{1,63}$/, 'A record category is a lower-case key such as attendance.');

export const retentionPolicySchema = z.object({
  category: z.string(),
  label: z.string(),
  source: z.string(),
  /** Null with periodUnit null: kept permanently, never swept. */
  periodValue: z.number().int().nullable(),
  periodUnit: z.enum(PERIOD_UNITS).nullable(),
  /** The same period as an ISO 8601 duration (P7Y), or null. */
  period: z.string().nullable(),
  action: z.enum(RETENTION_ACTIONS),
  classification: z.enum(CLASSIFICATIONS),
  /** Always false: a legal hold can never be overridden by a retention policy. */
  legalHoldOverride: z.literal(false),
  erasable: z.boolean(),
  /** True when an administrator changed the shipped default. */
  customized: z.boolean(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type RetentionPolicy = z.infer<typeof retentionPolicySchema>;

export const sweepRunSchema = z.object({
  id: z.string(),
  trigger: z.enum(SWEEP_TRIGGERS),
  actor: z.string(),
  ranAt: z.string(),
  asOf: z.string(),
  archived: z.number(),
  deleted: z.number(),
  held: z.number(),
});
export type SweepRun = z.infer<typeof sweepRunSchema>;

export const sweepCandidateSchema = z.object({
  id: z.string(),
  category: z.string(),
  action: z.enum(RETENTION_ACTIONS),
  retentionUntil: z.string(),
});
export type SweepCandidate = z.infer<typeof sweepCandidateSchema>;

export const sweepHeldSchema = sweepCandidateSchema.extend({ holds: z.array(z.string()) });
export type SweepHeld = z.infer<typeof sweepHeldSchema>;

const planSchema = z.object({
  asOf: z.string(),
  counts: z.object({ archive: z.number(), delete: z.number(), held: z.number() }),
  candidates: z.array(sweepCandidateSchema),
  held: z.array(sweepHeldSchema),
  /** True when the lists were cut at the request's limit (the counts are complete). */
  truncated: z.boolean(),
});

/** The audit-log retention policy (issue 12.3; seed 002: seven years). Null period: the audit log is kept in full. */
export const auditLogPolicySchema = z.object({
  label: z.string(),
  source: z.string(),
  periodValue: z.number().int().nullable(),
  periodUnit: z.enum(PERIOD_UNITS).nullable(),
  period: z.string().nullable(),
  customized: z.boolean(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
  /** A shorter period asked for and waiting for a second person (two-person rule), or null. */
  pending: z
    .object({
      id: z.number().int(),
      periodValue: z.number().int(),
      periodUnit: z.enum(PERIOD_UNITS),
      period: z.string(),
      requestedBy: z.string(),
      requestedAt: z.string(),
    })
    .nullable(),
});
export type AuditLogPolicyView = z.infer<typeof auditLogPolicySchema>;

/** What audit-log pruning would do now (the dry run), or why it would do nothing. */
export const ledgerPrunePlanSchema = z.object({
  asOf: z.string(),
  policy: z.string().nullable(),
  cutoff: z.string().nullable(),
  /** Events already pruned (1..prunedThrough); 0 when never. */
  prunedThrough: z.number(),
  fromSeq: z.number(),
  throughSeq: z.number(),
  /** How many events would be pruned (0: none). */
  count: z.number(),
  /** Active legal holds that suspend pruning. */
  holds: z.array(z.string()),
  summary: z.string(),
});

/** What the sweep's audit-log pruning did. */
export const ledgerPruneDoneSchema = z.object({
  plan: ledgerPrunePlanSchema,
  /** The new prune point (events 1..prunedThrough are hashes only), or null when nothing was pruned. */
  prunedThrough: z.number().nullable(),
  /** "events 1–N pruned on DATE under policy P", or null. */
  description: z.string().nullable(),
  vacuumed: z.boolean(),
  /** Set when pruning failed (the record sweep still happened); the failure is ledgered. */
  error: z.string().nullable(),
});
export type LedgerPruneDone = z.infer<typeof ledgerPruneDoneSchema>;

export const retentionChannels = {
  'retention.policies': channel({
    summary: 'The retention policy of every record category (shipped default or as an administrator changed it), the last sweep and the next scheduled one.',
    access: ANY_ROLE,
    mutates: false,
    request: z.object({}),
    response: z.object({
      policies: z.array(retentionPolicySchema),
      lastSweep: sweepRunSchema.nullable(),
      nextSweepAt: z.string(),
      /** The audit-log retention policy (issue 12.3). */
      auditLog: auditLogPolicySchema.optional(),
    }),
  }),
  'retention.setPolicy': channel({
    summary: "Change a record category's retention period, action or classification (administrators; ledgered with before and after).",
    access: RETENTION_ADMINS,
    mutates: true,
    request: z
      .object({
        category: categoryKey,
        periodValue: z.number().int().min(1).max(1200).nullable(),
        periodUnit: z.enum(PERIOD_UNITS).nullable(),
        action: z.enum(RETENTION_ACTIONS),
        classification: z.enum(CLASSIFICATIONS),
        /** Accepted only as false: no policy may let the sweep touch a held record. */
        legalHoldOverride: z.literal(false).optional(),
      })
      .refine((r) => (r.periodValue === null) === (r.periodUnit === null), {
        message: 'Give both a period and its unit, or neither (kept permanently).',
        path: ['periodUnit'],
      }),
    response: z.object({ policy: retentionPolicySchema, recomputed: z.number() }),
  }),
  'retention.preview': channel({
    summary: 'Dry run of the retention sweep: what would be archived or deleted now, and what is skipped because of a legal hold. Changes nothing.',
    access: LEDGER_READERS,
    mutates: false,
    request: z.object({ limit: z.number().int().min(1).max(200_000).default(500) }),
    response: planSchema.extend({ ledger: ledgerPrunePlanSchema.optional() }),
  }),
  'retention.sweep': channel({
    summary: 'Run the retention sweep now: archive or delete every record whose period has run out, skipping held ones; one event per item and a closing event with the counts.',
    access: SWEEP_RUNNERS,
    mutates: true,
    /** `via` says where the person started it (the Retention screen or `custos sweep`), for the sweep's record. */
    request: z.object({ via: z.enum(['screen', 'cli']).default('screen') }),
    response: z.object({
      run: sweepRunSchema,
      archived: z.array(z.string()),
      deleted: z.array(z.string()),
      held: z.array(sweepHeldSchema),
      /** The audit-log pruning the sweep ran after the records (issue 12.3). */
      ledger: ledgerPruneDoneSchema.optional(),
    }),
  }),
  'retention.setAuditLogPolicy': channel({
    summary:
      'Change how long the audit log keeps whole events (administrators; ledgered with before and after). Older events are pruned to their hashes by the sweep; none at all keeps the log in full. A longer period applies at once; a shorter one waits for a second person (retention.decideAuditLogPolicy).',
    access: RETENTION_ADMINS,
    mutates: true,
    request: z
      .object({
        periodValue: z.number().int().min(1).max(1200).nullable(),
        periodUnit: z.enum(PERIOD_UNITS).nullable(),
      })
      .refine((r) => (r.periodValue === null) === (r.periodUnit === null), {
        message: 'Give both a period and its unit, or neither (the audit log is kept in full).',
        path: ['periodUnit'],
      }),
    response: z.object({ policy: auditLogPolicySchema }),
  }),
  'retention.decideAuditLogPolicy': channel({
    summary:
      'Approve or reject the shorter audit-log period another person asked for (two-person rule: the sweep prunes sooner under it). Administrators and compliance officers, never the person who asked; ledgered.',
    access: AUDIT_LOG_APPROVERS,
    mutates: true,
    /** The request the approver read (AuditLogPolicyView.pending.id): a request replaced meanwhile is refused, not decided unseen. */
    request: z.object({ requestId: z.number().int().positive(), approve: z.boolean() }),
    response: z.object({ policy: auditLogPolicySchema }),
  }),
};

/** Policies, counts and record ids: no personal data in these answers. */
export const retentionReadClasses: ReadClassMap<typeof retentionChannels> = {
  'retention.policies': {},
  'retention.preview': {},
};
