import type { ChannelName } from '../../../shared/contract.js';
import type { Role } from '../../../shared/roles.js';
import { ADMIN, PASSPHRASE, type TempWorkspace } from './workspace.js';

/**
 * One valid call of a mutating channel, for test/unit/mutating-channels.test.ts. Every channel of
 * the contract with `mutates: true` needs one: the test fails for a channel without a sample, so a
 * new channel cannot ship without proof that it ledgers its change in the same transaction.
 *
 * `request` runs on a fresh workspace with the administrator signed in. It may prepare state
 * through `ctx.call` (those calls are not measured) and returns the request to measure.
 */
export interface MutatingSample {
  /** Role of the caller (a user with that role is created and signed in); admin by default. */
  as?: Role;
  /** Builds the request, preparing whatever state it needs. */
  request: (ctx: SampleContext) => Promise<unknown> | unknown;
  /** Ledger actions that record this channel, when they differ from the channel name (documented aliases). */
  actions?: string[];
  /** Public channels that run without a session. */
  noSession?: boolean;
  /**
   * Why the fault-injection check (refuse the event → the change must not happen either) cannot
   * apply. Leave unset: every channel should survive it.
   */
  noInjection?: string;
  /**
   * For a channel whose refusal is itself recorded with state (an export marked failed): checks
   * what the refusal left instead of requiring that nothing changed. Throws to fail.
   */
  refusal?: (ctx: SampleContext, request: unknown) => void | Promise<void>;
}

export interface SampleContext {
  t: TempWorkspace;
  /** Calls a channel as `role` (admin by default) and unwraps the value; preparation only. */
  call<T = Record<string, unknown>>(channel: ChannelName, input?: unknown, role?: Role): Promise<T>;
  /** The session of a signed-in user with `role` (created on first use). */
  session(role: Role): Promise<string>;
  /** A unique suffix for names, so samples never collide. */
  unique(): string;
}

/** The context samples run in: sessions per role (users created on first use) and unique names. */
export async function sampleContext(t: TempWorkspace): Promise<SampleContext> {
  const sessions = new Map<Role, string>([['admin', t.admin]]);
  let n = 0;
  const ctx: SampleContext = {
    t,
    async session(role) {
      let s = sessions.get(role);
      if (!s) {
        const username = `${role.replace('_', '-')}.sample`;
        await t.call('users.create', { username, displayName: `Sample ${role}`, role, passphrase: PASSPHRASE }, t.admin);
        s = await t.login(username);
        sessions.set(role, s);
      }
      return s;
    },
    async call(channel, input = {}, role = 'admin') {
      return t.call(channel, input, await ctx.session(role));
    },
    unique: () => `${Date.now().toString(36)}${(n++).toString(36)}`,
  };
  return ctx;
}

/** Samples of the core channels (workspace, sessions, users, ledger). */
export const coreSamples: Record<string, MutatingSample> = {
  'workspace.init': {
    noSession: true,
    // Runs on an empty folder: handled by the test itself (there is no database before it).
    request: () => ({ workspaceName: 'Sample', username: 'first.admin', displayName: 'First Admin', passphrase: PASSPHRASE }),
    noInjection: 'there is no database to inject into before the workspace exists',
  },
  'workspace.dbKey': { request: () => ({}) },
  'workspace.rekey': { request: () => ({}) },
  'session.login': {
    noSession: true,
    request: async (ctx) => {
      const username = `login.${ctx.unique()}`;
      await ctx.call('users.create', { username, displayName: 'Lou', role: 'viewer', passphrase: PASSPHRASE });
      return { username, passphrase: PASSPHRASE };
    },
  },
  'session.recover': {
    noSession: true,
    request: (ctx) => ({ recoveryKey: ctx.t.recoveryKey, username: ADMIN, newPassphrase: 'a brand new passphrase' }),
  },
  'session.logout': { as: 'viewer', request: () => ({}) },
  'session.lock': {
    // Not the last session (the administrator is signed in too): an auditor's lock ends only their own session.
    as: 'auditor',
    actions: ['session.logout'],
    request: () => ({}),
  },
  'users.create': {
    request: (ctx) => ({ username: `new.${ctx.unique()}`, displayName: 'New User', role: 'legal_counsel', passphrase: PASSPHRASE }),
  },
  'users.update': {
    request: async (ctx) => {
      const username = `upd.${ctx.unique()}`;
      await ctx.call('users.create', { username, displayName: 'Before', role: 'viewer', passphrase: PASSPHRASE });
      return { username, displayName: 'After', role: 'auditor' };
    },
  },
  'users.changePassphrase': { as: 'compliance_officer', request: () => ({ currentPassphrase: PASSPHRASE, newPassphrase: 'another long passphrase' }) },
  'ledger.verify': { as: 'auditor', request: () => ({}) },
  'ledger.checkpoint': { as: 'legal_counsel', request: () => ({}) },
  'workspace.setTimeZone': { request: () => ({ timeZone: 'Europe/Berlin' }) },
};
