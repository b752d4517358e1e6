import { checkpointNoteText } from '../../../electron/core/ledger/checkpoint-note.js';
import { cosignCheckpoint, cosignerVerifierKey } from '../../../electron/core/ledger/cosignature.js';
import { generateSigningKey, loadSigningKey } from '../../../electron/core/ledger/signing.js';
import type { MutatingSample, SampleContext } from './mutating-samples.js';
import { makeBundle } from './outputs.js';

// Samples of the witness channels for test/unit/mutating-channels.test.ts.

/** A witness key of its own (as another workspace's would be), trusted in the sample workspace. */
async function trustedWitness(ctx: SampleContext) {
  const key = loadSigningKey(generateSigningKey());
  const name = `custos-witness/sample-${ctx.unique()}`;
  const vkey = cosignerVerifierKey(name, key.publicKey);
  await ctx.call('witness.trust', { vkey, label: 'Sample witness' });
  return { key, name, vkey };
}

export const witnessSamples: Record<string, MutatingSample> = {
  'witness.countersign': {
    as: 'auditor',
    request: async (ctx) => {
      const { createTempWorkspace } = await import('./workspace.js');
      const other = await createTempWorkspace({ name: 'Source workspace' });
      const made = await makeBundle(other, {}, other.admin);
      other.lock();
      const grant = (await ctx.t.app.fileGrants.grantPath(await ctx.session('auditor'), 'bundle', made.path, ctx.t.dir)).grant;
      const r = await ctx.call<{ import: { id: number } }>('imports.run', { grant, trustFingerprint: made.fingerprint }, 'auditor');
      return { importId: r.import.id };
    },
  },
  'witness.trust': {
    request: (ctx) => ({ vkey: cosignerVerifierKey(`custos-witness/sample-${ctx.unique()}`, loadSigningKey(generateSigningKey()).publicKey), label: 'Audit firm' }),
  },
  'witness.import': {
    request: async (ctx) => {
      const w = await trustedWitness(ctx);
      const ws = ctx.t.app.ws;
      const note = cosignCheckpoint(checkpointNoteText(`custos/${ws.id}`, ws.ledger.head().size, ws.ledger.root()), w.name, w.key, 1_790_000_000);
      return { text: JSON.stringify({ format: 'custos-cosignature/1', witness: { vkey: w.vkey }, note }), fileName: 'cosignature.json' };
    },
  },
};
