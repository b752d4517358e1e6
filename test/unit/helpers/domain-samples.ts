import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { MutatingSample, SampleContext } from './mutating-samples.js';
import { exportedPath, makeBundle } from './outputs.js';

// Samples of the domain channels (cases, subjects and records, evidence, holds, FERPA, bundles,
// exports) for test/unit/mutating-channels.test.ts. Each prepares what its channel needs through
// other channels, then returns the request to measure.

interface Id {
  id: string;
}

async function subject(ctx: SampleContext): Promise<string> {
  const r = await ctx.call<{ subject: Id }>('subjects.create', { displayName: `Student ${ctx.unique()}`, kind: 'student' });
  return r.subject.id;
}

async function record(ctx: SampleContext, opts: { subjectId?: string; category?: string; recordDate?: string } = {}): Promise<{ id: string; subjectId: string }> {
  const subjectId = opts.subjectId ?? (await subject(ctx));
  const r = await ctx.call<{ record: Id }>('records.create', {
    subjectId,
    category: opts.category ?? 'academic',
    title: `Transcript ${ctx.unique()}`,
    content: 'Term grades: A, B+, A-.',
    source: 'registrar',
    recordDate: opts.recordDate ?? '2024-06-30',
  });
  return { id: r.record.id, subjectId };
}

async function caseId(ctx: SampleContext): Promise<string> {
  const r = await ctx.call<{ case: Id }>('cases.create', { title: `Case ${ctx.unique()}`, type: 'investigation', description: 'Sample case.' });
  return r.case.id;
}

async function evidence(ctx: SampleContext): Promise<string> {
  const r = await ctx.call<{ evidence: Id }>('evidence.ingestContent', {
    fileName: 'statement.txt',
    contentBase64: Buffer.from(`Witness statement ${ctx.unique()}`).toString('base64'),
    title: 'Witness statement',
    source: 'email from the principal',
  });
  return r.evidence.id;
}

async function draftHold(ctx: SampleContext): Promise<string> {
  const r = await ctx.call<{ hold: Id }>('holds.create', {
    caseId: await caseId(ctx),
    title: `Hold ${ctx.unique()}`,
    description: 'Preserve everything about the matter.',
    custodians: [{ name: 'Rita Registrar', email: 'rita@example.edu' }],
  });
  return r.hold.id;
}

async function activeHold(ctx: SampleContext, notices = false): Promise<{ id: string; custodianId: string }> {
  const id = await draftHold(ctx);
  await ctx.call('holds.activate', { id });
  if (notices) await ctx.call('holds.issueNotices', { id });
  const got = await ctx.call<{ custodians: Id[] }>('holds.get', { id });
  return { id, custodianId: got.custodians[0]!.id };
}

async function amendment(ctx: SampleContext, steps: ('review' | 'deny' | 'hearing' | 'schedule')[] = []): Promise<string> {
  const { id: recordId } = await record(ctx);
  const r = await ctx.call<{ amendment: Id }>('amendments.receive', {
    recordId,
    matter: 'clerical_error',
    requestedChange: 'Correct the spelling of my name.',
    reason: 'It is misspelled on the transcript.',
  });
  const id = r.amendment.id;
  for (const step of steps) {
    if (step === 'review') await ctx.call('amendments.startReview', { id });
    if (step === 'deny') await ctx.call('amendments.decide', { id, decision: 'deny', reason: 'The record is accurate.' });
    if (step === 'hearing') await ctx.call('amendments.requestHearing', { id });
    // Held a moment ago, so its outcome can be recorded.
    if (step === 'schedule') await ctx.call('amendments.scheduleHearing', { id, hearingAt: new Date(Date.now() - 1000).toISOString(), location: 'Room 101', officer: 'Hearing Officer Hale' });
  }
  return id;
}

