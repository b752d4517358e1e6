import { randomBytes } from 'node:crypto';
import { now as clockNow } from '../clock.js';
import { CustosError, isCustosError } from '../errors.js';
import { securityPolicy } from '../policy.js';
import { Workspace } from '../workspace.js';
import {
  formatRecoveryKey,
  isLegacySlot,
  makeSlot,
  readKeyslots,
  recoverySlotId,
  sealToSlot,
  writeKeyslots,
  userSlotId,
  type KeyslotFile,
  type Keyslot,
} from './keyslots.js';

/**
 * Re-keying, in four steps that each leave the folder openable if the process dies after them:
 *
 * 1. prepare  — keyslots.json gains the new key, sealed to every slot that stays, next to the old
 *               one (`rekey` names both generations). Slots that leave get nothing new.
 * 2. record   — one database transaction: the caller's change (a user disabled), the ledger event
 *               `workspace.rekey`, and meta key_generation = new. This is the point of no return.
 * 3. apply    — SQLCipher rewrites every page under the new key in one journalled transaction.
 * 4. finalize — keyslots.json drops the old generation and every slot that did not get the new key.
 *
 * At the next unlock (`openWorkspace`) a file still marked `rekey` is settled: a database that
 * opens with the old key and has the new generation recorded is re-keyed forward (step 3 again);
 * one without it never committed step 2 and the new key is dropped; one that opens with the new
 * key only needs step 4. The ledger therefore records a re-key exactly when it happens.
 */

export interface RekeyPlan {
  generation: number;
  previous: number;
  newKey: Buffer;
  slotsKept: number;
  slotsRemoved: number;
  /** A new recovery key, when the old recovery slot could not follow (format 1); shown once. */
  recoveryKey: string | null;
}

export interface RekeyResult {
  generation: number;
  rotatedAt: string;
  slotsKept: number;
  slotsRemoved: number;
  recoveryKey: string | null;
}

function requireFile(dir: string): KeyslotFile {
  const file = readKeyslots(dir);
  if (!file) throw new CustosError('integrity', 'The workspace key file is missing.');
  return file;
}

/** Step 1: seals a new random key to every slot that stays; `leaving` slots (and format-1 slots) get nothing. */
export function prepareRekey(ws: Workspace, leaving: readonly string[]): RekeyPlan {
  const file = requireFile(ws.dir);
  if (file.rekey) throw new CustosError('conflict', 'A re-key of this workspace is already under way; lock and unlock the workspace to finish it.');
  const previous = file.generation;
  const generation = previous + 1;
  const newKey = randomBytes(32);
  let slotsKept = 0;
  let slotsRemoved = 0;
  let recoveryKey: string | null = null;
  const recoveryId = recoverySlotId(ws.id);
  file.slots = file.slots.map((slot): Keyslot => {
    if (leaving.includes(slot.id) || isLegacySlot(slot)) {
      slotsRemoved += slot.kind === 'user' ? 1 : 0;
      return slot;
    }
    slotsKept += 1;
    const current = slot.wraps.filter((w) => w.generation === previous);
    return { ...slot, wraps: [...current, sealToSlot(ws.id, slot, generation, newKey)] };
  });
  const recovery = file.slots.find((s) => s.id === recoveryId);
  let newRecovery: Keyslot | undefined;
  if (!recovery || isLegacySlot(recovery)) {
    // A format-1 recovery slot holds only the old key; without a recovery slot the workspace would have no way back.
    recoveryKey = formatRecoveryKey(randomBytes(securityPolicy().recoveryKeyBytes));
    newRecovery = makeSlot(ws.id, recoveryId, 'recovery', [{ generation, key: newKey }], recoveryKey, securityPolicy().scrypt);
  }
  file.rekey = { generation, previous, ...(newRecovery ? { recoverySlot: newRecovery } : {}) };
  writeKeyslots(ws.dir, file);
  return { generation, previous, newKey, slotsKept, slotsRemoved, recoveryKey };
}

