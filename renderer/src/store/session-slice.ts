import type { User } from '../../../shared/contract/core.js';
import type { RequestOf, ResponseOf } from '../../../shared/contract.js';
import type { ResultError } from '../../../shared/result.js';
import { client } from '../api/client.js';
import { clearServerData } from './reset.js';
import type { SliceCreator } from './types.js';

export type Phase = 'booting' | 'unreachable' | 'uninitialized' | 'locked' | 'unlocked';
export type LockReason = 'manual' | 'idle' | 'closed' | 'session-ended';

export interface WorkspaceInfo {
  id: string | null;
  name: string | null;
  idleLockMinutes: number;
}

export interface SessionSlice {
  phase: Phase;
  workspace: WorkspaceInfo | null;
  user: User | null;
  /** The zone deadlines are counted in (session.me): the workspace's setting, else the host machine's. */
  timeZone: string | null;
  /** Why the app is unreachable (no host token, host stopped…), as the host's sentence. */
  bootError: string | null;
  /** Why the lock screen is showing, when it was not the user's own sign-out. */
  lockReason: LockReason | null;
  /** Username to prefill on the sign-in form. */
  lastUsername: string;
  /** True right after first-run creation, so sign-in can say what to do next. */
  justCreated: boolean;
  /** The session may only enrol a second factor (the role requires one and the grace has ended). */
  mfaRestricted: boolean;
  boot(): Promise<void>;
  /** Creates the workspace; the phase stays the same so the recovery key can be shown first. */
  createWorkspace(input: RequestOf<'workspace.init'>): Promise<{ ok: true; value: ResponseOf<'workspace.init'> } | { ok: false; error: ResultError }>;
  /** After the recovery key was acknowledged: go to sign-in with the new admin prefilled. */
  finishCreation(username: string): void;
  /** Signs in; an account with a second factor answers `mfa_required` until `otp` is given. */
  signIn(username: string, passphrase: string, otp?: string): Promise<ResultError | null>;
  /** The second factor is on: a session restricted to enrolment may now open the app. */
  enrolmentDone(): void;
  recover(input: RequestOf<'session.recover'>): Promise<ResultError | null>;
  lock(): Promise<void>;
  /** The core locked or the session ended (event or failed call): drop everything and show sign-in. */
  sessionEnded(reason: LockReason): void;
  changePassphrase(currentPassphrase: string, newPassphrase: string): Promise<ResultError | null>;
}

export const createSessionSlice: SliceCreator<SessionSlice> = (set, get) => ({
  phase: 'booting',
  workspace: null,
  user: null,
  timeZone: null,
  bootError: null,
  lockReason: null,
  lastUsername: '',
  justCreated: false,
  mfaRestricted: false,

  async boot() {
    const status = await client.call('workspace.status', {});
    if (!status.ok) {
      set({ phase: 'unreachable', bootError: status.error.message });
      return;
    }
    const { state, workspaceId, workspaceName, idleLockMinutes } = status.value;
    set({ workspace: { id: workspaceId, name: workspaceName, idleLockMinutes }, bootError: null });
    if (state === 'uninitialized') {
      set({ phase: 'uninitialized' });
      return;
    }
    if (state === 'unlocked' && client.session) {
      const me = await client.call('session.me', {});
      if (me.ok) {
        const mfa = await client.call('mfa.status', {});
        set({
          phase: 'unlocked',
          user: me.value.user,
          // A reload keeps the session, and with it the lock screen's "Continue as" for this person.
          lastUsername: me.value.user.username,
          timeZone: me.value.timeZone,
          workspace: { id: workspaceId, name: workspaceName, idleLockMinutes: me.value.idleLockMinutes },
          mfaRestricted: mfa.ok && mfa.value.restricted,
        });
        return;
      }
    }
    client.setSession(null);
    set({ phase: 'locked' });
  },

  async createWorkspace(input) {
    return client.call('workspace.init', input);
  },

  finishCreation(username) {
    set({ lastUsername: username, lockReason: null, justCreated: true });
    void get().boot();
  },

  async signIn(username, passphrase, otp) {
    const r = await client.call('session.login', otp === undefined ? { username, passphrase } : { username, passphrase, otp });
    if (!r.ok) return r.error;
    client.setSession(r.value.session);
    const [status, me] = await Promise.all([client.call('workspace.status', {}), client.call('session.me', {})]);
    const ws = status.ok ? status.value : null;
    const mfa = await client.call('mfa.status', {});
    set({
      mfaRestricted: mfa.ok && mfa.value.restricted,
      phase: 'unlocked',
      user: r.value.user,
      timeZone: me.ok ? me.value.timeZone : null,
      lockReason: null,
      justCreated: false,
      lastUsername: r.value.user.username,
      workspace: ws ? { id: ws.workspaceId, name: ws.workspaceName, idleLockMinutes: ws.idleLockMinutes } : get().workspace,
    });
    return null;
  },

  enrolmentDone() {
    set({ mfaRestricted: false });
  },

  async recover(input) {
    const r = await client.call('session.recover', input);
    if (!r.ok) return r.error;
    set({ lastUsername: r.value.username });
    return null;
  },

  async lock() {
    await client.call('session.lock', {});
    get().sessionEnded('manual');
  },

  sessionEnded(reason) {
    if (get().phase !== 'unlocked' && get().phase !== 'booting') return;
    client.setSession(null);
    set({ ...clearServerData(), phase: 'locked', user: null, timeZone: null, lockReason: reason, mfaRestricted: false });
  },

  async changePassphrase(currentPassphrase, newPassphrase) {
    const r = await client.call('users.changePassphrase', { currentPassphrase, newPassphrase });
    return r.ok ? null : r.error;
  },
});
