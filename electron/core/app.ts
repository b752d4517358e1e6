import { createHash, randomBytes } from 'node:crypto';
import { LEDGER_APPENDED_MAX_RESOURCES, type User } from '../../shared/contract/core.js';
import type { EventName, EventPayload } from '../../shared/contract.js';
import { countFailure, lockedOutError } from './auth/lockout.js';
import type { GrantPurpose } from '../../shared/contract/files.js';
import { getUser, listUsers, touchLogin } from './auth/users.js';
import { ROLE_LABELS } from '../../shared/roles.js';
import {
  assertNoRekeyPending,
  isLegacySlot,
  makeSlot,
  normaliseRecoveryKey,
  pushPendingFailure,
  readKeyslots,
  recoverySlotId,
  sameKey,
  unknownCounter,
  unlockSlot,
  userSlotId,
  writeKeyslots,
  type KeyslotFile,
  type Keyslot,
} from './db/keyslots.js';
import { openWorkspace } from './db/rekey.js';
import { assertNotHeld } from './db/workspace-lock.js';
import { CustosError, failureSentence, isCustosError } from './errors.js';
import { DownloadTickets } from './files/downloads.js';
import { FileGrants } from './files/grants.js';
import { checkpointSignatureValid, readCheckpointFile } from './ledger/checkpoint.js';
import { checkCheckpointNote, readCheckpointNote } from './ledger/checkpoint-note.js';
import { now as clockNow } from './clock.js';
import { disableOwn, enrolmentDue, mfaState, roleRequired, useSecondFactor } from './mfa/mfa.js';
import { securityPolicy } from './policy.js';
import type { CoreWiring } from './wiring.js';
import { inspectFolder, Workspace, type InitOptions } from './workspace.js';
import { ensureDueInstances } from './workflows/workflows.js';
import { reconcileRetentionDates } from './retention/policies.js';
import { sweepIfDue } from './retention/schedule.js';
import { runDueSchedules } from './schedules/run-schedules.js';
import { kickAlerts, watchAlerts } from './alerts/evaluate.js';
import { watchTextIndex } from './ledger/text-index.js';

export interface Session {
  id: string;
  /** The name an administrator sees and revokes it by (a hash of the id: the bearer token never leaves). */
  publicId: string;
  username: string;
  createdAt: number;
  /** Where it was opened (the host's label: desktop window, loopback client, command line). */
  host: string;
  startedAt: string;
  lastSeenAt: string;
  /** Real time (ms) of its last call: a session idle past the policy's limit ends on its own. */
  lastActiveMs: number;
  /** The user's role requires a second factor, they have none and their grace is over: they may only enrol. */
  restricted: boolean;
}

/** The public name of a session id. */
export function publicSessionId(id: string): string {
  return createHash('sha256').update(id).digest('hex').slice(0, 16);
}

/**
 * The size of the signed checkpoint beside the database, recorded by every unlock: if events were
 * deleted while the workspace was locked, verification can still name where, although new events
 * have been appended since.
 */
function signedHeadOnDisk(ws: Workspace): { checkpoint_size?: number } {
  const c = readCheckpointFile(ws.dir);
  const jsonSize = !c || c === 'malformed' || c.workspace_id !== ws.id || !checkpointSignatureValid(ws.signingKey.publicKey, c) ? -1 : c.size;
  // checkpoint.note names the same head; should one of the two have been rolled back, the larger counts.
  const note = readCheckpointNote(ws.dir);
  const checked = note && note !== 'too-large' ? checkCheckpointNote(note, ws.id, ws.signingKey.publicKey) : null;
  const size = Math.max(jsonSize, checked?.ok ? checked.head.size : -1);
  return size < 0 ? {} : { checkpoint_size: size };
}

/**
 * The distinct resources of the events after `from` up to `to`, or null when there are more than
 * LEDGER_APPENDED_MAX_RESOURCES (or too many events to read in a notice, or the database cannot be
 * read just now, as while it is re-keyed): null tells the page to refresh whatever is on screen.
 */
function appendedResources(ws: Workspace, from: number, to: number): { resource_type: string; resource_id: string }[] | null {
  if (to - from > 10 * LEDGER_APPENDED_MAX_RESOURCES) return null;
  try {
    const rows = ws.db
      .prepare(`SELECT DISTINCT resource_type, resource_id FROM events WHERE seq > ? AND seq <= ? LIMIT ${LEDGER_APPENDED_MAX_RESOURCES + 1}`)
      .all(from, to) as { resource_type: string; resource_id: string }[];
    return rows.length > LEDGER_APPENDED_MAX_RESOURCES ? null : rows;
  } catch {
    return null;
  }
}

