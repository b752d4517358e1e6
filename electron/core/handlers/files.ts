import type { fileChannels } from '../../../shared/contract/files.js';
import type { Handlers } from '../dispatch.js';
import { describeDownload, exportedFile } from '../files/downloads.js';

type FileHandlers = Pick<Handlers, keyof typeof fileChannels>;

export const fileHandlers: FileHandlers = {
  'files.download': async (req, { app, ws, user }) => {
    const file = await describeDownload(exportedFile(ws, req.path));
    ws.record({
      actor: user.username,
      action: 'files.download',
      resource_type: 'file',
      resource_id: file.fileName,
      details: { bytes: file.bytes, sha256: file.sha256 },
    });
    return { ticket: app.downloads.issue(file), fileName: file.fileName, bytes: file.bytes, sha256: file.sha256 };
  },
};
