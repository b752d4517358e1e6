import type { CustosBridge } from '../../../shared/bridge.js';
import { inputAgoMs } from './input-activity.js';
import { contract, type ChannelName, type EventName, type EventPayload, type RequestOf, type ResponseOf } from '../../../shared/contract.js';
import { fieldPath, issueSentence } from '../../../shared/field-check.js';
import type { ErrorCode, Result } from '../../../shared/result.js';
import { httpTransport } from './http-transport.js';
import { ipcTransport } from './ipc-transport.js';
import type { GrantPurpose } from '../../../shared/contract/files.js';
import type { Transport, UploadedFile, UploadOptions } from './transport.js';

declare global {
  interface Window {
    /** Present only inside the Electron shell (electron/preload.ts). */
    custos?: CustosBridge;
  }
}

const SESSION_KEY = 'custos.session';
const TOKEN_KEY = 'custos.token';

export type SessionEndedReason = 'locked' | 'unauthenticated';

/**
 * The renderer's one way to reach the core. Every call is typed from the contract; every answer
 * is a Result. When a call shows that the session is gone (the workspace locked, the session
 * ended), `onSessionEnded` listeners hear about it so the UI can return to the lock screen.
 */
export class CustosClient {
  private sessionId: string | null;
  private readonly endedListeners = new Set<(reason: SessionEndedReason) => void>();

  constructor(private readonly transport: Transport) {
    this.sessionId = safeStorage()?.getItem(SESSION_KEY) ?? null;
    transport.sessionChanged?.(this.sessionId);
  }

  get kind(): Transport['kind'] {
    return this.transport.kind;
  }

  get session(): string | null {
    return this.sessionId;
  }

  /** Remembers the session for this tab only (sessionStorage), so a reload keeps you signed in. */
  setSession(id: string | null): void {
    this.sessionId = id;
    const store = safeStorage();
    if (id) store?.setItem(SESSION_KEY, id);
    else store?.removeItem(SESSION_KEY);
    this.transport.sessionChanged?.(id);
  }

  /** True where files are uploaded from the page (browser); the desktop app picks them with its own dialog. */
  get uploads(): boolean {
    return this.transport.upload !== undefined;
  }

  /** Sends a file chosen in the page to the host; the answer is a one-time grant for `purpose`. */
  async upload(purpose: GrantPurpose, file: File, opts: UploadOptions = {}): Promise<Result<UploadedFile>> {
    if (!this.transport.upload) return { ok: false, error: { code: 'unavailable', message: 'Choose the file with the app’s own dialog.' } };
    const sent = this.sessionId;
    const r = await this.transport.upload(purpose, file, sent, opts);
    if (!r.ok) this.checkSessionEnded(r.error.code, sent);
    return r;
  }

  async call<C extends ChannelName>(channel: C, input: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
    // The contract's own schema checks the request first (issue 15.8): what the core would refuse as
    // ill-formed is said here in words, naming the field, before anything is sent.
    const checked = contract[channel].request.safeParse(input);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      // `issue` lets a form say it again with the words of its own label ("Enter a note." for `body`).
      const { code, origin, minimum, maximum } = issue as { code: string; origin?: unknown; minimum?: unknown; maximum?: unknown };
      const details = { field: fieldPath(issue.path), issue: { code, message: issue.message, ...(typeof origin === 'string' ? { origin } : {}), ...(typeof minimum === 'number' ? { minimum } : {}), ...(typeof maximum === 'number' ? { maximum } : {}) } };
      return { ok: false, error: { code: 'validation', message: issueSentence(issue), details } };
    }
    const sent = this.sessionId;
    const result = (await this.transport.call(channel, input, sent, inputAgoMs())) as Result<ResponseOf<C>>;
    if (!result.ok && contract[channel].access !== 'public') this.checkSessionEnded(result.error.code, sent);
    return result;
  }

  /** Where the page fetches a file handed over by `files.download`. */
  downloadUrl(ticket: string): string {
    return this.transport.downloadUrl(ticket);
  }

  /** Subscribes to a core event; returns its own unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.transport.on(event, listener as (payload: unknown) => void);
  }

  /** Called when a call reveals that the session is over; returns the unsubscribe function. */
  onSessionEnded(listener: (reason: SessionEndedReason) => void): () => void {
    this.endedListeners.add(listener);
    return () => {
      this.endedListeners.delete(listener);
    };
  }

  /**
   * `locked` and `unauthenticated` mean the session the call was sent with is over; a wrong secret
   * (`wrong_credentials`) leaves it alone. An answer to a call sent under an earlier session (a list
   * reload in flight while someone locked and signed in again) says nothing about the current one.
   */
  private checkSessionEnded(code: ErrorCode, sentWith: string | null): void {
    if ((code === 'locked' || code === 'unauthenticated') && sentWith === this.sessionId) this.ended(code);
  }

  private ended(reason: SessionEndedReason): void {
    this.setSession(null);
    for (const l of this.endedListeners) l(reason);
  }
}

function safeStorage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/**
 * The loopback host puts its token in the URL fragment (never sent over the network). Keep it
 * for this tab and take it out of the visible address so it is not copied or screenshotted.
 */
export function takeHostToken(): string | null {
  const store = safeStorage();
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (match?.[1]) {
    const token = decodeURIComponent(match[1]);
    store?.setItem(TOKEN_KEY, token);
    window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}`);
    return token;
  }
  return store?.getItem(TOKEN_KEY) ?? null;
}

/**
 * Chooses the transport once, at start: the Electron preload if present, else the loopback host.
 * Without a token every call answers with the host's own sentence telling the user which URL to open.
 */
export function createClient(): CustosClient {
  if (window.custos) return new CustosClient(ipcTransport(window.custos));
  return new CustosClient(httpTransport(takeHostToken() ?? ''));
}

export const client: CustosClient = createClient();