/** A call in progress; `long` for channels whose contract entry declares `job: 'long'` (cancellable, ledgered when cancelled). */
interface RunningJob {
  controller: AbortController;
  sessionId: string;
  channel: string;
  long: boolean;
}

export type Emit = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/**
 * One workspace folder as the hosts see it: locked or unlocked, its sessions, its running jobs.
 * Both hosts (Electron IPC and the loopback server) and the CLI drive it through the dispatch.
 */
export class CustosApp {
  private workspace: Workspace | null = null;
  private readonly sessions = new Map<string, Session>();
  private readonly jobs = new Map<string, RunningJob>();
  private lastActivity = Date.now();
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly listeners = new Set<Emit>();
  private stopLedgerEvents: (() => void) | null = null;
  /** Files handed over for download; tickets die with the session's workspace at lock. */
  readonly downloads = new DownloadTickets();
  /** Input files handed over by upload or by the desktop open dialog; grants die at sign-out and lock. */
  readonly fileGrants = new FileGrants();
  /**
   * The desktop shell's own open dialog (set by electron/main.ts; absent in the loopback host and
   * the CLI): answers with the path the person chose, or null when they cancelled.
   */
  pickFile: ((purpose: GrantPurpose) => Promise<string | null>) | null = null;
  /** Set by the hosts that stay open (the desktop app, `custos serve`): scheduled work runs while they do and catches up at unlock. */
  runsSchedule = false;
  /** What the last sign-in's catch-up of scheduled work started (`custos run-due` reports it). */
  lastCatchUp: { workflowsStarted: string[] } = { workflowsStarted: [] };

  /** Use createCore() (create-core.ts), which passes the product's wiring. */
  constructor(
    readonly dir: string,
    readonly wiring: CoreWiring,
  ) {}

  /** Subscribes to core events; returns the unsubscribe function. */
  onEvent(listener: Emit): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  readonly emit: Emit = (event, payload) => {
    for (const l of this.listeners) l(event, payload);
  };

  /** The unlocked workspace; throws `locked` when there is none. */
  get ws(): Workspace {
    if (!this.workspace?.isOpen) throw new CustosError('locked', 'The workspace is locked; sign in to continue.');
    return this.workspace;
  }

  get unlocked(): boolean {
    return this.workspace?.isOpen === true;
  }

  status(): { state: 'uninitialized' | 'locked' | 'unlocked'; workspaceId: string | null; workspaceName: string | null; idleLockMinutes: number } {
    const idleLockMinutes = securityPolicy().idleLockMinutes;
    const folder = inspectFolder(this.dir);
    if (folder.state === 'uninitialized') return { state: 'uninitialized', workspaceId: null, workspaceName: null, idleLockMinutes };
    return {
      state: this.unlocked ? 'unlocked' : 'locked',
      workspaceId: folder.slots.workspaceId,
      workspaceName: folder.slots.workspaceName,
      idleLockMinutes,
    };
  }

  /** Creates the workspace and leaves it locked: the administrator signs in next. */
  init(opts: InitOptions): { workspaceId: string; recoveryKey: string } {
    if (inspectFolder(this.dir).state !== 'uninitialized') {
      throw new CustosError('conflict', 'This folder already holds a workspace; sign in instead.');
    }
    const { ws, recoveryKey } = Workspace.create(this.dir, opts);
    const workspaceId = ws.id;
    ws.close();
    return { workspaceId, recoveryKey };
  }

