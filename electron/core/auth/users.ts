import { randomUUID } from 'node:crypto';
import type { User } from '../../../shared/contract/core.js';
import type { Role } from '../../../shared/roles.js';
import { makeSlot, readKeyslots, userSlotId, writeKeyslots } from '../db/keyslots.js';
import { CustosError } from '../errors.js';
import { securityPolicy } from '../policy.js';
import type { Workspace } from '../workspace.js';

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  disabled: number;
  created_at: string;
  last_login_at: string | null;
}

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
  const row = ws.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
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
  return (ws.db.prepare('SELECT * FROM users ORDER BY username').all() as UserRow[]).map(toUser);
}

/** Adds a user and gives them a keyslot; ledgered as users.create. */
export function createUser(
  ws: Workspace,
  actor: string,
  input: { username: string; displayName: string; role: Role; passphrase: string },
): User {
  const slotId = userSlotId(ws.id, input.username);
  // The KDF runs outside the transaction: it is slow and touches no database state.
  const slot = makeSlot(ws.id, slotId, 'user', ws.key(), input.passphrase, securityPolicy().scrypt);
  return ws.tx(() => {
    if (findUser(ws, input.username)) {
      throw new CustosError('conflict', `A user named ${input.username} already exists.`);
    }
    const now = new Date().toISOString();
    ws.db
      .prepare('INSERT INTO users (id, username, display_name, role, disabled, created_at) VALUES (?, ?, ?, ?, 0, ?)')
      .run(randomUUID(), input.username, input.displayName, input.role, now);
    ws.ledger.append({
      actor,
      action: 'users.create',
      resource_type: 'user',
      resource_id: input.username,
      details: { role: input.role, display_name: input.displayName },
    });
    const file = readKeyslots(ws.dir);
    if (!file) throw new CustosError('integrity', 'The workspace key file is missing.');
    file.slots = [...file.slots.filter((s) => s.id !== slotId), slot];
    // Written last inside the transaction: if it fails, the user row rolls back with it.
    writeKeyslots(ws.dir, file);
    return getUser(ws, input.username);
  });
}

/** Changes a user's display name, role or disabled flag; refuses to leave the workspace without an active admin. */
export function updateUser(
  ws: Workspace,
  actor: string,
  input: { username: string; displayName?: string; role?: Role; disabled?: boolean },
): User {
  return ws.tx(() => {
    const before = getUser(ws, input.username);
    const after = {
      displayName: input.displayName ?? before.displayName,
      role: input.role ?? before.role,
      disabled: input.disabled ?? before.disabled,
    };
    const losesAdmin = before.role === 'admin' && !before.disabled && (after.role !== 'admin' || after.disabled);
    if (losesAdmin) {
      const admins = ws.db.prepare("SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled = 0").get() as { n: number };
      if (admins.n <= 1) {
        throw new CustosError('conflict', 'This is the last active administrator; make another user an administrator first.');
      }
    }
    ws.db
      .prepare('UPDATE users SET display_name = ?, role = ?, disabled = ? WHERE username = ?')
      .run(after.displayName, after.role, after.disabled ? 1 : 0, input.username);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const k of ['displayName', 'role', 'disabled'] as const) {
      if (before[k] !== after[k]) changes[k] = { from: before[k], to: after[k] };
    }
    ws.ledger.append({ actor, action: 'users.update', resource_type: 'user', resource_id: input.username, details: { changes } });
    return getUser(ws, input.username);
  });
}

/** Marks a successful sign-in. */
export function touchLogin(ws: Workspace, username: string, at: string): void {
  ws.db.prepare('UPDATE users SET last_login_at = ? WHERE username = ?').run(at, username);
}
