import { join } from 'node:path';
import type { ResponseOf } from '../../../shared/contract.js';
import type { TempWorkspace } from './workspace.js';

/** A bundle made through `bundles.create`, with the absolute path of the file it wrote to the exports folder. */
export type MadeBundle = ResponseOf<'bundles.create'> & { path: string };

/** Where a channel's output file (named by its `fileName`) lies: the workspace's exports folder, nowhere else. */
export function exportedPath(t: Pick<TempWorkspace, 'dir'>, fileName: string): string {
  return join(t.dir, 'exports', fileName);
}

/** Calls `bundles.create` (no path: the core names the file) and adds the path of the written bundle. */
export async function makeBundle(t: Pick<TempWorkspace, 'dir' | 'call'>, request: Record<string, unknown> = {}, session?: string): Promise<MadeBundle> {
  const r = await t.call<ResponseOf<'bundles.create'>>('bundles.create', request, session);
  return { ...r, path: exportedPath(t, r.fileName) };
}
