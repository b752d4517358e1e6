import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';

/** A cosignature this workspace made, as a witness, of an imported bundle's checkpoint. */
export interface CountersignRow {
  id: number;
  import_id: number;
  origin: string;
  tree_size: number;
  tree_root: string;
  cosigner: string;
  timestamp: number;
  note: string;
  file_name: string;
  sha256: string;
  created_at: string;
  created_by: string;
}

/** A witness key an administrator trusts to cosign this workspace's tree heads. */
export interface WitnessKeyRow {
  id: number;
  name: string;
  key_id: string;
  vkey: string;
  fingerprint: string;
  label: string;
  trusted_at: string;
  trusted_by: string;
}

/** A cosignature of one of this workspace's tree heads, imported from a trusted witness. */
export interface CosignatureRow {
  id: number;
  key_ref: number;
  cosigner: string;
  tree_size: number;
  tree_root: string;
  timestamp: number;
  cosigned_at: string;
  note: string;
  file_sha256: string;
  imported_at: string;
  imported_by: string;
}

export function insertCountersign(db: Db, r: Omit<CountersignRow, 'id'>): number {
  const info = prepared(
    db,
    `INSERT INTO witness_countersigns (import_id, origin, tree_size, tree_root, cosigner, timestamp, note, file_name, sha256, created_at, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(r.import_id, r.origin, r.tree_size, r.tree_root, r.cosigner, r.timestamp, r.note, r.file_name, r.sha256, r.created_at, r.created_by);
  return Number(info.lastInsertRowid);
}

export function countersignRow(db: Db, id: number): CountersignRow | undefined {
  return prepared<[number], CountersignRow>(db, 'SELECT * FROM witness_countersigns WHERE id = ?').get(id);
}

/** Cosignatures made of one import's checkpoint, newest first. */
export function countersignsOfImport(db: Db, importId: number): CountersignRow[] {
  return prepared<[number], CountersignRow>(db, 'SELECT * FROM witness_countersigns WHERE import_id = ? ORDER BY id DESC').all(importId);
}

/** The largest tree head of `origin` this workspace has cosigned (the first cosignature of that size), or undefined. */
export function largestCountersigned(db: Db, origin: string): Pick<CountersignRow, 'tree_size' | 'tree_root' | 'created_at'> | undefined {
  return prepared<[string], Pick<CountersignRow, 'tree_size' | 'tree_root' | 'created_at'>>(
    db,
    'SELECT tree_size, tree_root, created_at FROM witness_countersigns WHERE origin = ? ORDER BY tree_size DESC, id LIMIT 1',
  ).get(origin);
}

export function insertWitnessKey(db: Db, r: Omit<WitnessKeyRow, 'id'>): number {
  const info = prepared(
    db,
    'INSERT INTO witness_keys (name, key_id, vkey, fingerprint, label, trusted_at, trusted_by) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(r.name, r.key_id, r.vkey, r.fingerprint, r.label, r.trusted_at, r.trusted_by);
  return Number(info.lastInsertRowid);
}

export function witnessKeyRow(db: Db, id: number): WitnessKeyRow | undefined {
  return prepared<[number], WitnessKeyRow>(db, 'SELECT * FROM witness_keys WHERE id = ?').get(id);
}

export function witnessKeyByVkey(db: Db, vkey: string): WitnessKeyRow | undefined {
  return prepared<[string], WitnessKeyRow>(db, 'SELECT * FROM witness_keys WHERE vkey = ?').get(vkey);
}

/** Trusted witness keys, oldest first. */
export function listWitnessKeys(db: Db): WitnessKeyRow[] {
  return prepared<[], WitnessKeyRow>(db, 'SELECT * FROM witness_keys ORDER BY id').all();
}

export function insertCosignature(db: Db, r: Omit<CosignatureRow, 'id'>): number {
  const info = prepared(
    db,
    `INSERT INTO witness_cosignatures (key_ref, cosigner, tree_size, tree_root, timestamp, cosigned_at, note, file_sha256, imported_at, imported_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(r.key_ref, r.cosigner, r.tree_size, r.tree_root, r.timestamp, r.cosigned_at, r.note, r.file_sha256, r.imported_at, r.imported_by);
  return Number(info.lastInsertRowid);
}

export function cosignatureRow(db: Db, id: number): CosignatureRow | undefined {
  return prepared<[number], CosignatureRow>(db, 'SELECT * FROM witness_cosignatures WHERE id = ?').get(id);
}

export function findCosignature(db: Db, keyRef: number, size: number, timestamp: number): CosignatureRow | undefined {
  return prepared<[number, number, number], CosignatureRow>(
    db,
    'SELECT * FROM witness_cosignatures WHERE key_ref = ? AND tree_size = ? AND timestamp = ?',
  ).get(keyRef, size, timestamp);
}

/** Imported cosignatures, newest tree head first. */
export function listCosignatures(db: Db): CosignatureRow[] {
  return prepared<[], CosignatureRow>(db, 'SELECT * FROM witness_cosignatures ORDER BY tree_size DESC, id DESC').all();
}
