import type { fileChannels } from '../../../shared/contract/files.js';
import type { Handlers } from '../dispatch.js';
import { CustosError } from '../errors.js';
import { describeDownload, exportedFile } from '../files/downloads.js';
import { mayUseFiles } from '../files/grants.js';

type FileHandlers = Pick<Handlers, keyof typeof fileChannels>;

export const fileHandlers: FileHandlers = {
  'files.download': async (req, { app, ws, user }) => {
    const file = await describeDownload(exportedFile(ws, req.fileName));
    ws.record({
      actor: user.username,
      action: 'files.download',
      resource_type: 'file',
      resource_id: file.fileName,
      details: { bytes: file.bytes, sha256: file.sha256 },
    });
    return { ticket: app.downloads.issue(file), fileName: file.fileName, bytes: file.bytes, sha256: file.sha256 };
  },
  'files.pick': async (req, { app, session, ws, user }) => {
    if (!mayUseFiles(user.role, req.purpose)) {
      ws.record({ actor: user.username, action: 'files.pick', resource_type: 'channel', resource_id: 'files.pick', outcome: 'denied', details: { reason: 'role', role: user.role, purpose: req.purpose } });
      throw new CustosError('forbidden', `Your role (${user.role}) may not hand over files for this.`);
    }
    // Only the desktop shell has a dialog of its own; a path never comes from the caller.
    if (!app.pickFile) throw new CustosError('unavailable', 'This host has no file dialog; choose the file in the page and upload it.');
    const path = await app.pickFile(req.purpose);
    if (path === null) return { picked: null };
    return { picked: await app.fileGrants.grantPath(session.id, req.purpose, path, ws.dir) };
  },
};
