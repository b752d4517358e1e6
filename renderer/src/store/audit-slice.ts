import type { LedgerFilter } from '../../../shared/contract/core.js';
import type { RequestOf, ResponseOf } from '../../../shared/contract.js';
import type { LedgerEvent } from '../../../shared/ledger-types.js';
import type { Result } from '../../../shared/result.js';
import { client } from '../api/client.js';
import { newJobId } from '../lib/job-id.js';
import { cancelJob, isLive, takesProgress, type Job } from './job.js';
import { cleanFilter, PAGE_SIZE } from './ledger-view-slice.js';
import type { SliceCreator } from './types.js';

export type ImportList = ResponseOf<'imports.list'>;
export type ImportRun = ResponseOf<'imports.run'>;
export type ImportDetail = ResponseOf<'imports.get'>;
export type ImportStats = ResponseOf<'imports.stats'>;


/** What a person must compare before the first bundle of a workspace is trusted (from `confirmation_required`). */
export interface TrustQuestion {
  workspaceId: string;
  workspaceName: string;
  /** The key fingerprint grouped for reading aloud. */
  fingerprint: string;
  /** True when the fingerprint confirmed before is not this bundle's key. */
  mismatch: boolean;
  warnings: string[];
}

/** Verifying and importing one bundle: read in the page, then a core job with progress and cancel. */
export interface AuditImportJob extends Job {
  fileName: string;
  fileBytes: number;
  result: ImportRun | null;
  /** Set (with status 'done' and no result) when the core asks a person to confirm the key first. */
  trust?: TrustQuestion | null;
}

function trustQuestion(details: Record<string, unknown> | undefined): TrustQuestion | null {
  if (!details || typeof details.fingerprint !== 'string' || typeof details.workspaceId !== 'string') return null;
  return {
    workspaceId: details.workspaceId,
    workspaceName: typeof details.workspaceName === 'string' ? details.workspaceName : details.workspaceId,
    fingerprint: details.fingerprint,
    mismatch: details.mismatch === true,
    warnings: Array.isArray(details.warnings) ? details.warnings.filter((w): w is string => typeof w === 'string') : [],
  };
}

export interface AuditData {
  auditJob: AuditImportJob | null;
  /** The open bundle (route `audit/<id>`). */
  auditDetail: { id: number; data: ImportDetail | null; error: string | null } | null;
  auditFilter: LedgerFilter;
  /** Bumped on every filter change or bundle change; answers for an older version are dropped. */
  auditQueryVersion: number;
  auditTotal: number | null;
  auditPages: Readonly<Record<number, LedgerEvent[]>>;
  auditListError: string | null;
  auditSelectedIndex: number | null;
  auditEvent: { seq: number; event: LedgerEvent | null; error: string | null } | null;
  auditStats: ImportStats | null;
  auditStatsError: string | null;
  auditFacets: { actors: string[]; actions: string[]; resourceTypes: string[] } | null;
}

export const initialAuditData: AuditData = {
  auditJob: null,
  auditDetail: null,
  auditFilter: {},
  auditQueryVersion: 0,
  auditTotal: null,
  auditPages: {},
  auditListError: null,
  auditSelectedIndex: null,
  auditEvent: null,
  auditStats: null,
  auditStatsError: null,
  auditFacets: null,
};

/** The auditor's review of imported bundles: import with progress, list, one bundle's events, charts, findings, review. */
export interface AuditSlice extends AuditData {
  /**
   * Verifies and imports a bundle handed over by a one-time grant (upload or desktop dialog), reporting
   * progress; the result stays until dismissed. `trustFingerprint`: the key fingerprint the person
   * confirmed (the first bundle of a workspace asks for it, and the file is handed over again).
   */
  startImport(file: { fileName: string; bytes: number; grant: string }, trustFingerprint?: string): Promise<void>;
  cancelImport(): Promise<void>;
  dismissImport(): void;
  /** Opens a bundle (or closes it with null): its summary, findings, first page of events and charts. */
  openImport(id: number | null): Promise<void>;
  reloadImport(): Promise<void>;
  setAuditFilter(filter: LedgerFilter): void;
  ensureAuditRows(first: number, last: number): void;
  selectAuditRow(index: number | null): void;
  openAuditEvent(seq: number): Promise<void>;
  closeAuditEvent(): void;
  addFinding(input: Omit<RequestOf<'imports.findings.add'>, 'importId'>): Promise<Result<ResponseOf<'imports.findings.add'>>>;
  reviewImport(note: string): Promise<Result<ResponseOf<'imports.review'>>>;
  makeImportReport(): Promise<Result<ResponseOf<'imports.report'>>>;
}

