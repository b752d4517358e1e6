import { z } from 'zod';
import { CUSTOS_EVIDENCE, frameworkIdSchema, PRIORITIES, REQUIREMENT_TYPES } from '../compliance-data.js';
import type { ReadClassMap } from '../data-classes.js';
import { ANY_ROLE, CASE_WORKERS } from '../roles.js';
import { channel } from './define.js';
import { dateInput } from './ferpa-common.js';
import { listRequest, listResponse } from './list.js';

/** Seed 001's compliance statuses; `not_applicable` requirements count in no percentage. */
export const COMPLIANCE_STATUSES = ['compliant', 'partially_compliant', 'non_compliant', 'not_assessed', 'not_applicable'] as const;
export type ComplianceStatus = (typeof COMPLIANCE_STATUSES)[number];

/** Who may switch frameworks on and record assessments: the people who run the compliance program. */
export const COMPLIANCE_WORKERS = CASE_WORKERS;

/** What an assessment can point at as its evidence, in this workspace. */
export const ASSESSMENT_EVIDENCE_TYPES = ['evidence', 'event', 'export', 'report'] as const;

const requirementId = z.string().trim().min(1).max(60);
const frameworkId = frameworkIdSchema.max(40);

export const evidenceLinkSchema = z.object({
  type: z.enum(ASSESSMENT_EVIDENCE_TYPES),
  /** An evidence item id, a ledger event's seq, an export request id, or a report's file name. */
  id: z.string().trim().min(1).max(255),
});
export type EvidenceLink = z.infer<typeof evidenceLinkSchema>;

export const statusCountsSchema = z.object(Object.fromEntries(COMPLIANCE_STATUSES.map((s) => [s, z.number()])) as Record<ComplianceStatus, z.ZodNumber>);

export const frameworkSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  shortName: z.string(),
  version: z.string(),
  authority: z.string(),
  regions: z.array(z.string()),
  sectors: z.array(z.string()),
  effectiveDate: z.string(),
  reviewDate: z.string(),
  url: z.string(),
  enabled: z.boolean(),
  requirements: z.number(),
  /** Requirements that apply (all but not_applicable). */
  applicable: z.number(),
  counts: statusCountsSchema,
  implemented: z.number(),
  /** Applicable requirements whose next assessment date has passed. */
  overdue: z.number(),
  /** Share of applicable requirements assessed within their interval, 0–100 (null when none apply). */
  reviewedPct: z.number().nullable(),
  /** Share of applicable requirements assessed compliant, 0–100 (partially compliant counts as not). */
  compliantPct: z.number().nullable(),
});
export type FrameworkSummary = z.infer<typeof frameworkSummarySchema>;

export const frameworkHistoryPointSchema = z.object({
  at: z.string(),
  /** Assessments recorded up to this point. */
  assessed: z.number(),
  reviewedPct: z.number().nullable(),
  compliantPct: z.number().nullable(),
});
export type FrameworkHistoryPoint = z.infer<typeof frameworkHistoryPointSchema>;

export const requirementStateSchema = z.object({
  frameworkId: z.string(),
  frameworkName: z.string(),
  requirementId: z.string(),
  title: z.string(),
  description: z.string(),
  type: z.enum(REQUIREMENT_TYPES),
  priority: z.enum(PRIORITIES),
  assessmentIntervalDays: z.number(),
  custosEvidence: z.array(z.enum(CUSTOS_EVIDENCE)),
  status: z.enum(COMPLIANCE_STATUSES),
  implemented: z.boolean(),
  assignedTo: z.string().nullable(),
  lastAssessedAt: z.string().nullable(),
  nextAssessmentAt: z.string().nullable(),
  overdue: z.boolean(),
});
export type RequirementState = z.infer<typeof requirementStateSchema>;

export const assessmentSchema = z.object({
  id: z.string(),
  frameworkId: z.string(),
  requirementId: z.string(),
  status: z.enum(COMPLIANCE_STATUSES),
  previousStatus: z.enum(COMPLIANCE_STATUSES),
  implemented: z.boolean(),
  notes: z.string(),
  evidence: z.array(evidenceLinkSchema),
  assessedBy: z.string(),
  assessedAt: z.string(),
  nextAssessmentAt: z.string().nullable(),
});
export type Assessment = z.infer<typeof assessmentSchema>;

export const mappedControlSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  /** The requirements of other switched-on or shipped frameworks this control also satisfies. */
  alsoMeets: z.array(z.object({ frameworkId: z.string(), requirementId: z.string(), status: z.enum(COMPLIANCE_STATUSES).nullable() })),
});

