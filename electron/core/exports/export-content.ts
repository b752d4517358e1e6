import type { LedgerFilter } from '../../../shared/contract/core.js';
import type { ExportRequest } from '../../../shared/contract/exports.js';

/**
 * What an export holds, as an export request and an export schedule both store it: the columns,
 * the API fields and the ledger's details are each written in one place, here.
 */
export interface ExportContentRow {
  type: ExportRequest['type'];
  format: ExportRequest['format'];
  /** LedgerFilter as JSON text. */
  filters: string;
  case_id: string | null;
  include_evidence: number;
  include_audit_trail: number;
  masking: string;
  purpose: string;
  recipient: string;
}

/** The content as a caller gives it (exports.request, schedules.create/update). */
export interface ExportContentInput {
  type: ExportRequest['type'];
  format: ExportRequest['format'];
  filters: LedgerFilter;
  caseId?: string | null | undefined;
  includeEvidence: boolean;
  includeAuditTrail: boolean;
  masking: string;
  purpose: string;
  recipient: string;
}

/** The stored columns of content given by a caller. */
export function exportContentRow<I extends ExportContentInput>(input: I): ExportContentRow & { type: I['type']; format: I['format'] } {
  return {
    type: input.type,
    format: input.format,
    filters: JSON.stringify(input.filters),
    case_id: input.caseId ?? null,
    include_evidence: input.includeEvidence ? 1 : 0,
    include_audit_trail: input.includeAuditTrail ? 1 : 0,
    masking: input.masking,
    purpose: input.purpose,
    recipient: input.recipient,
  };
}

/** The stored columns of another row's content (a scheduled run's request copies its schedule's). */
export function copiedExportContent<R extends ExportContentRow>(r: R): Pick<R, keyof ExportContentRow> {
  return {
    type: r.type,
    format: r.format,
    filters: r.filters,
    case_id: r.case_id,
    include_evidence: r.include_evidence,
    include_audit_trail: r.include_audit_trail,
    masking: r.masking,
    purpose: r.purpose,
    recipient: r.recipient,
  };
}

/** The API fields of stored content. */
export function exportContentOf<R extends ExportContentRow>(r: R): {
  type: R['type'];
  format: R['format'];
  filters: LedgerFilter;
  caseId: string | null;
  includeEvidence: boolean;
  includeAuditTrail: boolean;
  masking: string;
  purpose: string;
  recipient: string;
} {
  return {
    type: r.type,
    format: r.format,
    filters: JSON.parse(r.filters) as LedgerFilter,
    caseId: r.case_id,
    includeEvidence: r.include_evidence === 1,
    includeAuditTrail: r.include_audit_trail === 1,
    masking: r.masking,
    purpose: r.purpose,
    recipient: r.recipient,
  };
}

/** What the ledger records of stored content (exports.request, schedules.*): everything but the purpose. */
export function exportContentDetails(r: ExportContentRow): Record<string, unknown> {
  return {
    type: r.type,
    format: r.format,
    filters: JSON.parse(r.filters) as LedgerFilter,
    case_id: r.case_id,
    include_audit_trail: r.include_audit_trail === 1,
    include_evidence: r.include_evidence === 1,
    masking: r.masking,
    recipient: r.recipient,
  };
}
