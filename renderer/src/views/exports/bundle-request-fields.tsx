import { EXPORT_TYPES, type ExportRequest } from '../../../../shared/contract/exports.js';
import { Field, Select, TextField } from '../../components/field.js';
import { TYPE_LABELS } from './export-ui.js';

/** What a bundle request needs beyond its scope: what it is, for whom and why (the approver reads it). */
export interface BundleRequestDraft {
  title: string;
  type: ExportRequest['type'];
  purpose: string;
  recipient: string;
}

export const EMPTY_BUNDLE_REQUEST: BundleRequestDraft = { title: '', type: 'AUDIT', purpose: '', recipient: '' };

/** The core's limits (shared/contract/bundles.ts bundleRequestInput), checked before anything is sent. */
export function bundleRequestErrors(d: BundleRequestDraft): Partial<Record<keyof BundleRequestDraft, string>> {
  const e: Partial<Record<keyof BundleRequestDraft, string>> = {};
  if (d.title.trim().length < 3) e.title = 'Give the bundle a title of at least 3 characters.';
  if (d.recipient.trim().length < 1) e.recipient = 'Say who receives the bundle.';
  if (d.purpose.trim().length < 3) e.purpose = 'Say why the bundle is needed (at least 3 characters).';
  return e;
}

/**
 * Why a bundle of this scope needs a second person, as one sentence, or null when it carries
 * filtered events only (the rule of electron/core/bundle/bundle-requests.ts bundleContentReasons).
 */
export function bundleApprovalReason(hasCase: boolean, hasFilters: boolean): string | null {
  if (hasCase) return "A bundle of a case carries the decrypted evidence files of the case, their custody and the case's disclosures with students' names.";
  if (!hasFilters) return "A bundle of the whole ledger carries every disclosure, with students' names.";
  return null;
}

/** Title, type, recipient and purpose of a bundle request. */
export function BundleRequestFields({
  value,
  errors,
  onChange,
}: {
  value: BundleRequestDraft;
  errors: Partial<Record<keyof BundleRequestDraft, string>>;
  onChange: (d: BundleRequestDraft) => void;
}) {
  const upd = <K extends keyof BundleRequestDraft>(k: K, v: BundleRequestDraft[K]) => onChange({ ...value, [k]: v });
  return (
    <section className="exp-form__section" aria-label="Bundle request" data-testid="bundle-request-fields">
      <div className="exp-grid exp-grid--2-1">
        <TextField label="Title" value={value.title} onChange={(v) => upd('title', v)} error={errors.title} placeholder="e.g. Case bundle for the district's counsel" maxLength={200} />
        <Select
          label="Type"
          value={value.type}
          onChange={(v) => upd('type', v as ExportRequest['type'])}
          options={EXPORT_TYPES.map((t) => [t, TYPE_LABELS[t].label])}
          hint={TYPE_LABELS[value.type].hint}
        />
      </div>
      <TextField label="Recipient" value={value.recipient} onChange={(v) => upd('recipient', v)} error={errors.recipient} placeholder="e.g. External auditor, Smith & Lee LLP" maxLength={300} />
      <Field label="Purpose" error={errors.purpose} hint="The approver reads this; it is recorded with the request.">
        {(p) => <textarea className="input exp-textarea" rows={3} maxLength={2000} {...p} value={value.purpose} onChange={(e) => upd('purpose', e.target.value)} />}
      </Field>
    </section>
  );
}
