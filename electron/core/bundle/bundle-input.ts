import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import { CustosError } from '../errors.js';
import { EXPORTS_DIR, type Workspace } from '../workspace.js';

/** A bundle named by path on the local disk, or uploaded (base64) by the browser host. */
export interface BundleInput {
  path?: string;
  upload?: { fileName: string; base64: string };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Runs `fn` with a path to the bundle. An upload is written to a private temporary folder inside
 * the workspace's exports/ (the bytes may be sensitive) and removed afterwards, whatever happens.
 */
export async function withBundleFile<T>(ws: Workspace, input: BundleInput, fn: (path: string, fileName: string) => Promise<T>): Promise<T> {
  if (input.path !== undefined) {
    if (!isAbsolute(input.path)) throw new CustosError('validation', `The bundle path ${input.path} must be an absolute path.`);
    return fn(input.path, displayName(basename(input.path)));
  }
  if (!input.upload) throw new CustosError('validation', 'Give the path of a bundle file or upload one.');
  const b64 = input.upload.base64.replace(/\s+/g, '');
  if (b64.length % 4 !== 0 || !BASE64.test(b64)) throw new CustosError('validation', 'The uploaded bundle is not valid base64.');
  const bytes = Buffer.from(b64, 'base64');
  const exportsDir = join(ws.dir, EXPORTS_DIR);
  await mkdir(exportsDir, { recursive: true, mode: 0o700 });
  const dir = await mkdtemp(join(exportsDir, '.upload-'));
  try {
    const file = join(dir, 'bundle.zip');
    await writeFile(file, bytes, { mode: 0o600 });
    return await fn(file, displayName(input.upload.fileName));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A file name fit to show and record: its last path part, without control characters. */
function displayName(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? name;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this removes.
  const clean = last.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 255);
  return clean || 'bundle.zip';
}
