import type { LedgerEvent } from '../../../../shared/ledger-types.js';

/** The file formats an export can be written in. */
export type ExportFormat = 'csv' | 'json' | 'ndjson' | 'xml' | 'pdf';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'json', 'ndjson', 'xml', 'pdf'];

/** Identifies the `format` field of JSON and XML exports; bump it when their structure changes. */
export const EXPORT_FORMAT_ID = 'custos-export/1';

/** The signed tree head an export was cut against (DESIGN §4). */
export interface ExportCheckpoint {
  size: number;
  root: string;
  key_id: string;
  signature: string;
}

/** Which parts an export request asked for (absent: the audit trail only, as before the flags). */
export interface ExportIncludes {
  /** The ledger events in scope. */
  auditTrail: boolean;
  /** The evidence register in scope: items, holds and custody chains, never file contents. */
  evidence: boolean;
}

/** Said wherever an export carries the evidence register: the files themselves never travel in it. */
export const EVIDENCE_FILES_NOTE =
  'Evidence file contents are not part of this export: each item is identified by its SHA-256 and size. ' +
  'The files themselves leave Custos only inside a signed bundle, where each file can be checked against these hashes.';

/** One entry of an item's chain of custody (custody_events), up to the export's checkpoint. */
export interface ExportCustodyEntry {
  /** The ledger event that recorded it; at most the export's checkpoint size. */
  ledger_seq: number;
  kind: 'intake' | 'transfer' | 'seal' | 'release' | 'dispose';
  /** RFC 3339 UTC: when the hand-over happened (for intake, the collection time). */
  at: string;
  /** Who (or, for intake, which source) gave the item; null where nobody did. */
  from: string | null;
  /** Who received it; null for disposal. */
  to: string | null;
  purpose: string;
  location: string;
  /** The user who recorded the entry. */
  recorded_by: string;
}

/** A legal hold that protects an item at the time of the export. */
export interface ExportHold {
  id: string;
  title: string;
  case_id: string;
}

/**
 * One item of the evidence register as an export writes it (snake_case like the event fields).
 * status, custodian and location are as of the export's checkpoint (replayed from the custody
 * chain); integrity and holds are as at generation time.
 */
export interface ExportEvidenceItem {
  id: string;
  title: string;
  description: string;
  source: string;
  original_name: string;
  media_type: string;
  size_bytes: number;
  /** Hex SHA-256 of the original file's bytes. */
  sha256: string;
  collected_by: string;
  collected_at: string;
  status: 'collected' | 'transferred' | 'sealed' | 'released' | 'disposed';
  custodian: string;
  location: string;
  integrity: 'ok' | 'integrity_failed';
  last_verified_at: string | null;
  holds: ExportHold[];
  custody: ExportCustodyEntry[];
}

/** What an export says about itself: scope, people, and the checkpoint it is anchored to. */
export interface ExportMeta {
  title: string;
  workspaceName: string;
  workspaceId: string;
  /** RFC 3339 UTC. */
  generatedAt: string;
  requestedBy?: string;
  approvedBy?: string;
  filters: Record<string, unknown>;
  /** Name of the masking profile applied to the rows, if any. */
  masking?: string;
  checkpoint?: ExportCheckpoint;
  /** What the request asked for; set by every export request, absent in older callers. */
  includes?: ExportIncludes;
}

/** The meta block as written into JSON exports: snake_case like the event fields. */
export interface ExportMetaRecord {
  title: string;
  workspace_id: string;
  workspace_name: string;
  generated_at: string;
  requested_by?: string;
  approved_by?: string;
  masking?: string;
  filters: Record<string, unknown>;
  checkpoint?: ExportCheckpoint;
  includes?: { audit_trail: boolean; evidence: boolean };
  /** Present when the evidence register is included: EVIDENCE_FILES_NOTE. */
  evidence_files?: string;
}

/** The snake_case meta record of an export (undefined fields are dropped by JSON.stringify). */
export function metaRecord(meta: ExportMeta): ExportMetaRecord {
  return {
    title: meta.title,
    workspace_id: meta.workspaceId,
    workspace_name: meta.workspaceName,
    generated_at: meta.generatedAt,
    requested_by: meta.requestedBy,
    approved_by: meta.approvedBy,
    masking: meta.masking,
    filters: meta.filters,
    checkpoint: meta.checkpoint
      ? {
          size: meta.checkpoint.size,
          root: meta.checkpoint.root,
          key_id: meta.checkpoint.key_id,
          signature: meta.checkpoint.signature,
        }
      : undefined,
    includes: meta.includes ? { audit_trail: meta.includes.auditTrail, evidence: meta.includes.evidence } : undefined,
    evidence_files: meta.includes?.evidence ? EVIDENCE_FILES_NOTE : undefined,
  };
}

/**
 * A copy of the event with exactly the ledger fields, in DESIGN §4 order, so a row object
 * that carries extra columns can never leak them into a file.
 */
export function pickEvent(e: LedgerEvent): LedgerEvent {
  return {
    seq: e.seq,
    ts: e.ts,
    actor: e.actor,
    action: e.action,
    resource_type: e.resource_type,
    resource_id: e.resource_id,
    outcome: e.outcome,
    details: e.details,
    prev_hash: e.prev_hash,
    hash: e.hash,
  };
}

/** A copy of an evidence item with exactly the register's fields, in a fixed order (see pickEvent). */
export function pickEvidence(item: ExportEvidenceItem): ExportEvidenceItem {
  return {
    id: item.id,
    title: item.title,
    description: item.description,
    source: item.source,
    original_name: item.original_name,
    media_type: item.media_type,
    size_bytes: item.size_bytes,
    sha256: item.sha256,
    collected_by: item.collected_by,
    collected_at: item.collected_at,
    status: item.status,
    custodian: item.custodian,
    location: item.location,
    integrity: item.integrity,
    last_verified_at: item.last_verified_at,
    holds: item.holds.map((h) => ({ id: h.id, title: h.title, case_id: h.case_id })),
    custody: item.custody.map((c) => ({
      ledger_seq: c.ledger_seq,
      kind: c.kind,
      at: c.at,
      from: c.from,
      to: c.to,
      purpose: c.purpose,
      location: c.location,
      recorded_by: c.recorded_by,
    })),
  };
}

/** Text formats hand the writer strings of roughly this many UTF-16 units, not one per row. */
export const CHUNK_CHARS = 64 * 1024;
