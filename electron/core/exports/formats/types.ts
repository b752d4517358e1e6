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

/** Text formats hand the writer strings of roughly this many UTF-16 units, not one per row. */
export const CHUNK_CHARS = 64 * 1024;
