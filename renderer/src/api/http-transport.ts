import { ERROR_CODES, type Result, type ResultError } from '../../../shared/result.js';
import type { ChannelName, EventName } from '../../../shared/contract.js';
import type { GrantPurpose } from '../../../shared/contract/files.js';
import type { Transport, UploadedFile, UploadOptions } from './transport.js';

function isResult(x: unknown): x is Result<unknown> {
  if (typeof x !== 'object' || x === null || !('ok' in x)) return false;
  const r = x as { ok: unknown; error?: { code?: unknown; message?: unknown } };
  if (r.ok === true) return 'value' in x;
  return (
    r.ok === false &&
    typeof r.error?.message === 'string' &&
    (ERROR_CODES as readonly unknown[]).includes(r.error.code)
  );
}

function failure(error: ResultError): Result<unknown> {
  return { ok: false, error };
}

/**
 * Browser mode: the loopback host's wire protocol (DESIGN §1). Calls are `POST /api/<channel>`
 * with the host token and the session; events arrive as Server-Sent Events on `/api/events`.
 */
export function httpTransport(token: string, base = ''): Transport {
  let source: EventSource | null = null;
  let session: string | null = null;
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const attached = new Set<EventName>();

  function ensureSource(): EventSource | null {
    // The host streams events only to a signed-in session.
    if (!session) return null;
    if (!source) {
      // EventSource cannot send headers, so the host accepts the token (and the session) as query parameters here.
      source = new EventSource(`${base}/api/events?token=${encodeURIComponent(token)}&session=${encodeURIComponent(session)}`);
    }
    return source;
  }

  function attach(event: EventName): void {
    if (attached.has(event)) return;
    const es = ensureSource();
    if (!es) return;
    attached.add(event);
    es.addEventListener(event, (msg) => {
      let payload: unknown;
      try {
        payload = JSON.parse((msg as MessageEvent<string>).data);
      } catch {
        return;
      }
      for (const l of listeners.get(event) ?? []) l(payload);
    });
  }

  return {
    kind: 'http',
    async call(channel: ChannelName, input: unknown, sessionId: string | null, inputAgoMs?: number) {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      };
      if (sessionId) headers['x-custos-session'] = sessionId;
      if (inputAgoMs !== undefined) headers['x-custos-input-ago'] = String(Math.floor(inputAgoMs));
      let res: Response;
      try {
        res = await fetch(`${base}/api/${channel}`, { method: 'POST', headers, body: JSON.stringify(input ?? {}), cache: 'no-store' });
      } catch {
        return failure({ code: 'unavailable', message: 'Custos is not reachable; check that `custos serve` is still running, then reload.' });
      }
      let body: unknown = null;
      try {
        body = await res.json();
      } catch {
        // Handled below: a body that is not a Result becomes a clear error.
      }
      if (isResult(body)) return body;
      if (res.status === 401) {
        return failure({ code: 'unauthenticated', message: 'The host token is missing or wrong; open the URL that `custos serve` printed.' });
      }
      return failure({ code: 'failure', message: `The Custos host answered with HTTP ${res.status}; the action was not completed.` });
    },
    downloadUrl(ticket: string) {
      // A plain link streams to disk through the browser's download manager; the ticket is single-use.
      return `${base}/api/download/${encodeURIComponent(ticket)}?token=${encodeURIComponent(token)}`;
    },
    upload(purpose: GrantPurpose, file: File, sessionId: string | null, opts: UploadOptions) {
      return uploadOverHttp(`${base}/api/upload?purpose=${purpose}&name=${encodeURIComponent(file.name)}`, token, file, sessionId, opts);
    },
    sessionChanged(id: string | null) {
      if (id === session) return;
      session = id;
      source?.close();
      source = null;
      attached.clear();
      for (const [event, set] of listeners) if (set.size > 0) attach(event);
    },
    on(event: EventName, listener: (payload: unknown) => void) {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(listener);
      attach(event);
      return () => {
        set.delete(listener);
      };
    },
  };
}

/** POSTs the file as the raw body with XMLHttpRequest, the one browser API that reports upload progress. */
function uploadOverHttp(url: string, token: string, file: File, sessionId: string | null, opts: UploadOptions): Promise<Result<UploadedFile>> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    const abort = () => xhr.abort();
    xhr.open('POST', url);
    xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    if (sessionId) xhr.setRequestHeader('x-custos-session', sessionId);
    xhr.upload.onprogress = (e) => opts.onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      opts.signal?.removeEventListener('abort', abort);
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // Handled below.
      }
      if (isResult(body)) return resolve(body as Result<UploadedFile>);
      if (xhr.status === 413) return resolve(failure({ code: 'validation', message: `${file.name} is larger than this host accepts.` }) as Result<UploadedFile>);
      resolve(failure({ code: 'failure', message: `The Custos host answered the upload with HTTP ${xhr.status}; nothing was stored.` }) as Result<UploadedFile>);
    };
    xhr.onerror = () =>
      resolve(failure({ code: 'unavailable', message: `${file.name} could not be sent; check that \`custos serve\` is still running and try again.` }) as Result<UploadedFile>);
    xhr.onabort = () => resolve(failure({ code: 'cancelled', message: 'The upload was cancelled; nothing was kept.' }) as Result<UploadedFile>);
    if (opts.signal?.aborted) return xhr.onabort(new ProgressEvent('abort'));
    opts.signal?.addEventListener('abort', abort, { once: true });
    xhr.send(file);
  });
}