  /**
   * Signs a user in, unlocking the workspace if needed. Failures are ledgered (or kept for the next
   * unlock). With a second factor on, the right passphrase alone answers `mfa_required`; a wrong
   * code counts towards the lockout like a wrong passphrase. `host` labels the session for its list.
   */
  login(username: string, passphrase: string, otp?: string, host = 'Direct call'): { session: string; user: User } {
    const folder = inspectFolder(this.dir);
    if (folder.state === 'uninitialized') throw new CustosError('not_found', 'There is no workspace in this folder yet; create one first.');
    if (!this.unlocked) assertNotHeld(this.dir);
    const file = folder.slots;
    const name = username.trim().toLowerCase();
    const slotId = userSlotId(file.workspaceId, name);
    const slot = file.slots.find((s) => s.kind === 'user' && s.id === slotId);
    // A name without a slot has a counter of its own, so it locks out exactly like a real account.
    const counter = slot ?? unknownCounter(file, slotId);
    const now = new Date();
    if (counter.lockedUntil && new Date(counter.lockedUntil) > now) {
      this.recordLoginFailure(file, slot?.id ?? null, 'account-locked');
      throw lockedOutError(counter.lockedUntil);
    }
    const keys = slot ? unlockSlot(file.workspaceId, slot, passphrase) : null;
    if (!slot) {
      // Same work as a real attempt, so timing does not reveal which usernames exist.
      unlockSlot(file.workspaceId, file.slots[0] as Keyslot, passphrase);
    }
    if (!keys || keys.size === 0) {
      const lockedOut = countFailure(counter, now);
      const reason = slot ? 'wrong-passphrase' : 'unknown-user';
      this.recordLoginFailure(file, slot?.id ?? null, lockedOut ? `${reason}-lockout` : reason);
      throw new CustosError('wrong_credentials', 'The username or passphrase is not correct.');
    }
    let ws = this.workspace?.isOpen ? this.workspace : null;
    const wasLocked = !ws;
    try {
      if (ws) {
        const current = ws.key();
        const matches = [...keys.values()].some((k) => sameKey(k, current));
        current.fill(0);
        if (!matches) throw new CustosError('integrity', 'This keyslot does not open the workspace database.');
      } else {
        ws = openWorkspace(this.dir, keys);
        this.workspace = ws;
        this.stopLedgerEvents = this.relayLedgerGrowth(ws);
      }
    } catch (err) {
      // A slot whose passphrase is right but whose key no longer opens the database (left over from a
      // re-key): a failed sign-in like any other, recorded now or, while locked, at the next unlock.
      if (slot && (isCustosError(err, 'integrity') || isCustosError(err, 'wrong_credentials'))) {
        const lockedOut = countFailure(slot, now);
        this.recordLoginFailure(file, slot.id, lockedOut ? 'stale-keyslot-lockout' : 'stale-keyslot');
      }
      throw err;
    } finally {
      for (const k of keys.values()) k.fill(0);
    }
    // Read again: opening may have settled a re-key that a crash left half done.
    const settled = readKeyslots(this.dir) ?? file;
    const user = getUser(ws, name);
    const opened = ws;
    const counterSlot = settled.slots.find((s) => s.id === slotId);
    // The session's public name is in its sign-in event, so the ledger ties every later event of the session to it.
    const id = randomBytes(32).toString('base64url');
    const publicId = publicSessionId(id);
    let restricted = false;
    const outcome = opened.tx((): 'ok' | 'disabled' | 'mfa-required' | 'wrong-otp' => {
      this.flushPending(opened, settled);
      if (user.disabled) {
        opened.ledger.append({ actor: name, action: 'session.login', resource_type: 'user', resource_id: name, outcome: 'denied', details: { reason: 'disabled' } });
        // The workspace closes again below: sign the head so the denial cannot be cut off the tail unnoticed.
        if (this.sessions.size === 0) opened.signCheckpoint('login-denied');
        return 'disabled';
      }
      const mfaOn = mfaState(opened, name) === 'on';
      const factor = !mfaOn ? 'none' : otp === undefined ? 'missing' : (useSecondFactor(opened, name, otp, clockNow(), 'sign-in') ?? 'wrong');
      if (factor === 'missing' || factor === 'wrong') {
        // Only a wrong code counts: asking for the code is the normal first half of a sign-in.
        const lockedOut = factor === 'wrong' && counterSlot ? countFailure(counterSlot, now) : false;
        const reason = factor === 'missing' ? 'mfa-required' : lockedOut ? 'wrong-otp-lockout' : 'wrong-otp';
        opened.ledger.append({ actor: name, action: 'session.login', resource_type: 'user', resource_id: name, outcome: 'failure', details: { reason } });
        if (this.sessions.size === 0) opened.signCheckpoint('login-refused');
        return factor === 'missing' ? 'mfa-required' : 'wrong-otp';
      }
      // The grace runs on the core clock (days of policy, like every deadline); codes on real time, as the phone's do.
      restricted = enrolmentDue(opened, user, clockNow());
      if (wasLocked) {
        // A holder that died without locking is named, so the missing lock event has an explanation.
        const stale = opened.staleHolder ? { stale_lock: opened.staleHolder } : {};
        opened.ledger.append({ actor: name, action: 'workspace.unlock', resource_type: 'workspace', resource_id: opened.id, details: { ...signedHeadOnDisk(opened), ...stale } });
      }
      const mfa = factor === 'none' ? (restricted ? { second_factor: 'enrolment-required' } : {}) : { second_factor: factor };
      opened.ledger.append({ actor: name, action: 'session.login', resource_type: 'user', resource_id: name, details: { role: user.role, ...mfa, session: publicId, host } });
      touchLogin(opened, name, now.toISOString());
      return 'ok';
    });
    const signedIn = outcome === 'ok' || outcome === 'disabled';
    settled.slots = settled.slots.map((s) => {
      // A refused second factor leaves the counter as it stands (a wrong code counted above).
      if (s.id !== slotId || !signedIn) return s;
      // A format-1 slot becomes format 2 now that its passphrase is at hand, so it can follow re-keys.
      const fresh = isLegacySlot(s) && !user.disabled && !settled.rekey ? this.slotForOpen(opened, settled, slotId, 'user', passphrase) : s;
      return { ...fresh, failedAttempts: 0, lockedUntil: null };
    });
    settled.pending = [];
    settled.pendingDropped = 0;
    writeKeyslots(this.dir, settled);
    if (outcome !== 'ok') {
      if (this.sessions.size === 0) this.closeWorkspace();
      if (outcome === 'disabled') throw new CustosError('forbidden', 'This account is disabled; ask an administrator to enable it.');
      if (outcome === 'mfa-required') throw new CustosError('mfa_required', 'Enter the 6-digit code from your authenticator app, or one of your backup codes.');
      throw new CustosError('wrong_credentials', 'The code is not correct or was already used; enter the code your authenticator app shows now.');
    }
    // Scheduled work catches up at every sign-in (DESIGN §11), after the sign-in's own transaction;
    // a failure is ledgered and does not keep anyone out.
    try {
      this.lastCatchUp = { workflowsStarted: ensureDueInstances(opened, { actor: 'system' }) };
    } catch (err) {
      const code = err instanceof CustosError ? err.code : 'failure';
      opened.record({ actor: 'system', action: 'workflows.start', resource_type: 'workflow', resource_id: 'schedule', outcome: 'failure', details: { code, message: failureSentence('The scheduled workflows did not start', err) } });
    }
    // Record dates written under an earlier retention policy follow the policy in force before anything reads them.
    try {
      reconcileRetentionDates(opened, { actor: 'system' });
    } catch (err) {
      const code = err instanceof CustosError ? err.code : 'failure';
      opened.record({ actor: 'system', action: 'retention.reconcileDates', resource_type: 'retention_policy', resource_id: 'all', outcome: 'failure', details: { code, message: failureSentence('Record dates were not brought in line with the retention policy', err) } });
    }
    if (this.runsSchedule) sweepIfDue(opened, 'unlock');
    // Scheduled exports catch up in the background (one run per schedule for its latest missed occurrence); never throws.
    if (this.runsSchedule) void runDueSchedules(opened, this.wiring.caseResources);
    if (this.runsSchedule) kickAlerts(opened);
    const at = clockNow().toISOString();
    const session: Session = { id, publicId, username: name, createdAt: Date.now(), host, startedAt: at, lastSeenAt: at, lastActiveMs: Date.now(), restricted };
    this.sessions.set(session.id, session);
    this.touch();
    this.startIdleTimer();
    return { session: session.id, user: getUser(opened, name) };
  }

