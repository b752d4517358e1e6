import type { GrantPurpose } from '../../../shared/contract/files.js';
import type { TempWorkspace } from './workspace.js';

/**
 * A one-time grant for a local file, issued to `session` as the desktop open dialog or the CLI
 * would (they name the file; channels never take a path).
 */
export async function pathGrant(t: TempWorkspace, session: string, purpose: GrantPurpose, path: string): Promise<string> {
  return (await t.app.fileGrants.grantPath(session, purpose, path, t.dir)).grant;
}
