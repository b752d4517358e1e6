import type { Result } from '../../../shared/result.js';
import { client } from './client.js';

export interface DownloadedFile {
  fileName: string;
  bytes: number;
  sha256: string;
}

/**
 * Hands a file from the workspace's exports folder to the person at the screen: the core hashes
 * it and ledgers the hand-over, then the browser (or Electron's download manager) saves it.
 * The answer carries the SHA-256 the core recorded, so the screen can show what left.
 */
export async function downloadFile(fileName: string): Promise<Result<DownloadedFile>> {
  const r = await client.call('files.download', { fileName });
  if (!r.ok) return r;
  const { ticket, bytes, sha256 } = r.value;
  const a = document.createElement('a');
  a.href = client.downloadUrl(ticket);
  a.download = r.value.fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  return { ok: true, value: { fileName: r.value.fileName, bytes, sha256 } };
}