  /** A new format-2 slot holding the open workspace's current key. */
  private slotForOpen(ws: Workspace, file: KeyslotFile, id: string, kind: Keyslot['kind'], secret: string): Keyslot {
    assertNoRekeyPending(file);
    const key = ws.key();
    try {
      return makeSlot(file.workspaceId, id, kind, [{ generation: file.generation, key }], secret, securityPolicy().scrypt);
    } finally {
      key.fill(0);
    }
  }

  /** Replaces a user's passphrase using the recovery key; ledgered. A disabled user gets no slot. */
  recover(recoveryKey: string, username: string, newPassphrase: string): { username: string } {
    const folder = inspectFolder(this.dir);
    if (folder.state === 'uninitialized') throw new CustosError('not_found', 'There is no workspace in this folder yet.');
    if (!this.unlocked) assertNotHeld(this.dir);
    const file = folder.slots;
    const recovery = file.slots.find((s) => s.id === recoverySlotId(file.workspaceId));
    const secret = normaliseRecoveryKey(recoveryKey);
    const keys = recovery ? unlockSlot(file.workspaceId, recovery, secret) : null;
    if (!keys || keys.size === 0) {
      this.recordLoginFailure(file, null, 'wrong-recovery-key');
      throw new CustosError('wrong_credentials', 'The recovery key is not correct.');
    }
    let ws: Workspace;
    try {
      ws = this.workspace?.isOpen ? this.workspace : openWorkspace(this.dir, keys);
    } finally {
      for (const k of keys.values()) k.fill(0);
    }
    try {
      const settled = readKeyslots(this.dir) ?? file;
      const user = getUser(ws, username);
      if (user.disabled) {
        ws.record({ actor: username, action: 'session.recover', resource_type: 'user', resource_id: username, outcome: 'denied', details: { reason: 'disabled' } });
        throw new CustosError('forbidden', 'This account is disabled; an administrator must enable it before it can have a passphrase again.', { ledgered: true });
      }
      const slotId = userSlotId(settled.workspaceId, username);
      const slot = this.slotForOpen(ws, settled, slotId, 'user', newPassphrase);
      const upgraded = recovery && isLegacySlot(recovery) ? this.slotForOpen(ws, settled, recovery.id, 'recovery', secret) : null;
      ws.tx(() => {
        this.flushPending(ws, settled);
        ws.ledger.append({ actor: username, action: 'session.recover', resource_type: 'user', resource_id: username, details: { method: 'recovery-key' } });
        settled.slots = [...settled.slots.filter((s) => s.id !== slotId).map((s) => (upgraded && s.id === upgraded.id ? upgraded : s)), slot];
        settled.pending = [];
        settled.pendingDropped = 0;
        writeKeyslots(this.dir, settled);
      });
    } finally {
      if (ws !== this.workspace) ws.close();
    }
    return { username };
  }