/** Where the workspace itself proves a control: the newest ledger event that shows it (seq null: none yet). */
export const workspaceProofSchema = z.object({
  evidence: z.enum(CUSTOS_EVIDENCE),
  what: z.string(),
  seq: z.number().nullable(),
  ts: z.string().nullable(),
  action: z.string().nullable(),
});
export type WorkspaceProof = z.infer<typeof workspaceProofSchema>;

const requirementRef = { frameworkId, requirementId };

export const complianceChannels = {
  'frameworks.list': channel({
    summary: 'The compliance frameworks shipped with Custos, whether each is switched on here, and its two numbers (reviewed %, compliant %) with counts per status.',
    access: ANY_ROLE,
    mutates: false,
    request: listRequest({
      sort: ['name', 'compliant', 'reviewed', 'overdue'],
      defaultSort: 'name',
      defaultDir: 'asc',
      filters: { enabled: z.boolean().optional() },
    }),
    response: listResponse(frameworkSummarySchema),
  }),
  'frameworks.setEnabled': channel({
    summary: "Switch a framework on or off for this workspace (its requirements' state is kept while it is off).",
    access: COMPLIANCE_WORKERS,
    mutates: true,
    request: z.object({ id: frameworkId, enabled: z.boolean() }),
    response: z.object({ framework: frameworkSummarySchema }),
  }),
  'frameworks.history': channel({
    summary: "A framework's two numbers (reviewed %, compliant %) at points over the past days, replayed from its ledgered assessments; the last point is now.",
    access: ANY_ROLE,
    mutates: false,
    request: z.object({ id: frameworkId, days: z.number().int().min(7).max(3660).default(365) }),
    response: z.object({ frameworkId: z.string(), points: z.array(frameworkHistoryPointSchema).max(200) }),
  }),
  'requirements.list': channel({
    summary: 'A page of requirements of the switched-on frameworks with their status, owner and next assessment; filters by framework, status, priority, owner and overdue.',
    access: ANY_ROLE,
    mutates: false,
    request: listRequest({
      sort: ['framework', 'requirement', 'priority', 'status', 'next_assessment'],
      defaultSort: 'framework',
      defaultDir: 'asc',
      filters: {
        frameworkId: frameworkId.optional(),
        status: z.array(z.enum(COMPLIANCE_STATUSES)).max(5).optional(),
        priority: z.array(z.enum(PRIORITIES)).max(4).optional(),
        assignedTo: z.string().trim().min(1).max(64).optional(),
        overdue: z.boolean().optional(),
      },
    }),
    response: listResponse(requirementStateSchema),
  }),
  'requirements.get': channel({
    summary: 'One requirement with its state, its assessments (newest first), the controls that map it to other frameworks, and the ledger events by which the workspace itself proves it.',
    access: ANY_ROLE,
    mutates: false,
    request: z.object(requirementRef),
    response: z.object({
      requirement: requirementStateSchema,
      assessments: z.array(assessmentSchema),
      controls: z.array(mappedControlSchema),
      proofs: z.array(workspaceProofSchema),
    }),
  }),
  'requirements.assess': channel({
    summary:
      'Record an assessment of a requirement (status, implemented, notes, linked evidence, next assessment date); every status change is an assessment, ledgered.',
    access: COMPLIANCE_WORKERS,
    mutates: true,
    request: z.object({
      ...requirementRef,
      status: z.enum(COMPLIANCE_STATUSES).exclude(['not_assessed']),
      implemented: z.boolean(),
      notes: z.string().trim().min(1).max(20_000),
      evidence: z.array(evidenceLinkSchema).max(50).default([]),
      /** When to assess again; default: now plus the requirement's interval. */
      nextAssessmentAt: dateInput.optional(),
    }),
    response: z.object({ requirement: requirementStateSchema, assessment: assessmentSchema }),
  }),
  'requirements.assign': channel({
    summary: 'Make a user the owner of a requirement (or nobody); ledgered.',
    access: COMPLIANCE_WORKERS,
    mutates: true,
    request: z.object({ ...requirementRef, assignee: z.string().trim().min(1).max(64).nullable() }),
    response: z.object({ requirement: requirementStateSchema }),
  }),
};

/** What the read channels of this file answer, by data class (shared/data-classes.ts): fields not named are operational. */
export const complianceReadClasses: ReadClassMap<typeof complianceChannels> = {
  // Usernames (owners, assessors) are how the ledger names actors: operational, as a case's assignee is.
  // Assessment notes say how a control stands, not who a subject is.
  'frameworks.list': {},
  'frameworks.history': {},
  'requirements.list': {},
  'requirements.get': {},
};
