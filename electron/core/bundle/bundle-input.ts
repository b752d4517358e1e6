import type { CallContext } from '../dispatch.js';
import type { ZipSource } from '../zip/zip-read.js';

/** A bundle handed over as a one-time file grant, with an optional name to record instead of its own. */
export interface BundleInput {
  grant: string;
  fileName?: string | undefined;
}

/**
 * Runs `fn` with the granted bundle as a ZIP source (the reader needs random access: the chosen file
 * in place, or an upload's bytes in memory, never a plaintext copy on disk) and the name to record.
 * The grant is consumed: an uploaded bundle is removed afterwards, whatever happens.
 */
export async function withBundleFile<T>(ctx: CallContext, input: BundleInput, fn: (source: ZipSource, fileName: string) => Promise<T>): Promise<T> {
  return ctx.app.fileGrants.use(input.grant, ctx.session.id, 'bundle', (file) => file.withZipSource((source) => fn(source, displayName(input.fileName ?? file.fileName))));
}

/** A file name fit to show and record: its last path part, without control characters. */
function displayName(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? name;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this removes.
  const clean = last.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 255);
  return clean || 'bundle.zip';
}