  /**
   * Rewrites the caller's keyslot under a new passphrase (the database is untouched); ledgered.
   * Wrong current passphrases count towards the sign-in lockout like failed sign-ins.
   */
  changePassphrase(username: string, current: string, next: string): void {
    const ws = this.ws;
    const file = readKeyslots(this.dir);
    const slotId = userSlotId(ws.id, username);
    const slot = file?.slots.find((s) => s.id === slotId);
    const now = new Date();
    const fail = (reason: string) =>
      ws.tx(() => {
        ws.ledger.append({ actor: username, action: 'users.changePassphrase', resource_type: 'user', resource_id: username, outcome: 'failure', details: { reason } });
        if (file) writeKeyslots(this.dir, file);
      });
    if (slot?.lockedUntil && new Date(slot.lockedUntil) > now) {
      fail('account-locked');
      throw lockedOutError(slot.lockedUntil, { ledgered: true });
    }
    const keys = slot && file ? unlockSlot(file.workspaceId, slot, current) : null;
    if (!file || !slot || !keys || keys.size === 0) {
      const lockedOut = slot ? countFailure(slot, now) : false;
      fail(lockedOut ? 'wrong-current-passphrase-lockout' : 'wrong-current-passphrase');
      // Already ledgered above with its reason; the dispatch must not add a second event.
      throw new CustosError('wrong_credentials', 'The current passphrase is not correct.', { ledgered: true });
    }
    for (const k of keys.values()) k.fill(0);
    const fresh = this.slotForOpen(ws, file, slotId, 'user', next);
    ws.tx(() => {
      ws.ledger.append({ actor: username, action: 'users.changePassphrase', resource_type: 'user', resource_id: username, details: {} });
      file.slots = file.slots.map((s) => (s.id === slotId ? fresh : s));
      writeKeyslots(this.dir, file);
    });
  }

  /**
   * The session for an id; throws unauthenticated or locked. Refreshes idle time: to now, or to the
   * person's last input when the page says how long ago that was (`inputAgoMs`), so a page's own
   * reloads do not count as someone working.
   */
  session(id: string | undefined, inputAgoMs?: number): Session {
    if (!this.unlocked) throw new CustosError('locked', 'The workspace is locked; sign in to continue.');
    const s = id ? this.sessions.get(id) : undefined;
    if (!s) throw new CustosError('unauthenticated', 'Your session has ended; sign in again.');
    const activeAt = Date.now() - (inputAgoMs ?? 0);
    this.lastActivity = Math.max(this.lastActivity, activeAt);
    s.lastSeenAt = clockNow().toISOString();
    s.lastActiveMs = Math.max(s.lastActiveMs, activeAt);
    return s;
  }

  /** True while `id` is a live session of the unlocked workspace; unlike `session`, it does not count as activity. */
  hasSession(id: string | undefined): boolean {
    return this.unlocked && id !== undefined && this.sessions.has(id);
  }

  /** The user behind a session, read fresh so role changes apply at once. */
  sessionUser(s: Session): User {
    return getUser(this.ws, s.username);
  }

