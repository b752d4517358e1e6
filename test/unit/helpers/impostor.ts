import { bundleApprover } from './outputs.js';
import { tamper } from './tamper.js';
import { createTempWorkspace, type TempWorkspace } from './workspace.js';

/**
 * A workspace made to claim `id`, valid on its own and signing with a key of its own: a forger's, or
 * the workspace after its key was replaced. Its bundles' approver exists before its events are counted.
 */
export async function impostor(id: string, name = 'District Records'): Promise<TempWorkspace> {
  const t = await createTempWorkspace({ name });
  await bundleApprover(t);
  const key = await t.dbKey();
  t.lock();
  tamper(t.dir, key, (db) => db.prepare("UPDATE meta SET value = ? WHERE key = 'workspace_id'").run(id));
  t.admin = await t.login();
  return t;
}
