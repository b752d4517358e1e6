import type { MutatingSample, SampleContext } from './mutating-samples.js';
import { makeBundle } from './outputs.js';

/** A bundle from another workspace, imported by an auditor of the sample workspace; returns the import id. */
async function importedBundle(ctx: SampleContext): Promise<number> {
  const { createTempWorkspace } = await import('./workspace.js');
  const other = await createTempWorkspace({ name: 'Source workspace' });
  const made = await makeBundle(other, {}, other.admin);
  other.lock();
  const grant = (await ctx.t.app.fileGrants.grantPath(await ctx.session('auditor'), 'bundle', made.path, ctx.t.dir)).grant;
  const r = await ctx.call<{ import: { id: number } }>('imports.run', { grant, trustFingerprint: made.fingerprint }, 'auditor');
  return r.import.id;
}

/** Samples of the auditor's review channels (findings, verification report). */
export const auditSamples: Record<string, MutatingSample> = {
  'imports.findings.add': {
    as: 'auditor',
    request: async (ctx) => ({
      importId: await importedBundle(ctx),
      severity: 'medium',
      title: 'Sign-in failures outside office hours',
      body: 'Three failed sign-ins at night; ask the source workspace who tried.',
      seq: 2,
    }),
  },
  'imports.report': { as: 'auditor', request: async (ctx) => ({ id: await importedBundle(ctx) }) },
  'imports.pins.revoke': {
    request: async (ctx) => {
      await importedBundle(ctx);
      const { pins } = await ctx.call<{ pins: { workspaceId: string }[] }>('imports.pins', {});
      return { workspaceId: pins[0]!.workspaceId, reason: 'The sender says this key was never theirs.' };
    },
  },
};
