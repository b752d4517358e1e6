import { join } from 'node:path';
import type { ResponseOf } from '../../../shared/contract.js';
import { bundleContentReasons } from '../../../electron/core/bundle/bundle-requests.js';
import { PASSPHRASE, type TempWorkspace } from './workspace.js';

/** A bundle made through `bundles.create`, or requested, approved and run, with the absolute path of the file it wrote to the exports folder. */
export type MadeBundle = ResponseOf<'bundles.create'> & { path: string };

/** Where a channel's output file (named by its `fileName`) lies: the workspace's exports folder, nowhere else. */
export function exportedPath(t: Pick<TempWorkspace, 'dir'>, fileName: string): string {
  return join(t.dir, 'exports', fileName);
}

/** The second person of the two-person rule in tests: a legal counsel who approves bundle requests. */
const APPROVER = 'bundle.approver';

/**
 * Signs in the second person, creating them first if needed. A test that tampers with or copies a
 * workspace calls this before, so the approver exists in every copy.
 */
export async function bundleApprover(t: Pick<TempWorkspace, 'call' | 'admin'>): Promise<string> {
  const login = async () => (await t.call<{ session: string }>('session.login', { username: APPROVER, passphrase: PASSPHRASE })).session;
  try {
    return await login();
  } catch {
    await t.call('users.create', { username: APPROVER, displayName: 'Bundle Approver', role: 'legal_counsel', passphrase: PASSPHRASE }, t.admin);
    return login();
  }
}

/**
 * Makes a bundle as the product lets `session` (default: the administrator) make it: filtered events at
 * once with `bundles.create`; a case or the whole ledger (evidence files, students' names) under the
 * two-person rule: requested by `session`, approved by another user (`approver`, or the helper's own
 * counsel), run by the requester.
 */
export async function makeBundle(
  t: Pick<TempWorkspace, 'dir' | 'call' | 'admin'>,
  request: Record<string, unknown> = {},
  session?: string,
  approver?: string,
): Promise<MadeBundle> {
  const { caseId, jobId, ...filters } = request as { caseId?: string; jobId?: string } & Record<string, string>;
  if (bundleContentReasons({ caseId, filters }).length === 0) {
    const r = await t.call<ResponseOf<'bundles.create'>>('bundles.create', request, session);
    return { ...r, path: exportedPath(t, r.fileName) };
  }
  const requester = session ?? t.admin;
  const asked = await t.call<ResponseOf<'bundles.request'>>(
    'bundles.request',
    { title: caseId ? `Bundle of ${caseId}` : 'Bundle of the ledger', type: 'AUDIT', filters, ...(caseId ? { caseId } : {}), purpose: 'Test hand-over', recipient: 'External auditor' },
    requester,
  );
  await t.call('exports.approve', { id: asked.request.id }, approver ?? (await bundleApprover(t)));
  const ran = await t.call<ResponseOf<'exports.execute'>>('exports.execute', { id: asked.request.id, ...(jobId ? { jobId } : {}) }, requester);
  if (!ran.bundle) throw new Error(`${asked.request.id} ran, but not as a bundle.`);
  return { ...ran.bundle, requestId: asked.request.id, path: exportedPath(t, ran.bundle.fileName) };
}
