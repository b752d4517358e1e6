import type { ReactNode } from 'react';
import type { ExportedFile } from '../../../shared/contract/files.js';
import { formatBytes } from '../lib/format.js';
import { useDownload } from '../views/exports/use-download.js';
import { Badge } from './badge.js';
import { CopyButton } from './copy-button.js';
import './file-hand-over.css';
import { Icon } from './icons.js';

/**
 * A file Custos wrote to the workspace's exports folder (a report, an evidence copy, a production,
 * a signed bundle): its name, size and SHA-256, and the one way it leaves: a Download that the core
 * ledgers and hashes again (files.download), saved by the browser or by the desktop app's save dialog.
 * `children` go between the hash and the download (facts about the file).
 */
export function FileHandOver({
  file,
  label,
  status = 'Written',
  testId = 'file-hand-over',
  children,
}: {
  file: ExportedFile;
  /** What the file is, in "Download <label>". */
  label: string;
  /** The badge's word. */
  status?: string;
  /** The hand-over's test id; its name and hash are `<testId>-name` and `<testId>-sha256`. */
  testId?: string;
  children?: ReactNode;
}) {
  const { download, busy } = useDownload();
  return (
    <div className="exp-receipt exp-receipt--ok" data-testid={testId}>
      <div className="exp-receipt__head">
        <Badge tone="ok" size="lg">
          <Icon name="shieldCheck" size={14} />
          {status}
        </Badge>
        <span className="exp-receipt__title" data-testid={`${testId}-name`}>
          {file.fileName}
        </span>
      </div>
      <div className="exp-hash">
        <span className="exp-hash__label">SHA-256</span>
        <code className="hash" data-testid={`${testId}-sha256`}>
          {file.sha256}
        </code>
        <CopyButton text={file.sha256} label={`Copy the SHA-256 of the ${label}`} compact />
      </div>
      {children}
      <div className="exp-receipt__file">
        <span className="muted">
          {formatBytes(file.bytes)} in the workspace&rsquo;s exports folder. Downloading it is recorded in the ledger.
        </span>
        <button type="button" className="btn btn--primary" disabled={busy} onClick={() => void download(file.fileName, file.sha256)}>
          <Icon name="exports" size={14} />
          {busy ? 'Preparing…' : `Download ${label}`}
        </button>
      </div>
    </div>
  );
}
