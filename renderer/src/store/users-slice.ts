import type { RequestOf } from '../../../shared/contract.js';
import type { ResultError } from '../../../shared/result.js';
import { client } from '../api/client.js';
import type { SliceCreator } from './types.js';

/** The user list itself is `userList` (lists.ts); this slice holds what changing users leaves behind. */
export interface UsersData {
  /** A recovery key a re-key had to replace (shown once, until dismissed). */
  newRecoveryKey: string | null;
}

export const initialUsersData: UsersData = { newRecoveryKey: null };

export interface UsersSlice extends UsersData {
  createUser(input: RequestOf<'users.create'>): Promise<ResultError | null>;
  updateUser(input: RequestOf<'users.update'>): Promise<ResultError | null>;
  showRecoveryKey(key: string): void;
  dismissRecoveryKey(): void;
}

export const createUsersSlice: SliceCreator<UsersSlice> = (set, get) => ({
  ...initialUsersData,
  async createUser(input) {
    const r = await client.call('users.create', input);
    if (!r.ok) return r.error;
    await get().listRefresh('userList');
    return null;
  },
  async updateUser(input) {
    // The server's answer is the truth: mutate puts it in the user's row, never our guess.
    const r = await get().mutate('users.update', input);
    if (!r.ok) return r.error;
    const updated = r.value.user;
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
