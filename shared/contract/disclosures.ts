import { z } from 'zod';
import { ANY_ROLE, CASE_WORKERS } from '../roles.js';
import { channel } from './define.js';
import { listRequest, listResponse } from './list.js';
import type { ReadClassMap } from '../data-classes.js';
import { exportedFileSchema } from './files.js';
import { dateInput, entityId, longText, recordRefSchema, shortText } from './ferpa-common.js';

/** The ground of a disclosure: consent, or one of the exceptions of 34 CFR 99.31 (HIPAA 164.512 alike). */
export const DISCLOSURE_BASES = [
  'consent',
  'school_official',
  'other_institution',
  'audit_evaluation',
  'financial_aid',
  'studies',
  'accreditation',
  'dependent_parent',
  'health_safety_emergency',
  'directory_information',
  'subpoena',
  'court_order',
  'other',
] as const;
export type DisclosureBasis = (typeof DISCLOSURE_BASES)[number];

export const DISCLOSURE_BASIS_LABELS: Record<DisclosureBasis, string> = {
  consent: 'Written consent (99.30)',
  school_official: 'School official with legitimate educational interest (99.31(a)(1))',
  other_institution: 'Other school where the student seeks to enrol (99.31(a)(2))',
  audit_evaluation: 'Audit or evaluation (99.31(a)(3))',
  financial_aid: 'Financial aid (99.31(a)(4))',
  studies: 'Studies for the institution (99.31(a)(6))',
  accreditation: 'Accrediting organisation (99.31(a)(7))',
  dependent_parent: 'Parent of a dependent student (99.31(a)(8))',
  health_safety_emergency: 'Health or safety emergency (99.31(a)(10), 99.36)',
  directory_information: 'Directory information (99.31(a)(11), 99.37)',
  subpoena: 'Lawfully issued subpoena (99.31(a)(9))',
  court_order: 'Judicial order (99.31(a)(9))',
  other: 'Other legal basis',
};

export const disclosureSchema = z.object({
  id: z.string(),
  subjectId: z.string(),
  subjectName: z.string(),
  disclosedAt: z.string(),
  recipient: z.string(),
  basis: z.enum(DISCLOSURE_BASES),
  /** The legitimate interest of the recipient or the legal basis in words (99.32(a)(3)). */
  basisDetail: z.string(),
  purpose: z.string(),
  disclosedBy: z.string(),
  recordedBy: z.string(),
  recordedAt: z.string(),
  records: z.array(recordRefSchema),
  subpoenaId: z.string().nullable(),
  productionId: z.string().nullable(),
  fileSha256: z.string().nullable(),
  statements: z.array(z.object({ id: z.string(), amendmentId: z.string(), recordId: z.string(), filedAt: z.string(), text: z.string() })),
  /** False while the entry must not be shown to the subject (non-disclosure order, 99.32(d)(5); HIPAA 164.528(a)(2)). */
  subjectVisible: z.boolean(),
  withheldUntil: z.string().nullable(),
  withholdingBasis: z.string().nullable(),
  caseId: z.string().nullable(),
  /** The written consent the disclosure relied on (basis `consent`). */
  consentId: z.string().nullable(),
  /** Notices sent to this recipient after an agreed amendment of a record it received (seed 002; 99.20). */
  notices: z.array(z.object({ id: z.string(), amendmentId: z.string(), notifiedAt: z.string(), change: z.string() })),
});
export type Disclosure = z.infer<typeof disclosureSchema>;

export const ACCOUNTING_AUDIENCES = ['subject', 'internal'] as const;

const accountingRequest = z.object({
  subjectId: entityId,
  /** The day the accounting is made for; today when absent. */
  asOf: dateInput.optional(),
  /** `subject`: what the student or patient may see; `internal`: every entry with its withholding flags. */
  audience: z.enum(ACCOUNTING_AUDIENCES).default('subject'),
});

