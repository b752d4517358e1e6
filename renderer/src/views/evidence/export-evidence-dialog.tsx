import { useEffect, useState } from 'react';
import type { Evidence } from '../../../../shared/contract/evidence.js';
import type { ExportedFile } from '../../../../shared/contract/files.js';
import { client } from '../../api/client.js';
import { ActionDialog } from '../../components/dialog.js';
import { TextField } from '../../components/field.js';
import { FileHandOver } from '../../components/file-hand-over.js';

/**
 * Takes a plaintext copy of an item out, at any size: the core decrypts it, checks it against the
 * intake hash and writes it to the workspace's exports folder (ledgered with the purpose), then the
 * copy is handed over by a ledgered download. No server path is asked for.
 */
export function ExportEvidenceDialog({ open, evidence, onClose }: { open: boolean; evidence: Evidence; onClose: () => void }) {
  const [purpose, setPurpose] = useState('');
  const [made, setMade] = useState<ExportedFile | null>(null);
  useEffect(() => {
    if (open) {
      setPurpose('');
      setMade(null);
    }
  }, [open]);
  return (
    <ActionDialog
      open={open}
      title={`Export ${evidence.id}`}
      submitLabel="Export file"
      onClose={onClose}
      keepOpen
      done={
        made && (
          <>
            <p>The copy matches the SHA-256 recorded at intake. The export and the download are both on the chain of custody.</p>
            <FileHandOver file={made} label="file" />
          </>
        )
      }
      run={async () => {
        const r = await client.call('evidence.export', { id: evidence.id, purpose });
        if (!r.ok) return r.error;
        setMade(r.value);
        return null;
      }}
    >
      <p className="muted">
        Writes a decrypted copy of {evidence.originalName} to the workspace&rsquo;s exports folder, for you to download. The export is recorded in the ledger and on the chain of custody, with your name and the purpose you give.
      </p>
      <TextField label="Purpose" value={purpose} onChange={setPurpose} placeholder="e.g. Produce to outside counsel" />
    </ActionDialog>
  );
}
