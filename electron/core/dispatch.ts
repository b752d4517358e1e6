import { randomBytes } from 'node:crypto';
import type { User } from '../../shared/contract/core.js';
import { ENROLMENT_CHANNELS } from '../../shared/contract/mfa.js';
import { contract, isChannelName, type ChannelName, type ParsedRequestOf, type ResponseOf } from '../../shared/contract.js';
import type { Result, ResultError } from '../../shared/result.js';
import type { CustosApp, Emit, Session } from './app.js';
import type { Op } from './domain/op.js';
import { CustosError } from './errors.js';
import { roleView } from './read-view.js';
import { describeValueProblem, MAX_REQUEST_DEPTH, pathText, toWellFormed, valueProblem } from './unicode.js';
import type { Workspace } from './workspace.js';

/** What a handler gets besides its request. `user`/`ws` exist for every non-public channel. */
export interface CallContext {
  app: CustosApp;
  session: Session;
  user: User;
  /** The caller as the services take it: actor, role and session (the time is read by the service, from the core clock). */
  op: Op;
  ws: Workspace;
  emit: Emit;
  /** Aborted when the caller cancels the job (long work checks it between chunks). */
  signal: AbortSignal;
  /** Reports progress of long work to the caller. */
  progress: (phase: string, done: number, total: number | null) => void;
  /** The host's label for the caller (see CallMeta.host). */
  host: string;
}

export interface PublicContext {
  app: CustosApp;
  /** The host's label for the caller (see CallMeta.host). */
  host: string;
}

/** What a session whose enrolment is overdue may still call (shared/contract/mfa.ts). */
const ENROLMENT_ONLY: ReadonlySet<string> = new Set(ENROLMENT_CHANNELS);

type HandlerFor<C extends ChannelName> = (typeof contract)[C]['access'] extends 'public'
  ? (req: ParsedRequestOf<C>, ctx: PublicContext) => Promise<ResponseOf<C>> | ResponseOf<C>
  : (req: ParsedRequestOf<C>, ctx: CallContext) => Promise<ResponseOf<C>> | ResponseOf<C>;

/** One handler per channel: a missing or misspelled channel is a compile error. */
export type Handlers = { [C in ChannelName]: HandlerFor<C> };

export interface CallMeta {
  sessionId?: string;
  /** Aborted by the host when the caller went away (an HTTP client that disconnected): the call's job is cancelled. */
  signal?: AbortSignal;
  /** Where the call comes from, as the host names it (desktop window, loopback client, command line); labels new sessions. */
  host?: string;
  /**
   * How long ago the person at the page last gave input, as the page says (absent for scripts and the
   * command line): the session's idle time counts from then, so the reloads a page makes when others
   * work do not keep a forgotten session alive.
   */
  inputAgoMs?: number | undefined;
}