  /** Ends one session and cancels its jobs (ledgered); the workspace stays unlocked for the others. */
  logout(s: Session): void {
    this.endSession(s, {}, 'logout');
  }

  /** Ends a session: one `session.logout` event naming it (with `why`), its jobs cancelled, its file grants gone. */
  private endSession(s: Session, why: Record<string, unknown>, cancelReason: string, actor = s.username): void {
    const ws = this.ws;
    ws.tx(() => {
      ws.ledger.append({ actor, action: 'session.logout', resource_type: 'user', resource_id: s.username, details: { ...why, session: s.publicId, host: s.host } });
      this.cancelJobs((job) => job.sessionId === s.id, cancelReason);
    });
    this.sessions.delete(s.id);
    this.fileGrants.endSession(s.id);
  }

  /**
   * Each session ends on its own once idle past the policy's limit (seed 000: session timeout), so a
   * forgotten session does not stay valid while someone else keeps working. When every session is
   * idle the workspace locks instead (the caller's check), which ends them all.
   */
  private endIdleSessions(limitMs: number): void {
    const now = Date.now();
    const idle = [...this.sessions.values()].filter((s) => now - s.lastActiveMs >= limitMs);
    if (idle.length === 0 || idle.length === this.sessions.size) return;
    // The system ends it (as the idle lock does); the event names whose session it was.
    for (const s of idle) this.endSession(s, { requested: 'idle', idle_minutes: securityPolicy().idleLockMinutes }, 'session-idle', 'system');
  }

  /** The active sessions, for an administrator's list. */
  activeSessions(): readonly Session[] {
    return [...this.sessions.values()];
  }

  /**
   * Ends someone else's session at an administrator's request (`sessions.revoke`), cancelling its
   * jobs; ledgered with who it belonged to. Its next call answers that the session has ended.
   */
  revokeSession(actor: string, publicId: string, own: Session): void {
    const ws = this.ws;
    const target = [...this.sessions.values()].find((s) => s.publicId === publicId);
    if (!target) throw new CustosError('not_found', 'There is no active session with this id; it may have ended already.');
    if (target.id === own.id) throw new CustosError('conflict', 'This is your own session; sign out instead.');
    ws.tx(() => {
      ws.ledger.append({
        actor,
        action: 'sessions.revoke',
        resource_type: 'session',
        resource_id: publicId,
        details: { user: target.username, host: target.host, started_at: target.startedAt },
      });
      this.cancelJobs((job) => job.sessionId === target.id, 'revoked');
    });
    this.sessions.delete(target.id);
    this.fileGrants.endSession(target.id);
  }

  /** After a user turned a second factor on, their sessions restricted to enrolment are no longer restricted. */
  enrolmentDone(username: string): void {
    for (const s of this.sessions.values()) if (s.username === username) s.restricted = false;
  }

  /**
   * Turns the caller's own second factor off, proven by a current code or a backup code; ledgered.
   * Wrong codes count towards the sign-in lockout, as a wrong current passphrase does.
   */
  disableMfa(username: string, otp: string): void {
    const ws = this.ws;
    const file = readKeyslots(this.dir);
    const slot = file?.slots.find((s) => s.id === userSlotId(ws.id, username));
    const now = clockNow();
    const fail = (reason: string) =>
      ws.tx(() => {
        ws.ledger.append({ actor: username, action: 'mfa.disable', resource_type: 'user', resource_id: username, outcome: 'failure', details: { reason } });
        if (file) writeKeyslots(this.dir, file);
      });
    if (slot?.lockedUntil && new Date(slot.lockedUntil) > now) {
      fail('account-locked');
      throw lockedOutError(slot.lockedUntil, { ledgered: true });
    }
    if (mfaState(ws, username) !== 'on') throw new CustosError('conflict', 'Your second factor is not on.');
    // A role the workspace requires a second factor of cannot drop it (a stolen session with one code
    // would otherwise weaken the account for good); a lost phone is an administrator's reset.
    const { role } = getUser(ws, username);
    if (roleRequired(ws, role)) {
      throw new CustosError(
        'forbidden',
        `This workspace requires a second factor of every ${ROLE_LABELS[role].toLowerCase()}, so yours cannot be turned off. For a new phone, ask an administrator to reset it; you then set it up again at your next sign-in.`,
      );
    }
    const done = ws.tx(() => {
      const method = useSecondFactor(ws, username, otp, now, 'disable');
      if (method) disableOwn(ws, username, method, now);
      return method !== null;
    });
    if (!done) {
      const lockedOut = slot ? countFailure(slot, now) : false;
      fail(lockedOut ? 'wrong-otp-lockout' : 'wrong-otp');
      throw new CustosError('wrong_credentials', 'The code is not correct or was already used; nothing was changed.', { ledgered: true });
    }
  }

