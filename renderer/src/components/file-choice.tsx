import { useState, type Ref } from 'react';
import type { GrantPurpose } from '../../../shared/contract/files.js';
import type { Result } from '../../../shared/result.js';
import { client } from '../api/client.js';
import type { UploadedFile } from '../api/transport.js';
import { formatBytes } from '../lib/format.js';
import { Field } from './field.js';

/**
 * A file the person chose: in the browser a File still to be uploaded; in the desktop app a grant
 * the main process already issued for the file picked in its own dialog. Either way the core never
 * hears a path from the page.
 */
export type ChosenFile = { kind: 'page'; file: File } | { kind: 'granted'; granted: UploadedFile };

export function chosenName(c: ChosenFile): string {
  return c.kind === 'page' ? c.file.name : c.granted.fileName;
}

export function chosenBytes(c: ChosenFile): number {
  return c.kind === 'page' ? c.file.size : c.granted.bytes;
}

/** The grant for a chosen file: uploads it from the page (with progress and cancel), or hands over the desktop grant. */
export async function grantFor(
  purpose: GrantPurpose,
  chosen: ChosenFile,
  opts: { onProgress?: (sent: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<Result<UploadedFile>> {
  if (chosen.kind === 'granted') return { ok: true, value: chosen.granted };
  return client.upload(purpose, chosen.file, opts);
}

/** Chooses one local file: `<input type=file>` in the browser, the app's own open dialog on the desktop. */
export function FileChoice({
  label,
  purpose,
  accept,
  chosen,
  onChange,
  hint,
  error,
  disabled,
  inputRef,
}: {
  label: string;
  purpose: GrantPurpose;
  accept?: string;
  chosen: ChosenFile | null;
  onChange: (c: ChosenFile | null) => void;
  hint?: string;
  error?: string | null;
  disabled?: boolean;
  inputRef?: Ref<HTMLInputElement & HTMLButtonElement>;
}) {
  const [pickError, setPickError] = useState<string | null>(null);
  const shown = chosen ? `${chosenName(chosen)}, ${formatBytes(chosenBytes(chosen))}` : hint;
  if (client.uploads) {
    return (
      <Field label={label} hint={shown} error={error}>
        {(p) => (
          <input
            ref={inputRef}
            className="input"
            type="file"
            accept={accept}
            disabled={disabled}
            {...p}
            onChange={(e) => {
              const file = e.target.files?.[0];
              onChange(file ? { kind: 'page', file } : null);
            }}
          />
        )}
      </Field>
    );
  }
  return (
    <Field label={label} hint={shown} error={error ?? pickError}>
      {(p) => (
        <button
          ref={inputRef}
          type="button"
          className="btn"
          disabled={disabled}
          {...p}
          onClick={async () => {
            setPickError(null);
            const r = await client.call('files.pick', { purpose });
            if (!r.ok) return setPickError(r.error.message);
            if (r.value.picked) onChange({ kind: 'granted', granted: r.value.picked });
          }}
        >
          {chosen ? 'Choose another file…' : 'Choose file…'}
        </button>
      )}
    </Field>
  );
}

/** How far an upload got, with a way to stop it. */
export function UploadProgress({ name, sent, total, onCancel }: { name: string; sent: number; total: number; onCancel: () => void }) {
  const pct = total > 0 ? Math.min(100, Math.round((sent / total) * 100)) : 0;
  return (
    <div className="upload-progress" data-testid="upload-progress">
      <div role="status">
        Uploading {name}: {formatBytes(sent)} of {formatBytes(total)} ({pct}%)
      </div>
      <div className="progress" role="progressbar" aria-label={`Uploading ${name}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <div className="progress__bar" style={{ width: `${pct}%` }} />
      </div>
      <button type="button" className="btn" onClick={onCancel}>
        Cancel upload
      </button>
    </div>
  );
}