function setMeta(ws: Workspace, key: string, value: string): void {
  ws.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

function metaValue(ws: Workspace, key: string): string | null {
  return (ws.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value ?? null;
}

/** Step 2: the caller's change, the ledger event and the new generation, in one transaction. */
export function recordRekey(ws: Workspace, plan: RekeyPlan, actor: string, reason: string, change?: () => Record<string, unknown> | void): string {
  // The core clock, as every event of the re-key uses.
  const atDate = clockNow();
  const at = atDate.toISOString();
  ws.tx(() => {
    const extra = change?.() ?? {};
    // Files beside the database keep their first-generation root, which the database now has to remember.
    if (metaValue(ws, 'file_root_key') === null) setMeta(ws, 'file_root_key', ws.fileKey().toString('hex'));
    setMeta(ws, 'key_generation', String(plan.generation));
    setMeta(ws, 'key_rotated_at', at);
    ws.ledger.append({
      actor,
      action: 'workspace.rekey',
      resource_type: 'workspace',
      resource_id: ws.id,
      details: {
        reason,
        generation: plan.generation,
        previous: plan.previous,
        slots_kept: plan.slotsKept,
        slots_removed: plan.slotsRemoved,
        new_recovery_key: plan.recoveryKey !== null,
        ...extra,
      },
    }, atDate);
    // Signed at once: the re-key is on record even if the process dies before the next lock.
    ws.signCheckpoint('rekey');
  });
  return at;
}

/** Step 3: the database itself goes to the new key. */
export function applyRekey(ws: Workspace, plan: RekeyPlan): void {
  ws.changeDbKey(plan.newKey);
}

/** Step 4: only the new generation stays, and only on slots that received it. */
export function finalizeRekey(dir: string, generation: number): void {
  const file = requireFile(dir);
  if (!file.rekey || file.rekey.generation !== generation) return;
  const replacement = file.rekey.recoverySlot;
  file.slots = file.slots
    .map((s) => (replacement && s.id === replacement.id ? replacement : s))
    .filter((s) => s.wraps.some((w) => w.generation === generation))
    .map((s) => ({ ...s, wraps: s.wraps.filter((w) => w.generation === generation) }));
  if (replacement && !file.slots.some((s) => s.id === replacement.id)) file.slots.push(replacement);
  file.generation = generation;
  file.rekey = null;
  writeKeyslots(dir, file);
}

/** Undoes step 1 when step 2 never committed: the new key is forgotten, every slot is as before. */
export function abandonRekey(dir: string): void {
  const file = requireFile(dir);
  if (!file.rekey) return;
  const { generation } = file.rekey;
  file.slots = file.slots.map((s) => ({ ...s, wraps: s.wraps.filter((w) => w.generation !== generation) }));
  file.rekey = null;
  writeKeyslots(dir, file);
}

/**
 * Gives the database a new random key and every remaining keyslot the new key; `leaving` slots
 * lose access to the database from now on. `change` runs inside the ledgered transaction (e.g.
 * disabling the user who leaves) and may add details to the `workspace.rekey` event.
 */
export function rekeyWorkspace(
  ws: Workspace,
  opts: {
    actor: string;
    reason: string;
    leaving?: readonly string[];
    change?: () => Record<string, unknown> | void;
    onProgress?: (done: number, total: number) => void;
  },
): RekeyResult {
  const progress = opts.onProgress ?? (() => undefined);
  progress(0, 4);
  // Users disabled earlier (before keyslots were deleted on disable) lose their slot too.
  const disabled = (ws.db.prepare('SELECT username FROM users WHERE disabled = 1').all() as { username: string }[]).map((u) => userSlotId(ws.id, u.username));
  const plan = prepareRekey(ws, [...(opts.leaving ?? []), ...disabled]);
  progress(1, 4);
  let rotatedAt: string;
  try {
    rotatedAt = recordRekey(ws, plan, opts.actor, opts.reason, opts.change);
  } catch (err) {
    abandonRekey(ws.dir);
    plan.newKey.fill(0);
    throw err;
  }
  progress(2, 4);
  try {
    applyRekey(ws, plan);
  } catch {
    // The new key stays in keyslots.json and is applied at the next unlock: the ledger already says it happened.
    throw new CustosError(
      'failure',
      'The change and the re-key are recorded, but the database could not be re-encrypted now; lock the workspace and sign in again to finish the re-key.',
      { ledgered: true },
    );
  } finally {
    plan.newKey.fill(0);
  }
  progress(3, 4);
  finalizeRekey(ws.dir, plan.generation);
  progress(4, 4);
  return { generation: plan.generation, rotatedAt, slotsKept: plan.slotsKept, slotsRemoved: plan.slotsRemoved, recoveryKey: plan.recoveryKey };
}

const NOT_YOURS = 'The username or passphrase is not correct.';

/**
 * Opens the workspace with the keys a slot unwrapped, settling a re-key a crash left half done
 * (see the top of this file). Throws `wrong_credentials` when the slot holds no key that opens it.
 */
export function openWorkspace(dir: string, keys: Map<number, Buffer>): Workspace {
  const file = requireFile(dir);
  if (!file.rekey) {
    const key = keys.get(file.generation);
    if (!key) throw new CustosError('wrong_credentials', NOT_YOURS);
    return Workspace.open(dir, key);
  }
  const { generation, previous } = file.rekey;
  const oldKey = keys.get(previous);
  const newKey = keys.get(generation);
  // The old key first: if the rekey transaction was cut off, only the old key can replay its journal.
  if (oldKey) {
    let ws: Workspace | null = null;
    try {
      ws = Workspace.open(dir, oldKey);
    } catch (err) {
      if (!isCustosError(err, 'locked')) throw err;
    }
    if (ws) {
      if (metaValue(ws, 'key_generation') !== String(generation)) {
        abandonRekey(dir);
        return ws;
      }
      if (!newKey) {
        // A slot that was leaving in the re-key the ledger already records.
        ws.close();
        throw new CustosError('wrong_credentials', NOT_YOURS);
      }
      try {
        ws.changeDbKey(newKey);
      } catch (err) {
        ws.close();
        throw err;
      }
      finalizeRekey(dir, generation);
      return ws;
    }
  }
  if (!newKey) throw new CustosError('wrong_credentials', NOT_YOURS);
  const ws = Workspace.open(dir, newKey);
  finalizeRekey(dir, generation);
  return ws;
}