  /**
   * What `session.lock` does for this caller: an administrator, or the last session, locks the
   * workspace for everyone; anyone else only ends their own session, so a viewer cannot sign
   * everybody else out.
   */
  lockFor(s: Session, role: string): 'lock' | 'logout' {
    if (role === 'admin' || this.sessions.size <= 1) return 'lock';
    // Like a sign-out: its jobs are cancelled and its file grants end with it.
    this.endSession(s, { requested: 'lock', others_signed_in: this.sessions.size - 1 }, 'logout');
    return 'logout';
  }

  /** Locks: ledgers the lock, signs a checkpoint, closes the database, ends every session. */
  lock(reason: 'manual' | 'idle' | 'closed', actor = 'system'): void {
    const ws = this.workspace;
    try {
      if (ws?.isOpen) {
        ws.tx(() => {
          // Every job ends with the sessions; each cancellation is ledgered before the lock itself.
          this.cancelJobs(() => true, reason === 'idle' ? 'idle-lock' : `lock:${reason}`);
          ws.ledger.append({ actor, action: 'workspace.lock', resource_type: 'workspace', resource_id: ws.id, details: { reason } });
          ws.signCheckpoint(`lock:${reason}`);
        });
      }
    } finally {
      // Locking always drops the key, even when the lock event could not be written.
      this.closeWorkspace();
      this.emit('session.locked', { reason });
    }
  }

  /**
   * Tells the hosts the ledger grew (`ledger.appended`), at most every 250 ms with the last size
   * delivered, so a million-event demo does not flood the page while a single action shows at once.
   * Each notice names the resources of the events since the previous one, so the page reloads only
   * what shows them; past LEDGER_APPENDED_MAX_RESOURCES (or a burst too long to read) it names none.
   */
  private relayLedgerGrowth(ws: Workspace): () => void {
    let timer: NodeJS.Timeout | null = null;
    let lastSent = 0;
    let size = ws.ledger.head().size;
    let sentSize = size;
    const send = () => {
      timer = null;
      lastSent = Date.now();
      if (!ws.isOpen) return;
      const from = sentSize;
      sentSize = size;
      this.emit('ledger.appended', { size, resources: appendedResources(ws, from, size) });
    };
    // The alert rules run after appends (outside their transactions) in the hosts that stay open.
    const stopAlerts = this.runsSchedule ? watchAlerts(ws) : null;
    // So does the free-text index's catch-up (at unlock, then after appends); it is never part of an append.
    const stopTextIndex = this.runsSchedule ? watchTextIndex(ws) : null;
    const stop = ws.ledger.onAppend((grown) => {
      size = grown;
      if (timer) return;
      const wait = Math.max(0, 250 - (Date.now() - lastSent));
      if (wait === 0) send();
      else timer = setTimeout(send, wait);
    });
    return () => {
      stop();
      stopAlerts?.();
      stopTextIndex?.();
      if (timer) clearTimeout(timer);
    };
  }

  private closeWorkspace(): void {
    this.stopLedgerEvents?.();
    this.stopLedgerEvents = null;
    this.downloads.clear();
    this.fileGrants.clear(this.dir);
    for (const job of this.jobs.values()) job.controller.abort();
    this.jobs.clear();
    this.sessions.clear();
    this.workspace?.close();
    this.workspace = null;
    if (this.idleTimer) clearInterval(this.idleTimer);
    this.idleTimer = null;
  }

  /** Registers a cancellable job owned by a session (every call is one; `long` ones are ledgered when cancelled). */
  startJob(jobId: string, sessionId: string, call: { channel: string; long: boolean } = { channel: 'unknown', long: true }): AbortSignal {
    if (this.jobs.has(jobId)) throw new CustosError('conflict', 'A job with this id is already running.');
    const controller = new AbortController();
    this.jobs.set(jobId, { controller, sessionId, ...call });
    return controller.signal;
  }

