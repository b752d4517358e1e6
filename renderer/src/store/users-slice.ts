import type { User } from '../../../shared/contract/core.js';
import type { RequestOf } from '../../../shared/contract.js';
import type { ResultError } from '../../../shared/result.js';
import { client } from '../api/client.js';
import type { SliceCreator } from './types.js';

export interface UsersData {
  users: User[] | null;
  usersError: string | null;
  /** A recovery key a re-key had to replace (shown once, until dismissed). */
  newRecoveryKey: string | null;
}

export const initialUsersData: UsersData = { users: null, usersError: null, newRecoveryKey: null };

export interface UsersSlice extends UsersData {
  loadUsers(): Promise<void>;
  createUser(input: RequestOf<'users.create'>): Promise<ResultError | null>;
  updateUser(input: RequestOf<'users.update'>): Promise<ResultError | null>;
  showRecoveryKey(key: string): void;
  dismissRecoveryKey(): void;
}

export const createUsersSlice: SliceCreator<UsersSlice> = (set, get) => ({
  ...initialUsersData,
  async loadUsers() {
    const r = await client.call('users.list', { limit: 500 });
    if (r.ok) set({ users: r.value.items, usersError: null });
    else set({ usersError: r.error.message });
  },
  async createUser(input) {
    const r = await client.call('users.create', input);
    if (!r.ok) return r.error;
    await get().loadUsers();
    return null;
  },
  async updateUser(input) {
    const r = await client.call('users.update', input);
    if (!r.ok) return r.error;
    // The server's answer is the truth; replace the row with it, never with our guess.
    const updated = r.value.user;
    set((s) => ({ users: s.users?.map((u) => (u.username === updated.username ? updated : u)) ?? null }));
    if (updated.username === get().user?.username) set({ user: updated });
    if (r.value.recoveryKey) set({ newRecoveryKey: r.value.recoveryKey });
    return null;
  },
  showRecoveryKey(key) {
    set({ newRecoveryKey: key });
  },
  dismissRecoveryKey() {
    set({ newRecoveryKey: null });
  },
});