/** A host's `inputAgoMs` as sent (a header's text, an IPC argument): a whole number of milliseconds, else absent. */
export function inputAgoMs(raw: unknown): number | undefined {
  const n = typeof raw === 'string' && /^\d{1,12}$/.test(raw) ? Number(raw) : typeof raw === 'number' ? raw : Number.NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

export type Dispatch = (channel: string, input: unknown, meta?: CallMeta) => Promise<Result<unknown>>;

function toResultError(err: unknown): ResultError {
  if (err instanceof CustosError) {
    // `ledgered` is the core's note to itself (the service already recorded the rejection), not part of the answer.
    const { ledgered: _ledgered, ...details } = err.details ?? {};
    return Object.keys(details).length > 0 ? { code: err.code, message: err.message, details } : { code: err.code, message: err.message };
  }
  // Unexpected errors keep their detail out of the answer; the message is logged by the host.
  return { code: 'failure', message: 'Something went wrong inside Custos; the action was not completed.' };
}

/**
 * The single entry point of both hosts. Order of checks: channel → session → role → input → handler,
 * so a caller without the right learns nothing about a channel's schema. Denials and failed
 * mutations are ledgered; after a rejected mutation the ledger event is the only change.
 */
export function createDispatch(app: CustosApp, handlers: Handlers, log: (err: unknown) => void = () => {}): Dispatch {
  return async (channel, input, meta = {}) => {
    if (!isChannelName(channel)) {
      return { ok: false, error: { code: 'not_found', message: `There is no channel named ${toWellFormed(channel)}.` } };
    }
    const def = contract[channel];
    try {
      if (def.access === 'public') {
        const refused = textError(input);
        if (refused) return { ok: false, error: refused };
        const parsed = def.request.safeParse(input ?? {});
        if (!parsed.success) return { ok: false, error: validationError(parsed.error) };
        const handler = handlers[channel] as (req: unknown, ctx: PublicContext) => unknown;
        const value = def.response.parse(await handler(parsed.data, { app, host: hostLabel(meta) }));
        return { ok: true, value };
      }
      let session: Session;
      try {
        session = app.session(meta.sessionId, meta.inputAgoMs);
      } catch (err) {
        if (err instanceof CustosError && err.code === 'unauthenticated' && app.unlocked) {
          app.ws.record({ actor: 'unknown', action: channel, resource_type: 'channel', resource_id: channel, outcome: 'denied', details: { reason: 'no-session' } });
        }
        throw err;
      }
      const user = app.sessionUser(session);
      const ws = app.ws;
      if (user.disabled || !def.access.includes(user.role)) {
        ws.record({ actor: user.username, action: channel, resource_type: 'channel', resource_id: channel, outcome: 'denied', details: { reason: 'role', role: user.role } });
        return { ok: false, error: { code: 'forbidden', message: `Your role (${user.role}) may not use ${channel}.` } };
      }
      if (session.restricted && !ENROLMENT_ONLY.has(channel)) {
        ws.record({ actor: user.username, action: channel, resource_type: 'channel', resource_id: channel, outcome: 'denied', details: { reason: 'mfa-enrolment-required' } });
        return {
          ok: false,
          error: { code: 'mfa_enrolment_required', message: 'Your role requires a second factor and the time to set it up has ended; turn it on in Settings › Security to continue.' },
        };
      }
      const refused = textError(input);
      if (refused) {
        if (def.mutates) recordRejection(ws, user.username, channel, refused);
        return { ok: false, error: refused };
      }
      const parsed = def.request.safeParse(input ?? {});
      if (!parsed.success) {
        const error = validationError(parsed.error);
        if (def.mutates) recordRejection(ws, user.username, channel, error);
        return { ok: false, error };
      }
      // Every call is a job; a `long` one runs under the caller's jobId (a `cancels` one names someone else's).
      const long = def.job === 'long';
      const requested = long ? (parsed.data as { jobId?: string }).jobId : undefined;
      const jobId = requested ?? `job-${randomBytes(9).toString('base64url')}`;
      const signal = app.startJob(jobId, session.id, { channel, long });
      // The caller hung up before the answer: nobody waits for it, so the work stops (ledgered).
      const gone = () => app.abandonJob(jobId, 'client-gone');
      if (meta.signal?.aborted) gone();
      meta.signal?.addEventListener('abort', gone, { once: true });
      const ctx: CallContext = {
        app,
        session,
        user,
        op: { actor: user.username, role: user.role, session: session.id },
        ws,
        emit: app.emit,
        signal,
        progress: (phase, done, total) => app.emit('job.progress', { jobId, phase, done, total }),
        host: hostLabel(meta),
      };
      try {
        const handler = handlers[channel] as (req: unknown, ctx: CallContext) => unknown;
        const value = def.response.parse(await handler(parsed.data, ctx));
        return { ok: true, value: roleView(ws, user, channel, parsed.data, value) };
      } catch (err) {
        // Work cut short by a cancel or a lock may fail on what it was using (a closed database): it was cancelled.
        const error =
          signal.aborted && !(err instanceof CustosError)
            ? { code: 'cancelled' as const, message: 'The job was cancelled before it finished; nothing of it was kept.' }
            : toResultError(err);
        if (error.code === 'failure') log(err);
        // A service that already ledgered its own failure (with state, e.g. an export marked failed) says so.
        const ledgered = err instanceof CustosError && err.details?.ledgered === true;
        if (def.mutates && app.unlocked && error.code !== 'locked' && !ledgered) recordRejection(ws, user.username, channel, error);
        return { ok: false, error };
      } finally {
        meta.signal?.removeEventListener('abort', gone);
        app.endJob(jobId);
      }
    } catch (err) {
      const error = toResultError(err);
      if (error.code === 'failure') log(err);
      return { ok: false, error };
    }
  };
}

/**
 * The one check over the whole raw request, before any schema: every string and object key must be
 * well-formed Unicode (a lone surrogate would be hashed as one thing and stored as another) and the
 * nesting bounded. The answer names the field, never the offending text.
 */
function textError(input: unknown): ResultError | null {
  const problem = valueProblem(input, MAX_REQUEST_DEPTH);
  if (!problem) return null;
  const sentence = describeValueProblem(problem, MAX_REQUEST_DEPTH);
  return {
    code: 'validation',
    message: `The request is not valid: ${sentence}. Send the text as proper Unicode (UTF-8) and try again.`,
    details: { issues: [{ path: pathText(problem.path), message: `${sentence}.` }] },
  };
}

function hostLabel(meta: CallMeta): string {
  return toWellFormed(meta.host ?? 'Direct call').slice(0, 120);
}

function validationError(error: { issues: { path: PropertyKey[]; message: string }[] }): ResultError {
  const first = error.issues[0];
  const where = first && first.path.length > 0 ? `${first.path.map(String).join('.')}: ` : '';
  // The input was checked for well-formed text already; zod's messages and paths are re-checked
  // anyway, since they end up in the ledger event of a refused mutation.
  return {
    code: 'validation',
    message: toWellFormed(`The request is not valid. ${where}${first?.message ?? ''}`.trim()),
    details: { issues: error.issues.map((i) => ({ path: toWellFormed(i.path.map(String).join('.')), message: toWellFormed(i.message) })) },
  };
}

/** One event that records a refused mutation (no values, which may be sensitive: only the code and message). */
function recordRejection(ws: Workspace, actor: string, channel: string, error: ResultError): void {
  const outcome = error.code === 'forbidden' || error.code === 'held' ? 'denied' : 'failure';
  const resource = (error.details?.resourceType as string | undefined) ?? 'channel';
  const resourceId = (error.details?.resourceId as string | undefined) ?? channel;
  // Messages may quote what the caller sent or what a bundle held: never let that make the event unstorable.
  ws.record({
    actor,
    action: channel,
    resource_type: toWellFormed(resource),
    resource_id: toWellFormed(resourceId),
    outcome,
    details: { code: error.code, message: toWellFormed(error.message) },
  });
}
