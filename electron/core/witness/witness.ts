import type { Cosignature, Countersign, WitnessKey } from '../../../shared/contract/witness.js';
import type { VerificationProblem } from '../../../shared/ledger-types.js';
import { CustosError, failureText } from '../errors.js';
import { publishExport, fileStamp, namePart, sha256Of, type ExportedFile } from '../files/export-file.js';
import { checkpointNoteText, checkpointOrigin } from '../ledger/checkpoint-note.js';
import { checkCosignedCheckpoint, cosignCheckpoint, cosignerVerifierKey, parseCosignerVerifierKey, type VerifiedCosignature } from '../ledger/cosignature.js';
import { rootAt } from '../ledger/merkle.js';
import { parseVerifierKey, validKeyName, type NoteVerifier } from '../ledger/signed-note.js';
import { describePublicKey } from '../ledger/signing.js';
import { checkWitnessedHeads, type WitnessedHead } from '../ledger/witnessed-heads.js';
import { parseStrictJson } from '../strict-json.js';
import type { Workspace } from '../workspace.js';
import { fingerprint } from '../bundle/format.js';
import { priorImportsOfSource, readableImport, storedConsistency, storedReport, type ImportRow } from '../imports/imports-store.js';
import { opTime, type Op } from '../domain/op.js';
import {
  cosignatureRow,
  countersignRow,
  countersignsOfImport,
  findCosignature,
  insertCosignature,
  insertCountersign,
  insertWitnessKey,
  largestCountersigned,
  listCosignatures,
  listWitnessKeys,
  witnessKeyByVkey,
  witnessKeyRow,
  type CosignatureRow,
  type CountersignRow,
  type WitnessKeyRow,
} from './witness-store.js';

/*
 * Witness cosignatures (C2SP tlog-cosignature). An auditor's workspace that imported and verified
 * a bundle countersigns the bundle's checkpoint with its own key, and hands the cosignature over as
 * a small file. The source workspace, once an administrator trusts that witness's key, imports the
 * file; from then on verification proves that today's ledger extends every cosigned tree head, so
 * a rewrite signed with the workspace's own key no longer goes unnoticed.
 */

/** The `format` of a cosignature file. */
export const COSIGNATURE_FILE_FORMAT = 'custos-cosignature/1';
/** How far in the future (by this machine's clock) a cosignature's time may be, for clocks that differ. */
const FUTURE_SLACK_SECONDS = 24 * 60 * 60;

/** The cosigner name of a workspace acting as a witness. */
export function witnessName(workspaceId: string): string {
  return `custos-witness/${workspaceId}`;
}

/** This workspace as a witness: name, verifier key and the fingerprint of its key. */
export function witnessIdentity(ws: Workspace): { name: string; vkey: string; fingerprint: string } {
  const name = witnessName(ws.id);
  return { name, vkey: cosignerVerifierKey(name, ws.signingKey.publicKey), fingerprint: fingerprint(ws.signingKey.keyId) };
}

function isoOfSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

function toCountersign(r: CountersignRow): Countersign {
  return {
    id: r.id,
    importId: r.import_id,
    origin: r.origin,
    treeSize: r.tree_size,
    root: r.tree_root,
    cosigner: r.cosigner,
    cosignedAt: isoOfSeconds(r.timestamp),
    fileName: r.file_name,
    sha256: r.sha256,
    createdBy: r.created_by,
  };
}

/**
 * Countersigns the checkpoint of an imported bundle that verified: a cosignature/v1 line by this
 * workspace's key, written with the witness's verifier key as a small JSON file to the exports
 * folder, recorded and ledgered in the one transaction that publishes the file.
 */
