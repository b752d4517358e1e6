import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { MAX_COSIGNATURE_FILE } from '../../shared/contract/witness.js';
import { call, withSession } from '../cli.js';
import { CustosError } from '../core/errors.js';
import { copyOut } from '../core/files/export-file.js';
import { EXPORTS_DIR } from '../core/workspace.js';

/** Refuses an --out that could not be written before anything is signed (the copy never replaces a file either). */
function checkOut(out: string): void {
  const parent = dirname(out);
  if (!existsSync(parent) || !statSync(parent).isDirectory()) throw new CustosError('validation', `The folder ${parent} does not exist; create it or choose another place for the file.`);
  if (existsSync(out)) throw new CustosError('conflict', `The file ${out} already exists; choose another name (Custos never overwrites a file).`);
}

/** `custos cosign WORKSPACE --import ID --out FILE`: countersign, as a witness, the checkpoint of an imported bundle. */
export function registerCosignCommand(program: Command): void {
  program
    .command('cosign')
    .description("Countersign, as a witness, the checkpoint of an imported bundle that verified (C2SP cosignature by this workspace's key); writes the cosignature file to hand to the source workspace.")
    .argument('<workspace>', 'the auditor workspace that imported the bundle')
    .requiredOption('--import <id>', 'number of the imported bundle (custos import prints it)', (v) => Number.parseInt(v, 10))
    .requiredOption('--out <file>', 'cosignature file to write (must not exist)')
    .option('--user <name>', 'who signs in', 'admin')
    .option('--json', 'print the result as JSON')
    .action(async (ws: string, o: { import: number; out: string; user: string; json?: boolean }) => {
      const out = resolve(o.out);
      checkOut(out);
      await withSession(resolve(ws), o.user, async ({ app, dispatch, session }) => {
        const made = await call(dispatch, 'witness.countersign', { importId: o.import }, session);
        const handed = await call(dispatch, 'files.download', { fileName: made.file.fileName }, session);
        if (handed.sha256 !== made.file.sha256) {
          throw new CustosError('integrity', `${made.file.fileName} changed on disk after it was written, so it was not copied to ${out}; countersign again.`);
        }
        await copyOut(join(app.ws.dir, EXPORTS_DIR, made.file.fileName), out, made.file.sha256);
        const { identity } = await call(dispatch, 'witness.identity', {}, session);
        if (o.json) {
          process.stdout.write(`${JSON.stringify({ ...made, path: out, identity }, null, 2)}\n`);
          return;
        }
        const c = made.countersign;
        process.stdout.write(
          `Wrote ${out}: the cosignature by ${c.cosigner} of ${c.origin} at ${c.treeSize} events (root ${c.root}), at ${c.cosignedAt}.\n` +
            `  witness key (the source workspace's administrator trusts it): ${identity.vkey}\n` +
            `  key fingerprint (compare it with them out of band): ${identity.fingerprint}\n`,
        );
      });
    });
}

/** `custos witness trust|import|list WORKSPACE …`: the source workspace's side of cosignatures. */
export function registerWitnessCommand(program: Command): void {
  const witness = program.command('witness').description('Witness cosignatures of this workspace\'s tree heads: trust a witness key, import a cosignature, list them.');

  witness
    .command('trust')
    .description("Trust a witness's key (the custos-witness/… line the auditor's workspace shows) to cosign this workspace's tree heads.")
    .argument('<workspace>', 'workspace folder')
    .argument('<key>', 'the witness verifier key: name+keyid+base64')
    .requiredOption('--label <text>', 'who the witness is (e.g. "Jane Roe, Example Audit LLP")')
    .option('--user <name>', 'who signs in', 'admin')
    .action(async (ws: string, vkey: string, o: { label: string; user: string }) => {
      await withSession(resolve(ws), o.user, async ({ dispatch, session }) => {
        const { key } = await call(dispatch, 'witness.trust', { vkey, label: o.label }, session);
        process.stdout.write(`Trusted the witness key of ${key.name} (${key.label}).\n  key fingerprint: ${key.fingerprint}\nCompare this fingerprint with the witness out of band.\n`);
      });
    });

  witness
    .command('import')
    .description("Import a cosignature file from a trusted witness; it must verify and match this ledger's root at its size.")
    .argument('<workspace>', 'workspace folder')
    .argument('<file>', 'the cosignature file the witness wrote')
    .option('--user <name>', 'who signs in', 'admin')
    .action(async (ws: string, file: string, o: { user: string }) => {
      const path = resolve(file);
      if (!existsSync(path) || !statSync(path).isFile()) throw new CustosError('not_found', `There is no file ${path}.`);
      if (statSync(path).size > MAX_COSIGNATURE_FILE) throw new CustosError('validation', `${path} is too large to be a cosignature file.`);
      const text = readFileSync(path, 'utf8');
      await withSession(resolve(ws), o.user, async ({ dispatch, session }) => {
        const { cosignature: c } = await call(dispatch, 'witness.import', { text, fileName: basename(path) }, session);
        process.stdout.write(
          `Imported the cosignature by ${c.cosigner} of ${c.treeSize} events (root ${c.root}), cosigned at ${c.cosignedAt}.\n` +
            `From now on custos verify proves that this ledger extends that tree head.\n`,
        );
      });
    });

  witness
    .command('list')
    .description("List trusted witness keys and cosigned tree heads, each with whether today's ledger extends it.")
    .argument('<workspace>', 'workspace folder')
    .option('--user <name>', 'who signs in', 'admin')
    .option('--json', 'print the result as JSON')
    .action(async (ws: string, o: { user: string; json?: boolean }) => {
      await withSession(resolve(ws), o.user, async ({ dispatch, session }) => {
        const r = await call(dispatch, 'witness.heads', {}, session);
        if (o.json) {
          process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
          return;
        }
        for (const k of r.keys) process.stdout.write(`key  ${k.name}  ${k.fingerprint}  ${k.label}  trusted ${k.trustedAt} by ${k.trustedBy}\n`);
        for (const c of r.cosignatures) {
          process.stdout.write(`head ${String(c.treeSize).padStart(8)}  ${c.cosigner}  cosigned ${c.cosignedAt}  ${c.consistent ? 'extended by today\'s ledger' : `NOT extended: ${c.problem ?? ''}`}\n`);
        }
        if (r.keys.length === 0 && r.cosignatures.length === 0) process.stdout.write('No witness key is trusted and no cosignature imported yet.\n');
      });
    });

  witness
    .command('key')
    .description('Print this workspace\'s own witness key (give it to a source workspace whose tree heads you cosign).')
    .argument('<workspace>', 'workspace folder')
    .option('--user <name>', 'who signs in', 'admin')
    .action(async (ws: string, o: { user: string }) => {
      await withSession(resolve(ws), o.user, async ({ dispatch, session }) => {
        const { identity } = await call(dispatch, 'witness.identity', {}, session);
        process.stdout.write(`${identity.vkey}\n`);
        process.stderr.write(`key fingerprint: ${identity.fingerprint}\n`);
      });
    });
}
