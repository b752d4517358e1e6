import type { ReactNode } from 'react';
import type { ExportedFile } from '../../../../shared/contract/files.js';
import { Badge } from '../../components/badge.js';
import { CopyButton } from '../../components/copy-button.js';
import { Icon } from '../../components/icons.js';
import { formatBytes } from '../cases/casework-ui.js';
import './exports.css';
import { useDownload } from './use-download.js';

/**
 * A file Custos wrote to the workspace's exports folder (a report, an evidence copy, a production):
 * its name, size and SHA-256, and the one way it leaves: a Download that the core ledgers and hashes
 * again (files.download), saved by the browser or by the desktop app's save dialog.
 */
export function FileHandOver({ file, label, children }: { file: ExportedFile; label: string; children?: ReactNode }) {
  const { download, busy } = useDownload();
  return (
    <div className="exp-receipt exp-receipt--ok" data-testid="file-hand-over">
      <div className="exp-receipt__head">
        <Badge tone="ok" size="lg">
          <Icon name="shieldCheck" size={14} />
          Written
        </Badge>
        <span className="exp-receipt__title" data-testid="file-hand-over-name">
          {file.fileName}
        </span>
      </div>
      <div className="exp-hash">
        <span className="exp-hash__label">SHA-256</span>
        <code className="hash" data-testid="file-hand-over-sha256">
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