export function countersignImport(ws: Workspace, op: Op, importId: number): { file: ExportedFile; countersign: Countersign } {
  const { actor } = op;
  const row = readableImport(ws.db, importId);
  const resource = { resourceType: 'import', resourceId: String(importId) };
  if (!storedReport(row).valid) {
    throw new CustosError('conflict', `Imported bundle ${importId} did not verify, so its checkpoint cannot be countersigned.`, resource);
  }
  const origin = checkpointOrigin(row.source_workspace_id);
  if (!validKeyName(origin)) {
    throw new CustosError('validation', `The source workspace id of imported bundle ${importId} cannot name a checkpoint, so it cannot be countersigned.`, resource);
  }
  const largest = largestCountersigned(ws.db, origin);
  if (largest && largest.tree_size > row.tree_size) {
    // A cosignature says "the largest consistent tree head I have seen": an older head would contradict one already given.
    throw new CustosError(
      'conflict',
      `This workspace already countersigned a larger tree head (${largest.tree_size} events) of workspace "${row.source_workspace_name}"; a cosignature of this older one (${row.tree_size} events) would contradict it. Countersign the newest import instead.`,
      resource,
    );
  }
  if (largest && !extendsCosigned(ws, row, largest)) {
    // A witness never vouches for two histories of one log (a split view): the new head must be
    // proven to extend the largest one it cosigned, whichever key signed either.
    const what = largest.tree_size === row.tree_size ? `a different root for the same ${row.tree_size} events` : `${row.tree_size} events, not proven to extend it`;
    throw new CustosError(
      'conflict',
      `This workspace countersigned a tree head of ${largest.tree_size} events of workspace "${row.source_workspace_name}" on ${largest.created_at.slice(0, 10)}; this import has ${what} (no consistency proof from that head in the bundle, and no import signed by the same key holds it). A cosignature would vouch for a second history of that workspace.`,
      resource,
    );
  }
  const at = opTime(op);
  const timestamp = Math.floor(at.getTime() / 1000);
  const identity = witnessIdentity(ws);
  const note = cosignCheckpoint(checkpointNoteText(origin, row.tree_size, row.tree_root), identity.name, ws.signingKey, timestamp);
  const body = {
    format: COSIGNATURE_FILE_FORMAT,
    witness: { name: identity.name, vkey: identity.vkey, fingerprint: identity.fingerprint, workspace_name: ws.name },
    source: { workspace_id: row.source_workspace_id, workspace_name: row.source_workspace_name },
    note,
  };
  const data = Buffer.from(`${JSON.stringify(body, null, 2)}\n`, 'utf8');
  let id = 0;
  const file = publishExport(ws, `cosignature-${namePart(row.source_workspace_name, 40)}-${row.tree_size}-${fileStamp(at)}`, '.json', data, (fileName, sha256) => {
    id = insertCountersign(ws.db, {
      import_id: importId,
      origin,
      tree_size: row.tree_size,
      tree_root: row.tree_root,
      cosigner: identity.name,
      timestamp,
      note,
      file_name: fileName,
      sha256,
      created_at: at.toISOString(),
      created_by: actor,
    });
    ws.ledger.append(
      {
        actor,
        action: 'witness.countersign',
        resource_type: 'import',
        resource_id: String(importId),
        details: {
          countersign_id: id,
          source_workspace_id: row.source_workspace_id,
          tree_size: row.tree_size,
          root: row.tree_root,
          cosigner: identity.name,
          cosigned_at: isoOfSeconds(timestamp),
          file_name: fileName,
          sha256,
          bytes: data.length,
        },
      },
      at,
    );
  });
  return { file, countersign: toCountersign(countersignRow(ws.db, id)!) };
}

/** The cosignatures made of one import's checkpoint, newest first. */
/**
 * True when the import's tree head is the cosigned one or is proven to extend it: by a consistency
 * proof from that head among the bundle's own (verified at import), or through the imports signed
 * by the same key, each of which was proven to extend the one before (import-bundle.ts historyProblem).
 */
function extendsCosigned(ws: Workspace, row: ImportRow, cosigned: { tree_size: number; tree_root: string }): boolean {
  if (cosigned.tree_size === row.tree_size) return cosigned.tree_root === row.tree_root;
  if (storedConsistency(row).some((c) => c.from_size === cosigned.tree_size && c.from_root === cosigned.tree_root)) return true;
  return priorImportsOfSource(ws.db, row.source_workspace_id, row.key_id).some((p) => p.tree_size === cosigned.tree_size && p.tree_root === cosigned.tree_root);
}

export function countersignsOf(ws: Workspace, importId: number): Countersign[] {
  readableImport(ws.db, importId);
  return countersignsOfImport(ws.db, importId).map(toCountersign);
}

/** Reads a pasted witness verifier key; throws `validation` in plain words when it is not one. */
export function readWitnessKey(vkey: string): NoteVerifier & { fingerprint: string } {
  const parsed = parseCosignerVerifierKey(vkey.trim());
  if (!parsed) {
    const checkpointKey = parseVerifierKey(vkey.trim());
    throw new CustosError(
      'validation',
      checkpointKey
        ? `This is the checkpoint signing key of ${checkpointKey.name}, not a witness key: ask the witness for the key Custos shows under "Countersign" (it starts with custos-witness/).`
        : 'This is not a witness key. A witness key is one line: the witness name, a plus sign, eight hex digits, a plus sign and the key in base64 (C2SP cosignature/v1, Ed25519).',
    );
  }
  return { ...parsed, fingerprint: fingerprint(describePublicKey(parsed.publicKey).keyId) };
}

