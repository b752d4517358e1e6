import { randomUUID } from 'node:crypto';
import type { User } from '../../../shared/contract/core.js';
import type { Role } from '../../../shared/roles.js';
import { assertNoRekeyPending, makeSlot, readKeyslots, userSlotId, writeKeyslots } from '../db/keyslots.js';
import type { PageQuery } from '../db/list-page.js';
import { rekeyWorkspace } from '../db/rekey.js';
import { CustosError } from '../errors.js';
import { securityPolicy } from '../policy.js';
import type { Workspace } from '../workspace.js';
import { opTime, type Op } from '../domain/op.js';
import { activeAdminCount, allUserRows, findUserRow, insertUserRow, setLastLogin, setUserProfile, type UserRow, userRowsPage } from './auth-store.js';

function toUser(r: UserRow): User {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    disabled: r.disabled === 1,
    createdAt: r.created_at,
    lastLoginAt: r.last_login_at,
  };
}

/** The user with this username, or null. */
export function findUser(ws: Workspace, username: string): User | null {
  const row = findUserRow(ws.db, username);
  return row ? toUser(row) : null;
}

/** The user with this username; throws not_found. */
export function getUser(ws: Workspace, username: string): User {
  const u = findUser(ws, username);
  if (!u) throw new CustosError('not_found', `There is no user named ${username}.`);
  return u;
}

/** Every user, by username. */
export function listUsers(ws: Workspace): User[] {
  return allUserRows(ws.db).map(toUser);
}

/** `users.list`: a page of users matching the search box (username or display name), and the total. */
export function pageOfUsers(ws: Workspace, q: PageQuery & { search?: string | undefined }): { items: User[]; total: number } {
  const page = userRowsPage(ws.db, q);
  return { items: page.rows.map(toUser), total: page.total };
}

/** Adds a user and gives them a keyslot; ledgered as users.create. */
export function createUser(
  ws: Workspace,
  op: Op,
  input: { username: string; displayName: string; role: Role; passphrase: string },
): User {
  const { actor } = op;
  const slotId = userSlotId(ws.id, input.username);
  // The KDF runs outside the transaction: it is slow and touches no database state.
  const slot = newUserSlot(ws, slotId, input.passphrase);
  return ws.tx(() => {
    if (findUser(ws, input.username)) {
      throw new CustosError('conflict', `A user named ${input.username} already exists.`);
    }
    // One instant from the core clock for the row and its event.
    const at = opTime(op);
    insertUserRow(ws.db, { id: randomUUID(), username: input.username, displayName: input.displayName, role: input.role, createdAt: at.toISOString() });
    ws.ledger.append(
      {
        actor,
        action: 'users.create',
        resource_type: 'user',
        resource_id: input.username,
        details: { role: input.role, display_name: input.displayName },
      },
      at,
    );
    const file = readKeyslots(ws.dir);
    if (!file) throw new CustosError('integrity', 'The workspace key file is missing.');
    file.slots = [...file.slots.filter((s) => s.id !== slotId), slot];
    // Written last inside the transaction: if it fails, the user row rolls back with it.
    writeKeyslots(ws.dir, file);
    return getUser(ws, input.username);
  });
}

/** A keyslot for a user holding the open workspace's current database key. */
function newUserSlot(ws: Workspace, slotId: string, passphrase: string) {
  const file = readKeyslots(ws.dir);
  if (!file) throw new CustosError('integrity', 'The workspace key file is missing.');
  assertNoRekeyPending(file);
  const key = ws.key();
  try {
    return makeSlot(ws.id, slotId, 'user', [{ generation: file.generation, key }], passphrase, securityPolicy().scrypt);
  } finally {
    key.fill(0);
  }
}

type UserUpdate = { username: string; displayName?: string; role?: Role; disabled?: boolean; passphrase?: string };

/** Checks an update against the current users; returns the user before and after. */
function planUpdate(ws: Workspace, input: UserUpdate): { before: User; after: Pick<User, 'displayName' | 'role' | 'disabled'> } {
  const before = getUser(ws, input.username);
  const after = {
    displayName: input.displayName ?? before.displayName,
    role: input.role ?? before.role,
    disabled: input.disabled ?? before.disabled,
  };
  const losesAdmin = before.role === 'admin' && !before.disabled && (after.role !== 'admin' || after.disabled);
  if (losesAdmin) {
    if (activeAdminCount(ws.db) <= 1) {
      throw new CustosError('conflict', 'This is the last active administrator; make another user an administrator first.');
    }
  }
  return { before, after };
}

/**
 * Changes a user's display name, role or disabled flag; refuses to leave the workspace without an
 * active admin. Disabling deletes the user's keyslot and re-keys the database, so their passphrase
 * no longer opens the file; enabling someone without a keyslot needs a new passphrase for them.
 */
export function updateUser(
  ws: Workspace,
  op: Op,
  input: UserUpdate,
  onProgress?: (done: number, total: number) => void,
): { user: User; recoveryKey: string | null } {
  const { actor } = op;
  const slotId = userSlotId(ws.id, input.username);
  const { before, after } = planUpdate(ws, input);
  const file = readKeyslots(ws.dir);
  if (!file) throw new CustosError('integrity', 'The workspace key file is missing.');
  const hasSlot = file.slots.some((s) => s.id === slotId);
  const enabling = before.disabled && !after.disabled;
  if (input.passphrase !== undefined && !(enabling || (!after.disabled && !hasSlot))) {
    throw new CustosError('validation', 'A new passphrase is only given when enabling a user who has no keyslot; users change their own passphrase.');
  }
  if (enabling && !hasSlot && input.passphrase === undefined) {
    throw new CustosError('validation', `${input.username} has no keyslot since they were disabled; give them a new passphrase to enable them.`);
  }
  const apply = () => {
    const { before: b, after: a } = planUpdate(ws, input);
    setUserProfile(ws.db, input.username, a);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const k of ['displayName', 'role', 'disabled'] as const) {
      if (b[k] !== a[k]) changes[k] = { from: b[k], to: a[k] };
    }
    ws.ledger.append({
      actor,
      action: 'users.update',
      resource_type: 'user',
      resource_id: input.username,
      details: { changes, ...(input.passphrase !== undefined ? { new_keyslot: true } : {}) },
    });
  };
  if (after.disabled && !before.disabled) {
    // The slot goes and the database gets a key the departing user never held.
    const { recoveryKey } = rekeyWorkspace(ws, {
      actor,
      reason: 'user-disabled',
      leaving: [slotId],
      change: () => {
        apply();
        return { user: input.username };
      },
      onProgress,
    });
    return { user: getUser(ws, input.username), recoveryKey };
  }
  // The KDF runs outside the transaction: it is slow and touches no database state.
  const slot = input.passphrase !== undefined ? newUserSlot(ws, slotId, input.passphrase) : null;
  return ws.tx(() => {
    apply();
    if (slot) {
      const current = readKeyslots(ws.dir);
      if (!current) throw new CustosError('integrity', 'The workspace key file is missing.');
      current.slots = [...current.slots.filter((s) => s.id !== slotId), slot];
      // Written last inside the transaction: if it fails, the update rolls back with it.
      writeKeyslots(ws.dir, current);
    }
    return { user: getUser(ws, input.username), recoveryKey: null };
  });
}

/** Marks a successful sign-in. */
export function touchLogin(ws: Workspace, username: string, at: string): void {
  setLastLogin(ws.db, username, at);
}