  /**
   * Cancels a job because its caller went away (the HTTP client disconnected) or its session
   * ended, ledgering the cancellation; false when the job is no longer running.
   */
  abandonJob(jobId: string, reason: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job || job.controller.signal.aborted) return false;
    const ws = this.workspace?.isOpen ? this.workspace : null;
    if (ws) ws.tx(() => this.cancelJobs((_j, id) => id === jobId, reason));
    else job.controller.abort();
    return true;
  }

  /**
   * Aborts the running jobs that `which` selects and appends one `jobs.cancelled` event for each
   * (call inside a transaction of the open workspace, so the events land with what caused them).
   */
  private cancelJobs(which: (job: RunningJob, jobId: string) => boolean, reason: string): void {
    const ws = this.workspace?.isOpen ? this.workspace : null;
    for (const [jobId, job] of this.jobs) {
      if (job.controller.signal.aborted || !which(job, jobId)) continue;
      // A short call (say the logout that ends this session) is aborted without an event of its own.
      if (job.long) {
        const owner = this.sessions.get(job.sessionId)?.username ?? 'unknown';
        ws?.ledger.append({ actor: 'system', action: 'jobs.cancelled', resource_type: 'job', resource_id: jobId, details: { reason, channel: job.channel, owner } });
      }
      job.controller.abort();
    }
  }

  endJob(jobId: string): void {
    this.jobs.delete(jobId);
  }

  /** Cancels a job if the session owns it. */
  cancelJob(jobId: string, sessionId: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job || job.sessionId !== sessionId) return false;
    job.controller.abort();
    return true;
  }

  private touch(): void {
    this.lastActivity = Date.now();
  }

  private startIdleTimer(): void {
    if (this.idleTimer) return;
    const idleMs = securityPolicy().idleLockMinutes * 60_000;
    // Tick often enough that a short idle limit (tests, strict policies) is honoured within half of it.
    const tick = Math.max(10, Math.min(5_000, idleMs / 2));
    this.idleTimer = setInterval(() => {
      if (this.runsSchedule && this.workspace?.isOpen) sweepIfDue(this.workspace, 'schedule');
      if (this.runsSchedule && this.workspace?.isOpen) void runDueSchedules(this.workspace, this.wiring.caseResources);
      if (this.runsSchedule && this.workspace?.isOpen) kickAlerts(this.workspace);
      const limit = securityPolicy().idleLockMinutes * 60_000;
      if (this.unlocked) {
        try {
          this.endIdleSessions(limit);
        } catch {
          // A session that could not be ended now is tried again at the next tick (or ends with the lock).
        }
      }
      // Running jobs do not hold the workspace open: only a person's calls count as activity, and
      // the lock cancels (and ledgers) whatever is still running.
      if (this.unlocked && Date.now() - this.lastActivity >= limit) {
        try {
          this.lock('idle');
        } catch {
          // The workspace is closed even if the lock event failed; a timer has no caller to tell.
        }
      }
    }, tick);
    this.idleTimer.unref();
  }

  /** Ledgers a failed sign-in now if the workspace is open, else keeps it in keyslots.json for the next unlock. */
  private recordLoginFailure(file: KeyslotFile, slotId: string | null, reason: string): void {
    const ws = this.workspace?.isOpen ? this.workspace : null;
    if (ws) {
      ws.tx(() => {
        const user = listUsers(ws).find((u) => userSlotId(ws.id, u.username) === slotId);
        ws.ledger.append({
          actor: user?.username ?? 'unknown',
          action: 'session.login',
          resource_type: 'user',
          resource_id: user?.username ?? 'unknown',
          outcome: 'failure',
          details: { reason },
        });
        writeKeyslots(this.dir, file);
      });
      return;
    }
    // Only the slot id is kept, never the typed name: people sometimes type a passphrase into the username field.
    pushPendingFailure(file, { ts: new Date().toISOString(), slotId, reason });
    writeKeyslots(this.dir, file);
  }

  private flushPending(ws: Workspace, file: KeyslotFile): void {
    if (file.pendingDropped > 0) {
      ws.ledger.append({
        actor: 'system',
        action: 'session.login',
        resource_type: 'workspace',
        resource_id: ws.id,
        outcome: 'failure',
        details: { reason: 'failure-log-full', dropped: file.pendingDropped, kept: file.pending.length, recorded: 'at-next-unlock' },
      });
    }
    if (file.pending.length === 0) return;
    const bySlot = new Map(listUsers(ws).map((u) => [userSlotId(ws.id, u.username), u.username]));
    for (const p of file.pending) {
      const who = (p.slotId && bySlot.get(p.slotId)) || 'unknown';
      ws.ledger.append({
        actor: who,
        action: 'session.login',
        resource_type: 'user',
        resource_id: who,
        outcome: 'failure',
        details: { reason: p.reason, attempted_at: p.ts, recorded: 'at-next-unlock' },
      });
    }
  }

  /** Closes everything (app quit / server stop): lock with a checkpoint. */
  shutdown(): void {
    if (this.unlocked) this.lock('closed');
  }
}