function toWitnessKey(r: WitnessKeyRow): WitnessKey {
  return { id: r.id, name: r.name, keyId: r.key_id, vkey: r.vkey, fingerprint: r.fingerprint, label: r.label, trustedAt: r.trusted_at, trustedBy: r.trusted_by };
}

/** Trusts a witness key (administrators; ledgered). Trusted keys are never changed or removed. */
export function trustWitnessKey(ws: Workspace, op: Op, vkey: string, label: string): WitnessKey {
  const { actor } = op;
  const key = readWitnessKey(vkey);
  const canonical = cosignerVerifierKey(key.name, key.publicKey);
  if (canonical === witnessIdentity(ws).vkey) {
    throw new CustosError('conflict', "This is this workspace's own witness key: a workspace cannot witness its own ledger. Trust the key of the auditor's workspace instead.");
  }
  return ws.tx(() => {
    const existing = witnessKeyByVkey(ws.db, canonical);
    if (existing) {
      throw new CustosError('conflict', `The witness key of ${key.name} (fingerprint ${key.fingerprint}) is already trusted, since ${existing.trusted_at}.`, {
        resourceType: 'witness_key',
        resourceId: String(existing.id),
      });
    }
    const at = opTime(op);
    const row = {
      name: key.name,
      key_id: key.keyId.toString('hex'),
      vkey: canonical,
      fingerprint: key.fingerprint,
      label,
      trusted_at: at.toISOString(),
      trusted_by: actor,
    };
    const id = insertWitnessKey(ws.db, row);
    ws.ledger.append(
      {
        actor,
        action: 'witness.trust',
        resource_type: 'witness_key',
        resource_id: String(id),
        details: { name: key.name, key_id: row.key_id, fingerprint: key.fingerprint, label },
      },
      at,
    );
    return toWitnessKey({ id, ...row });
  });
}

/** A cosignature file's note and the witness key it names (null for a bare note, which any trusted key may have signed). */
function readCosignatureFile(text: string): { note: string; vkey: string | null } {
  if (!text.trimStart().startsWith('{')) return { note: text, vkey: null };
  const parsed = parseStrictJson(Buffer.from(text, 'utf8'));
  const value = 'value' in parsed ? (parsed.value as { format?: unknown; witness?: { vkey?: unknown }; note?: unknown } | null) : null;
  if (!value || typeof value !== 'object' || value.format !== COSIGNATURE_FILE_FORMAT || typeof value.note !== 'string') {
    throw new CustosError('validation', `This file is not a cosignature: a Custos cosignature file is JSON with format "${COSIGNATURE_FILE_FORMAT}" and the cosigned checkpoint note.`);
  }
  const vkey = value.witness && typeof value.witness.vkey === 'string' ? value.witness.vkey : null;
  return { note: value.note, vkey };
}

/**
 * Imports a cosignature of one of this workspace's tree heads: its signature must verify under a
 * trusted witness key, its checkpoint must name this workspace, and its root must be this ledger's
 * root at that size. Anything else is refused with the reason (the dispatch ledgers the refusal).
 */