export const accountingSchema = z.object({
  subjectId: z.string(),
  /** Null when the subject opted out of directory information: the report then names them by id only. */
  subjectName: z.string().nullable(),
  directoryOptOut: z.boolean(),
  audience: z.enum(ACCOUNTING_AUDIENCES),
  asOf: z.string(),
  from: z.string(),
  lookbackYears: z.number(),
  entries: z.array(disclosureSchema),
});
export type Accounting = z.infer<typeof accountingSchema>;

export const disclosureChannels = {
  'disclosures.list': channel({
    summary: 'The record of disclosures, newest first, filtered by subject, basis, dates or free text.',
    access: ANY_ROLE,
    mutates: false,
    request: listRequest({
      sort: ['disclosed_at', 'id', 'recipient', 'basis'],
      defaultSort: 'disclosed_at',
      defaultDir: 'desc',
      filters: {
        subjectId: entityId.optional(),
        basis: z.enum(DISCLOSURE_BASES).optional(),
        from: dateInput.optional(),
        to: dateInput.optional(),
      },
    }),
    response: listResponse(disclosureSchema),
  }),
  'disclosures.get': channel({
    summary: 'One disclosure with its records and attached statements.',
    access: ANY_ROLE,
    mutates: false,
    request: z.object({ id: entityId }),
    response: z.object({ disclosure: disclosureSchema }),
  }),
  'disclosures.record': channel({
    summary:
      "Record a disclosure (99.32): recipient, basis, records, by whom. Statements of disagreement on file for those records are attached automatically (99.21(c)). Basis consent names the covering consent; directory information carries no grades, attendance, GPA or transcripts.",
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({
      subjectId: entityId,
      recordIds: z.array(entityId).max(500).default([]),
      recipient: shortText,
      basis: z.enum(DISCLOSURE_BASES),
      basisDetail: longText,
      purpose: z.string().trim().max(2000).default(''),
      disclosedAt: dateInput.optional(),
      disclosedBy: z.string().trim().min(1).max(120).optional(),
      caseId: entityId.optional(),
      withhold: z.object({ basis: longText, until: dateInput.optional() }).optional(),
      /** Required with basis `consent`: the live written consent that covers these records and this recipient. */
      consentId: entityId.optional(),
    }),
    response: z.object({ disclosure: disclosureSchema }),
  }),
  'disclosures.accounting': channel({
    summary: 'The accounting of disclosures for one subject over the lookback period of policy (HIPAA 164.528: 6 years).',
    access: ANY_ROLE,
    mutates: false,
    request: accountingRequest,
    response: accountingSchema,
  }),
  'disclosures.accountingReport': channel({
    summary:
      "The accounting of disclosures for one subject as a PDF, written to the workspace's exports folder to hand over with files.download; ledgered.",
    access: CASE_WORKERS,
    mutates: true,
    // Strict: no field names a server file.
    request: accountingRequest.strict(),
    response: exportedFileSchema.extend({ entries: z.number() }),
  }),
};

/** What the read channels of this file answer, by data class (shared/data-classes.ts): fields not named are operational. */
export const disclosureReadClasses: ReadClassMap<typeof disclosureChannels> = {
  'disclosures.list': {
    student_record: ['items.*.subjectName', 'items.*.basisDetail', 'items.*.purpose', 'items.*.records.*.title', 'items.*.statements.*.text', 'items.*.withholdingBasis', 'items.*.notices.*.change'],
    personal: ['items.*.recipient'],
    searches: { personal: ['search'], student_record: ['search'] },
  },
  'disclosures.get': { student_record: ['disclosure.subjectName', 'disclosure.basisDetail', 'disclosure.purpose', 'disclosure.records.*.title', 'disclosure.statements.*.text', 'disclosure.withholdingBasis', 'disclosure.notices.*.change'], personal: ['disclosure.recipient'] },
  'disclosures.accounting': { student_record: ['subjectName', 'entries.*.subjectName', 'entries.*.basisDetail', 'entries.*.purpose', 'entries.*.records.*.title', 'entries.*.statements.*.text', 'entries.*.withholdingBasis', 'entries.*.notices.*.change'], personal: ['entries.*.recipient'] },
};