/** A clearer sentence for the loopback host's body limit (HTTP 413) than "the request body is too large". */
function importError(code: string, message: string, bytes: number): string {
  if (code === 'validation' && /body is too large/i.test(message)) {
    return `This bundle (${(bytes / 1024 / 1024).toFixed(1)} MiB) is larger than this Custos host accepts from the browser. Import it from the desktop app or with \`custos import WORKSPACE BUNDLE\`.`;
  }
  return message;
}

const inFlight = new Set<string>();
/** The bundle of the last import, kept in memory only so that confirming its key can import it again. */

export const createAuditSlice: SliceCreator<AuditSlice> = (set, get) => {
  function importId(): number | null {
    return get().auditDetail?.id ?? null;
  }

  async function fetchPage(page: number, withTotal: boolean): Promise<void> {
    const id = importId();
    const version = get().auditQueryVersion;
    const key = `${id}:${version}:${page}`;
    if (id === null || inFlight.has(key) || get().auditPages[page]) return;
    inFlight.add(key);
    const r = await client.call('imports.events', { ...get().auditFilter, importId: id, offset: page * PAGE_SIZE, limit: PAGE_SIZE, withTotal });
    inFlight.delete(key);
    if (get().auditQueryVersion !== version || importId() !== id) return;
    if (!r.ok) {
      set({ auditListError: r.error.message });
      return;
    }
    set((s) => ({
      auditPages: { ...s.auditPages, [page]: r.value.events },
      auditListError: null,
      auditTotal: withTotal ? (r.value.total ?? 0) : s.auditTotal,
    }));
  }

  async function loadStats(): Promise<void> {
    const id = importId();
    const version = get().auditQueryVersion;
    if (id === null) return;
    const r = await client.call('imports.stats', { ...get().auditFilter, importId: id, top: 8 });
    if (get().auditQueryVersion !== version || importId() !== id) return;
    set(r.ok ? { auditStats: r.value, auditStatsError: null } : { auditStatsError: r.error.message });
  }

  async function loadFacets(id: number): Promise<void> {
    const r = await client.call('imports.stats', { importId: id, top: 200 });
    if (!r.ok || importId() !== id) return;
    set({ auditFacets: { actors: r.value.byActor.map((a) => a.actor).sort(), actions: r.value.byAction.map((a) => a.action).sort(), resourceTypes: [] } });
  }

  function restart(filter: LedgerFilter): void {
    set({ auditFilter: filter, auditQueryVersion: get().auditQueryVersion + 1, auditTotal: null, auditPages: {}, auditListError: null, auditSelectedIndex: null });
    void fetchPage(0, true);
    void loadStats();
  }

  async function loadDetail(id: number): Promise<boolean> {
    const r = await client.call('imports.get', { id });
    if (get().auditDetail?.id !== id) return false;
    set({ auditDetail: r.ok ? { id, data: r.value, error: null } : { id, data: null, error: r.error.message } });
    return r.ok;
  }

  return {
    ...initialAuditData,

    async startImport(file, trustFingerprint) {
      if (isLive(get().auditJob)) return;
      const jobId = newJobId('import');
      set({
        auditJob: { jobId, fileName: file.fileName, fileBytes: file.bytes, status: 'running', done: 0, total: null, startedAt: Date.now(), finishedAt: null, result: null, error: null },
      });
      // Progress events of this job only; the subscription ends with the job.
      const off = client.on('job.progress', (p) => {
        const job = get().auditJob;
        if (!job || !takesProgress(job, p.jobId)) return;
        set({ auditJob: { ...job, done: p.done, total: p.total } });
      });
      try {
        const trust = trustFingerprint ? { trustFingerprint } : {};
        const r = await client.call('imports.run', { grant: file.grant, fileName: file.fileName, jobId, ...trust });
        const job = get().auditJob;
        if (!job || job.jobId !== jobId) return;
        const finishedAt = Date.now();
        if (r.ok) set({ auditJob: { ...job, status: 'done', result: r.value, done: r.value.report.events_checked, finishedAt } });
        else if (r.error.code === 'cancelled') set({ auditJob: { ...job, status: 'cancelled', finishedAt } });
        else if (r.error.code === 'confirmation_required' && trustQuestion(r.error.details)) {
          set({ auditJob: { ...job, status: 'done', trust: trustQuestion(r.error.details), finishedAt } });
        }
        else set({ auditJob: { ...job, status: 'error', error: importError(r.error.code, r.error.message, file.bytes), finishedAt } });
      } finally {
        off();
      }
      void get().listRefresh('importList');
      void get().loadHead();
    },

    async cancelImport() {
      await cancelJob(get().auditJob, (auditJob) => set({ auditJob }));
    },

    dismissImport() {
      if (isLive(get().auditJob)) return;
      set({ auditJob: null });
    },

    async openImport(id) {
      if (id === null) {
        set({ auditDetail: null, auditEvent: null, auditStats: null, auditFacets: null, auditTotal: null, auditPages: {}, auditFilter: {} });
        return;
      }
      if (get().auditDetail?.id === id && get().auditDetail?.data) return;
      set({ auditDetail: { id, data: null, error: null }, auditEvent: null, auditStats: null, auditStatsError: null, auditFacets: null });
      if (!(await loadDetail(id))) return;
      restart({});
      void loadFacets(id);
    },

    async reloadImport() {
      const id = importId();
      if (id === null) return;
      await loadDetail(id);
    },

    setAuditFilter(filter) {
      const clean = cleanFilter(filter);
      if (JSON.stringify(clean) === JSON.stringify(get().auditFilter) && get().auditTotal !== null) return;
      restart(clean);
    },

    ensureAuditRows(first, last) {
      const total = get().auditTotal;
      if (total === null) return;
      const lastRow = Math.min(last, total - 1);
      for (let p = Math.floor(Math.max(0, first) / PAGE_SIZE); p <= Math.floor(lastRow / PAGE_SIZE); p++) void fetchPage(p, false);
    },

    selectAuditRow(index) {
      set({ auditSelectedIndex: index });
    },

    async openAuditEvent(seq) {
      const loaded = Object.values(get().auditPages)
        .flat()
        .find((e) => e.seq === seq);
      if (loaded) {
        set({ auditEvent: { seq, event: loaded, error: null } });
        return;
      }
      const id = importId();
      if (id === null) return;
      set({ auditEvent: { seq, event: null, error: null } });
      const r = await client.call('imports.events', { importId: id, beforeSeq: seq + 1, limit: 1 });
      if (get().auditEvent?.seq !== seq) return;
      const event = r.ok ? r.value.events.find((e) => e.seq === seq) : undefined;
      set({ auditEvent: { seq, event: event ?? null, error: event ? null : r.ok ? `The bundle holds no event ${seq}.` : r.error.message } });
    },

    closeAuditEvent() {
      set({ auditEvent: null });
    },

    async addFinding(input) {
      const id = importId();
      if (id === null) return { ok: false, error: { code: 'not_found', message: 'No imported bundle is open.' } };
      const r = await client.call('imports.findings.add', { ...input, importId: id });
      if (r.ok) {
        const cur = get().auditDetail;
        if (cur?.id === id && cur.data) set({ auditDetail: { ...cur, data: { ...cur.data, findings: [...cur.data.findings, r.value.finding] } } });
      }
      return r;
    },

    async reviewImport(note) {
      const id = importId();
      if (id === null) return { ok: false, error: { code: 'not_found', message: 'No imported bundle is open.' } };
      const r = await client.call('imports.review', { id, ...(note.trim() ? { note: note.trim() } : {}) });
      if (r.ok) {
        await loadDetail(id);
        void get().listRefresh('importList');
      }
      return r;
    },

    async makeImportReport() {
      const id = importId();
      if (id === null) return { ok: false, error: { code: 'not_found', message: 'No imported bundle is open.' } };
      return client.call('imports.report', { id });
    },
  };
};