export function importCosignature(ws: Workspace, op: Op, text: string, fileName: string | null): Cosignature {
  const { actor } = op;
  const refused = (message: string) => new CustosError('integrity', message, { resourceType: 'witness_cosignature', resourceId: fileName ?? 'upload' });
  const file = readCosignatureFile(text);
  const trusted = listWitnessKeys(ws.db);
  let candidates = trusted;
  if (file.vkey !== null) {
    const named = readWitnessKey(file.vkey);
    candidates = trusted.filter((k) => k.vkey === cosignerVerifierKey(named.name, named.publicKey));
    if (candidates.length === 0) {
      throw refused(
        `The cosignature is by ${named.name} (key fingerprint ${named.fingerprint}), a witness key this workspace does not trust. Compare the fingerprint with the witness, trust the key (Ledger › Witnesses), then import the file again.`,
      );
    }
  }
  if (candidates.length === 0) throw refused('No witness key is trusted yet, so no cosignature can be checked. Trust the witness key first (Ledger › Witnesses).');
  const bytes = Buffer.from(file.note, 'utf8');
  let verified: { key: WitnessKeyRow; cosignature: VerifiedCosignature } | null = null;
  let firstReason = '';
  for (const key of candidates) {
    const checked = checkCosignedCheckpoint(bytes, readWitnessKey(key.vkey));
    if (checked.ok) {
      verified = { key, cosignature: checked.cosignature };
      break;
    }
    firstReason ||= checked.reason;
  }
  if (!verified) throw refused(`The cosignature ${firstReason}; it was not imported.`);
  const { key, cosignature } = verified;
  const { head } = cosignature;
  const own = checkpointOrigin(ws.id);
  if (head.origin !== own) {
    throw refused(`The cosignature by ${key.name} is of the checkpoint of "${head.origin}", not of this workspace (${own}); import it into the workspace it names.`);
  }
  const size = ws.ledger.head().size;
  if (head.size > size) {
    throw refused(`The cosignature by ${key.name} is of a tree head of ${head.size} events, but this ledger has only ${size}: it is not a head of this ledger.`);
  }
  const root = rootAt(ws.ledger.source, head.size).toString('hex');
  if (root !== head.root) {
    throw refused(
      `The cosignature by ${key.name} is of a tree head of ${head.size} events with root ${head.root.slice(0, 16)}…, but this ledger's root at ${head.size} events is ${root.slice(0, 16)}…: the witness saw a different ledger.`,
    );
  }
  const at = opTime(op);
  if (cosignature.timestamp > Math.floor(at.getTime() / 1000) + FUTURE_SLACK_SECONDS) {
    throw refused(`The cosignature by ${key.name} carries a time in the future (${isoOfSeconds(cosignature.timestamp)}); check the witness's clock and cosign again.`);
  }
  const fileSha256 = sha256Of(Buffer.from(text, 'utf8'));
  return ws.tx(() => {
    if (findCosignature(ws.db, key.id, head.size, cosignature.timestamp)) {
      throw new CustosError('conflict', `This cosignature by ${key.name} of ${head.size} events was imported already.`, { resourceType: 'witness_cosignature', resourceId: fileSha256 });
    }
    const cosignedAt = isoOfSeconds(cosignature.timestamp);
    const id = insertCosignature(ws.db, {
      key_ref: key.id,
      cosigner: key.name,
      tree_size: head.size,
      tree_root: head.root,
      timestamp: cosignature.timestamp,
      cosigned_at: cosignedAt,
      note: file.note,
      file_sha256: fileSha256,
      imported_at: at.toISOString(),
      imported_by: actor,
    });
    ws.ledger.append(
      {
        actor,
        action: 'witness.import',
        resource_type: 'witness_cosignature',
        resource_id: String(id),
        details: { cosigner: key.name, fingerprint: key.fingerprint, tree_size: head.size, root: head.root, cosigned_at: cosignedAt, file_name: fileName, file_sha256: fileSha256 },
      },
      at,
    );
    return toCosignature(cosignatureRow(ws.db, id)!, key, { consistent: true, problem: null });
  });
}

function toCosignature(r: CosignatureRow, key: WitnessKeyRow | undefined, status: { consistent: boolean; problem: string | null }): Cosignature {
  return {
    id: r.id,
    cosigner: r.cosigner,
    label: key?.label ?? '',
    fingerprint: key?.fingerprint ?? '',
    treeSize: r.tree_size,
    root: r.tree_root,
    cosignedAt: r.cosigned_at,
    importedAt: r.imported_at,
    importedBy: r.imported_by,
    ...status,
  };
}

/**
 * The stored cosigned heads, each checked again: its note must still verify under its trusted key
 * and name the head stored beside it (else a `bad-signature` problem naming the cosigner).
 */