async function subpoena(ctx: SampleContext, steps: ('verify' | 'notice' | 'scope' | 'produce')[] = []): Promise<{ id: string; recordId: string; productionId?: string }> {
  const rec = await record(ctx);
  const r = await ctx.call<{ subpoena: Id }>('subpoenas.receive', {
    subjectId: rec.subjectId,
    issuer: 'County District Attorney',
    court: 'County Superior Court',
    docket: 'CR-2026-0042',
    type: 'court_order',
    requestedRecords: 'All academic records.',
    servedAt: '2026-01-05',
    dueAt: '2099-02-05',
  });
  const id = r.subpoena.id;
  let productionId: string | undefined;
  for (const step of steps) {
    if (step === 'verify') await ctx.call('subpoenas.verify', { id, note: 'Counsel confirmed the order is genuine.' }, 'legal_counsel');
    if (step === 'notice') await ctx.call('subpoenas.sendNotice', { id, method: 'certified mail' });
    if (step === 'scope') await ctx.call('subpoenas.scope', { id, recordIds: [rec.id] });
    if (step === 'produce') productionId = (await ctx.call<{ production: Id }>('subpoenas.produce', { id, batesPrefix: 'CUS' })).production.id;
  }
  return { id, recordId: rec.id, productionId };
}

async function accessRequest(ctx: SampleContext): Promise<string> {
  const r = await ctx.call<{ request: Id }>('accessRequests.create', {
    subjectId: await subject(ctx),
    requester: 'Parent of the student',
    description: 'Inspect and review the education records.',
  });
  return r.request.id;
}

async function exportRequest(ctx: SampleContext, as: 'compliance_officer' | 'auditor' = 'compliance_officer'): Promise<string> {
  const r = await ctx.call<{ request: Id }>(
    'exports.request',
    { title: `Audit extract ${ctx.unique()}`, type: 'AUDIT', format: 'csv', purpose: 'Annual audit', recipient: 'External auditor' },
    as,
  );
  return r.request.id;
}

async function bundleFile(ctx: SampleContext): Promise<string> {
  const { fileName } = await ctx.call<{ fileName: string }>('bundles.create', { action: 'session.*' });
  return exportedPath(ctx.t, fileName);
}

