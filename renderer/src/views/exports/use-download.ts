import { useState } from 'react';
import { downloadFile } from '../../api/download.js';
import { formatBytes } from '../../lib/format.js';
import { useAppStore } from '../../store/index.js';

/**
 * Downloads a file Custos wrote and checks that what leaves is what was recorded: the core hashes
 * the file again at hand-over, and a different hash means the file changed on disk since.
 */
export function useDownload(): { download: (fileName: string, recordedSha256: string | null) => Promise<void>; busy: boolean } {
  const notify = useAppStore((s) => s.notify);
  const [busy, setBusy] = useState(false);
  async function download(name: string, recordedSha256: string | null) {
    setBusy(true);
    const r = await downloadFile(name);
    setBusy(false);
    if (!r.ok) return notify('error', r.error.message);
    const { fileName, bytes, sha256 } = r.value;
    if (recordedSha256 && sha256 !== recordedSha256) {
      notify('error', `${fileName} no longer matches the SHA-256 recorded when it was written; it changed on disk. Do not send it; run the export again.`);
      return;
    }
    notify('success', `${fileName} (${formatBytes(bytes)}) handed over; its SHA-256 matches the record.`);
  }
  return { download, busy };
}