export function witnessedHeads(ws: Workspace): { heads: (WitnessedHead & { row: CosignatureRow; key: WitnessKeyRow | undefined })[]; problems: VerificationProblem[] } {
  const problems: VerificationProblem[] = [];
  const heads: (WitnessedHead & { row: CosignatureRow; key: WitnessKeyRow | undefined })[] = [];
  for (const row of listCosignatures(ws.db)) {
    const key = witnessKeyRow(ws.db, row.key_ref);
    const checked = key ? checkCosignedCheckpoint(Buffer.from(row.note, 'utf8'), readWitnessKey(key.vkey)) : null;
    const holds =
      checked?.ok === true &&
      checked.cosignature.head.size === row.tree_size &&
      checked.cosignature.head.root === row.tree_root &&
      checked.cosignature.head.origin === checkpointOrigin(ws.id) &&
      checked.cosignature.timestamp === row.timestamp;
    if (!holds) {
      problems.push({
        seq: row.tree_size || null,
        kind: 'bad-signature',
        message: `The stored cosignature by ${row.cosigner} of ${row.tree_size} events does not verify under its trusted witness key: it was changed in the database.`,
      });
      continue;
    }
    heads.push({ cosigner: row.cosigner, size: row.tree_size, root: row.tree_root, cosignedAt: row.cosigned_at, row, key });
  }
  return { heads, problems };
}

/** Trusted keys and cosigned heads, each proven now against the ledger's current tree. */
export function listWitness(ws: Workspace): { keys: WitnessKey[]; cosignatures: Cosignature[] } {
  const { heads } = witnessedHeads(ws);
  const size = ws.ledger.head().size;
  const root = ws.ledger.root();
  const cosignatures = listCosignatures(ws.db).map((row) => {
    const key = witnessKeyRow(ws.db, row.key_ref);
    const head = heads.find((h) => h.row.id === row.id);
    if (!head) return toCosignature(row, key, { consistent: false, problem: 'Its signature no longer verifies under the trusted witness key: it was changed in the database.' });
    const problems: VerificationProblem[] = [];
    const [result] = checkWitnessedHeads(ws.ledger.source, size, root, [head], problems);
    return toCosignature(row, key, { consistent: result?.consistent === true, problem: problems[0]?.message ?? null });
  });
  return { keys: listWitnessKeys(ws.db).map(toWitnessKey), cosignatures };
}

/**
 * Tree heads of cosignature files handed to a verification (the witness's own copy, which holds the
 * ledger to its head even if the stored cosignature was removed): each is checked under the witness
 * key the file names (or, for a bare note, the trusted keys). A file that does not verify, or is of
 * another workspace, is a problem itself.
 */
export function givenWitnessedHeads(ws: Workspace, texts: readonly string[]): { heads: WitnessedHead[]; problems: VerificationProblem[] } {
  const heads: WitnessedHead[] = [];
  const problems: VerificationProblem[] = [];
  const own = checkpointOrigin(ws.id);
  texts.forEach((text, i) => {
    const which = texts.length === 1 ? 'The cosignature file given' : `Cosignature file ${i + 1} given`;
    let verifiers: NoteVerifier[];
    let note: string;
    // A key the file brings but this workspace does not trust is named with its fingerprint in the
    // report, so a cosignature made with anyone's key cannot pass for a trusted witness's.
    let untrusted: string | null = null;
    try {
      const file = readCosignatureFile(text);
      note = file.note;
      const trusted = listWitnessKeys(ws.db);
      if (file.vkey !== null) {
        const key = readWitnessKey(file.vkey);
        if (!trusted.some((k) => k.vkey.trim() === file.vkey!.trim())) untrusted = key.fingerprint;
        verifiers = [key];
      } else {
        verifiers = trusted.map((k) => readWitnessKey(k.vkey));
      }
    } catch (err) {
      problems.push({ seq: null, kind: 'malformed', message: `${which} cannot be read: ${failureText(err)}` });
      return;
    }
    const results = verifiers.map((v) => checkCosignedCheckpoint(Buffer.from(note, 'utf8'), v));
    const ok = results.find((r) => r.ok);
    if (!ok || !ok.ok) {
      const reason = results.find((r) => !r.ok);
      problems.push({ seq: null, kind: 'bad-signature', message: `${which}: the cosignature ${reason && !reason.ok ? reason.reason : 'names no witness key this workspace trusts'}.` });
      return;
    }
    const c = ok.cosignature;
    if (c.head.origin !== own) {
      problems.push({ seq: null, kind: 'malformed', message: `${which} is the cosignature of "${c.head.origin}", not of this workspace (${own}).` });
      return;
    }
    const cosigner = untrusted ? `${c.cosigner} (key ${untrusted}, given with the file, not a witness key this workspace trusts)` : c.cosigner;
    heads.push({ cosigner, size: c.head.size, root: c.head.root, cosignedAt: isoOfSeconds(c.timestamp) });
  });
  return { heads, problems };
}