export const domainSamples: Record<string, MutatingSample> = {
  // Cases.
  'cases.create': { as: 'compliance_officer', request: (ctx) => ({ title: `Case ${ctx.unique()}`, type: 'breach', description: 'Lost laptop.' }) },
  'cases.update': { request: async (ctx) => ({ id: await caseId(ctx), title: 'Renamed case', description: 'Updated description.' }) },
  'cases.assign': { request: async (ctx) => ({ id: await caseId(ctx), assignee: 'admin' }) },
  'cases.setStatus': { request: async (ctx) => ({ id: await caseId(ctx), status: 'closed', reason: 'Resolved.' }) },
  'cases.addNote': { as: 'legal_counsel', request: async (ctx) => ({ id: await caseId(ctx), body: 'Called the registrar.' }) },
  'cases.link': { request: async (ctx) => ({ id: await caseId(ctx), itemType: 'subject', itemId: await subject(ctx) }) },
  'cases.unlink': {
    request: async (ctx) => {
      const id = await caseId(ctx);
      const itemId = await subject(ctx);
      await ctx.call('cases.link', { id, itemType: 'subject', itemId });
      return { id, itemType: 'subject', itemId };
    },
  },

  // Subjects and records.
  'subjects.create': { request: () => ({ displayName: 'Jordan Student', kind: 'student', email: 'jordan@example.edu', dateOfBirth: '2008-04-01' }) },
  'subjects.update': { request: async (ctx) => ({ id: await subject(ctx), displayName: 'Jordan Q. Student' }) },
  'subjects.setDirectoryOptOut': { request: async (ctx) => ({ id: await subject(ctx), optOut: true }) },
  'subjects.setDependency': { request: async (ctx) => ({ id: await subject(ctx), dependent: true, evidence: 'Claimed on the parents\' 2025 federal return (copy on file).' }) },
  'records.create': {
    request: async (ctx) => ({ subjectId: await subject(ctx), category: 'academic', title: 'Transcript', content: 'A, B', source: 'registrar', recordDate: '2024-06-30' }),
  },
  'records.update': { request: async (ctx) => ({ id: (await record(ctx)).id, title: 'Corrected transcript' }) },
  'records.erase': { request: async (ctx) => ({ id: (await record(ctx, { category: 'communications' })).id, reason: 'The subject asked for erasure.' }) },
  'records.purgeExpired': {
    // An attendance record from 2000 is long past its three years.
    request: async (ctx) => ({ ids: [(await record(ctx, { category: 'attendance', recordDate: '2000-01-10' })).id] }),
  },

  // Evidence.
  'evidence.ingestContent': {
    actions: ['evidence.ingestFile', 'evidence.ingestContent'],
    request: (ctx) => ({
      fileName: 'photo.txt',
      contentBase64: Buffer.from(`evidence ${ctx.unique()}`).toString('base64'),
      title: 'Photo of the notice board',
      source: 'hallway camera',
    }),
  },
  'evidence.ingestFile': {
    request: async (ctx) => {
      const { writeFileSync, mkdtempSync } = await import('node:fs');
      const { tmpdir } = await import('node:os');
      const dir = mkdtempSync(join(tmpdir(), 'custos-ingest-'));
      const path = join(dir, 'scan.txt');
      writeFileSync(path, `scanned letter ${ctx.unique()}`);
      // The file is named as the desktop open dialog would: by a one-time grant for the caller's session.
      const { grant } = await ctx.t.app.fileGrants.grantPath(await ctx.session('admin'), 'evidence', path, ctx.t.dir);
      return { grant, title: 'Scanned letter', source: 'front office scanner' };
    },
  },
  'evidence.transfer': { request: async (ctx) => ({ id: await evidence(ctx), to: 'Legal department', purpose: 'Review by counsel' }) },
  'evidence.seal': { request: async (ctx) => ({ id: await evidence(ctx), purpose: 'Preserve for court' }) },
  'evidence.release': {
    request: async (ctx) => {
      const id = await evidence(ctx);
      await ctx.call('evidence.seal', { id, purpose: 'Preserve for court' });
      return { id, purpose: 'Court needs a look' };
    },
  },
  'evidence.dispose': { request: async (ctx) => ({ id: await evidence(ctx), reason: 'Duplicate of another item.' }) },
  'evidence.verify': { as: 'auditor', request: async (ctx) => ({ id: await evidence(ctx) }) },

  // Legal holds.
  'holds.create': {
    request: async (ctx) => ({ caseId: await caseId(ctx), title: 'Preserve records', custodians: [{ name: 'Rita Registrar', email: 'rita@example.edu' }] }),
  },
  'holds.update': { request: async (ctx) => ({ id: await draftHold(ctx), title: 'Preserve all records', description: 'Wider.' }) },
  'holds.activate': { request: async (ctx) => ({ id: await draftHold(ctx) }) },
  'holds.addCustodian': { request: async (ctx) => ({ id: await draftHold(ctx), custodian: { name: 'Ian IT', email: 'ian@example.edu' } }) },
  'holds.issueNotices': { request: async (ctx) => ({ id: (await activeHold(ctx)).id }) },
  'holds.acknowledge': {
    request: async (ctx) => {
      const h = await activeHold(ctx, true);
      return { id: h.id, custodianId: h.custodianId, method: 'email' };
    },
  },
  'holds.sendReminders': {
    request: async (ctx) => {
      const h = await activeHold(ctx, true);
      return { id: h.id, custodianIds: [h.custodianId] };
    },
  },
  'holds.escalate': {
    request: async (ctx) => {
      const h = await activeHold(ctx, true);
      return { id: h.id, custodianIds: [h.custodianId] };
    },
  },
  'holds.release': { request: async (ctx) => ({ id: (await activeHold(ctx, true)).id, reason: 'The matter settled.' }) },

  // FERPA amendments.
  'amendments.receive': {
    request: async (ctx) => ({ recordId: (await record(ctx)).id, matter: 'clerical_error', requestedChange: 'Fix my name.', reason: 'Misspelled.', receivedAt: '2026-01-10' }),
  },
  'amendments.startReview': { request: async (ctx) => ({ id: await amendment(ctx) }) },
  'amendments.decide': { request: async (ctx) => ({ id: await amendment(ctx, ['review']), decision: 'amend', reason: 'Agreed.', amendmentText: 'Jordan Student' }) },
  'amendments.requestHearing': { request: async (ctx) => ({ id: await amendment(ctx, ['review', 'deny']) }) },
  'amendments.scheduleHearing': {
    request: async (ctx) => ({ id: await amendment(ctx, ['review', 'deny', 'hearing']), hearingAt: '2099-01-15', location: 'Room 101', officer: 'Hearing Officer Hale' }),
  },
  'amendments.recordHearingOutcome': {
    request: async (ctx) => ({ id: await amendment(ctx, ['review', 'deny', 'hearing', 'schedule']), outcome: 'upheld', reason: 'The record stands.' }),
  },
  'amendments.fileStatement': { request: async (ctx) => ({ id: await amendment(ctx, ['review', 'deny']), text: 'I disagree with this record.' }) },
  'amendments.close': {
    request: async (ctx) => {
      const id = await amendment(ctx, ['review']);
      await ctx.call('amendments.decide', { id, decision: 'amend', reason: 'Agreed.', amendmentText: 'Jordan Student' });
      return { id, note: 'Done.' };
    },
  },

  // Subpoenas.
  'subpoenas.receive': {
    request: async (ctx) => ({
      subjectId: await subject(ctx),
      issuer: 'County District Attorney',
      type: 'law_enforcement',
      requestedRecords: 'Attendance 2025.',
      servedAt: '2026-01-05',
      dueAt: '2099-01-20',
    }),
  },
  'subpoenas.verify': {
    // Run by an administrator, who names the counsel that confirmed it (seed 002, step 1).
    request: async (ctx) => {
      await ctx.session('legal_counsel');
      return { id: (await subpoena(ctx)).id, note: 'Counsel confirmed it.', counsel: 'legal-counsel.sample' };
    },
  },
  'subpoenas.sendNotice': { request: async (ctx) => ({ id: (await subpoena(ctx, ['verify'])).id, method: 'certified mail', note: 'Sent to the parents.' }) },
  'subpoenas.exemptNotice': {
    request: async (ctx) => ({ id: (await subpoena(ctx, ['verify'])).id, ground: 'ex_parte_order', reason: 'An ex parte order (99.31(a)(9)(ii)) forbids notice.' }),
  },
  'subpoenas.scope': {
    request: async (ctx) => {
      const s = await subpoena(ctx, ['verify', 'notice']);
      return { id: s.id, recordIds: [s.recordId] };
    },
  },
  'subpoenas.produce': { request: async (ctx) => ({ id: (await subpoena(ctx, ['verify', 'notice', 'scope'])).id, batesPrefix: 'CUS' }) },
  'subpoenas.exportProduction': {
    request: async (ctx) => {
      const s = await subpoena(ctx, ['verify', 'notice', 'scope', 'produce']);
      return { productionId: s.productionId };
    },
  },
  'subpoenas.close': { request: async (ctx) => ({ id: (await subpoena(ctx, ['verify', 'notice', 'scope', 'produce'])).id, note: 'Produced and closed.' }) },
  'subpoenas.quash': { request: async (ctx) => ({ id: (await subpoena(ctx)).id, reason: 'The court quashed it.' }) },
  'subpoenas.withdraw': { request: async (ctx) => ({ id: (await subpoena(ctx)).id, reason: 'The issuer withdrew it.' }) },

  // Disclosures and access requests.
  'disclosures.record': {
    request: async (ctx) => {
      const rec = await record(ctx);
      return { subjectId: rec.subjectId, recordIds: [rec.id], recipient: 'State University admissions', basis: 'other_institution', basisDetail: 'Student seeks to enroll (99.31(a)(2)).' };
    },
  },
  'disclosures.accountingReport': { request: async (ctx) => ({ subjectId: (await record(ctx)).subjectId, audience: 'subject' }) },
  'accessRequests.create': { request: async (ctx) => ({ subjectId: await subject(ctx), requester: 'The student', description: 'Review my file.' }) },
  'accessRequests.fulfill': { request: async (ctx) => ({ id: await accessRequest(ctx), note: 'Reviewed with the registrar.' }) },
  'accessRequests.withdraw': { request: async (ctx) => ({ id: await accessRequest(ctx), note: 'No longer needed.' }) },

  // Bundles and imports.
  // An auditor makes a bundle of filtered events directly; a case or complete one must be requested (bundles.request).
  // Its first event is the exports.request that lists it on Exports (bundle/bundle-requests.ts); refused, nothing is made.
  'bundles.create': { as: 'auditor', actions: ['exports.request', 'bundles.create'], request: () => ({ action: 'cases.*' }) },
  'bundles.verify': {
    as: 'auditor',
    request: async (ctx) => ({ grant: (await ctx.t.app.fileGrants.grantPath(await ctx.session('auditor'), 'bundle', await bundleFile(ctx), ctx.t.dir)).grant }),
  },
  'imports.run': {
    as: 'auditor',
    request: async (ctx) => {
      // A bundle from another workspace, so importing it is a real import.
      const { createTempWorkspace } = await import('./workspace.js');
      const other = await createTempWorkspace({ name: 'Source workspace' });
      const made = await makeBundle(other, {}, other.admin);
      other.lock();
      return { grant: (await ctx.t.app.fileGrants.grantPath(await ctx.session('auditor'), 'bundle', made.path, ctx.t.dir)).grant, trustFingerprint: made.fingerprint };
    },
  },
  'imports.review': {
    as: 'auditor',
    request: async (ctx) => {
      const { createTempWorkspace } = await import('./workspace.js');
      const other = await createTempWorkspace({ name: 'Source workspace' });
      const made = await makeBundle(other, {}, other.admin);
      other.lock();
      const grant = (await ctx.t.app.fileGrants.grantPath(await ctx.session('auditor'), 'bundle', made.path, ctx.t.dir)).grant;
      const r = await ctx.call<{ import: { id: number } }>('imports.run', { grant, trustFingerprint: made.fingerprint }, 'auditor');
      return { id: r.import.id, note: 'Looked through it.' };
    },
  },

  // Export requests (approval by someone other than the requester).
  'exports.request': { as: 'auditor', request: () => ({ title: 'Audit extract', type: 'AUDIT', format: 'csv', purpose: 'Annual audit', recipient: 'External auditor' }) },
  'exports.approve': { request: async (ctx) => ({ id: await exportRequest(ctx), note: 'Approved.' }) },
  'exports.reject': { request: async (ctx) => ({ id: await exportRequest(ctx), reason: 'Too broad for the purpose.' }) },
  'exports.execute': {
    as: 'compliance_officer',
    // A refused success event marks the request failed (with its own failure event) and leaves no file.
    refusal: (ctx, request) => {
      const { id } = request as { id: string };
      const row = ctx.t.app.ws.db.prepare('SELECT status FROM export_requests WHERE id = ?').get(id) as { status: string };
      if (row.status !== 'failed') throw new Error(`export request is ${row.status}, not failed`);
      const failed = ctx.t.events().filter((e) => e.action === 'exports.execute' && e.outcome === 'failure' && e.resource_id === id);
      if (failed.length !== 1) throw new Error('no failure event for the refused export');
      const left = readdirSync(join(ctx.t.dir, 'exports')).filter((f) => f.includes(id));
      if (left.length > 0) throw new Error(`the refused export left ${left.join(', ')} behind`);
    },
    request: async (ctx) => {
      const id = await exportRequest(ctx);
      await ctx.call('exports.approve', { id, note: 'Approved.' });
      return { id };
    },
  },
};
