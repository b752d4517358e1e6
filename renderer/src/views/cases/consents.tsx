import { useCallback, useEffect, useState } from 'react';
import { CONSENT_GIVERS, type Consent, type ConsentGiver } from '../../../../shared/contract/consents.js';
import type { Subject } from '../../../../shared/contract/subjects.js';
import { client } from '../../api/client.js';
import { Badge } from '../../components/badge.js';
import { Section } from '../../components/detail-pane.js';
import { ActionDialog } from '../../components/dialog.js';
import { Field, Select, TextArea, TextField } from '../../components/field.js';
import { RecordChooser } from '../../components/pickers.js';
import { useCan } from '../../lib/use-can.js';
import type { RecordCategory } from '../../store/casework-slice.js';
import { useAppStore } from '../../store/index.js';
import { formatDate } from '../../lib/format.js';

const GIVER_LABELS: Record<ConsentGiver, string> = {
  student: 'The student',
  parent: 'A parent (rights not yet transferred)',
};

const STATE_TONES = { live: 'ok', expired: 'neutral', revoked: 'warn' } as const;

/** A subject's written consents, fetched afresh whenever `version` changes. */
function useConsents(subjectId: string, version: number): { items: Consent[] | null; error: string | null } {
  const [state, setState] = useState<{ items: Consent[] | null; error: string | null }>({ items: null, error: null });
  useEffect(() => {
    let live = true;
    if (!subjectId.trim()) {
      setState({ items: [], error: null });
      return;
    }
    void client.call('consents.list', { subjectId: subjectId.trim() }).then((r) => {
      if (live) setState(r.ok ? { items: r.value.items, error: null } : { items: [], error: r.error.message });
    });
    return () => {
      live = false;
    };
  }, [subjectId, version]);
  return state;
}

/** "Grades, attendance; REC-0004": what a consent covers, for people. */
function coverage(c: Consent, label: (key: string) => string): string {
  return [c.categories.map(label).join(', '), c.records.map((r) => r.id).join(', ')].filter(Boolean).join('; ');
}

/**
 * The subject's written consents to disclose (34 CFR 99.30): who signed, to whom, for what and for
 * which records, whether each is live, and the record and revoke dialogs.
 */
export function ConsentsSection({ subject, categories }: { subject: Subject; categories: RecordCategory[] }) {
  const [version, setVersion] = useState(0);
  const { items, error } = useConsents(subject.id, version);
  const canRecord = useCan('consents.record');
  const canRevoke = useCan('consents.revoke');
  const [recording, setRecording] = useState(false);
  const [revoking, setRevoking] = useState<Consent | null>(null);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  const label = (key: string) => (categories.find((c) => c.key === key)?.label ?? key).replace(/\s*\(.*\)\s*$/, '');
  return (
    <Section
      title={`Consents (${items?.length ?? '…'})`}
      actions={
        canRecord && (
          <button type="button" className="btn btn--ghost btn--sm" onClick={() => setRecording(true)}>
            Record consent…
          </button>
        )
      }
    >
      {error ? (
        <p className="muted">{error}</p>
      ) : items === null ? (
        <p className="muted">Loading consents…</p>
      ) : items.length === 0 ? (
        <p className="muted">No written consent on file. A disclosure on the ground of consent needs a signed, dated consent naming the records, the recipient and the purpose.</p>
      ) : (
        <div className="casework-table casework-records" tabIndex={0} role="region" aria-label={`Consents of ${subject.id}`}>
          <table className="table" data-testid="subject-consents">
            <caption className="visually-hidden">Written consents of {subject.displayName}, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Consent</th>
                <th scope="col">To whom, for what</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id} data-consent={c.id}>
                  <td className="casework-records__id">
                    <div className="mono">{c.id}</div>
                    <div className="muted">signed {formatDate(c.signedAt)}</div>
                  </td>
                  <td>
                    <div>{c.recipient}</div>
                    <div className="muted">{c.purpose}</div>
                    <div className="muted">
                      Covers {coverage(c, label)} · signed by {c.signerName} ({c.givenBy})
                    </div>
                  </td>
                  <td>
                    <Badge tone={STATE_TONES[c.state]}>{c.state}</Badge>
                    <div className="muted">
                      {c.state === 'revoked' && c.revokedAt
                        ? `on ${formatDate(c.revokedAt)}`
                        : c.expiresAt
                          ? `${c.state === 'expired' ? 'ended' : 'until'} ${formatDate(c.expiresAt)}`
                          : 'no end date'}
                    </div>
                    {c.disclosureCount > 0 && <div className="muted">{`${c.disclosureCount} disclosure${c.disclosureCount === 1 ? '' : 's'}`}</div>}
                    {canRevoke && c.state === 'live' && (
                      <span className="ferpa-actions">
                        <button type="button" className="btn btn--ghost btn--sm" onClick={() => setRevoking(c)} aria-label={`Revoke ${c.id}`}>
                          Revoke…
                        </button>
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <RecordConsentDialog open={recording} subject={subject} categories={categories} onClose={() => setRecording(false)} onDone={refresh} />
      <RevokeConsentDialog consent={revoking} onClose={() => setRevoking(null)} onDone={refresh} />
    </Section>
  );
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Records a signed written consent: the signer, the records or categories, the recipient, the purpose and the dates. */
export function RecordConsentDialog({
  open,
  subject,
  categories,
  onClose,
  onDone,
}: {
  open: boolean;
  subject: Subject;
  categories: RecordCategory[];
  onClose: () => void;
  onDone: () => void;
}) {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const [givenBy, setGivenBy] = useState<ConsentGiver>('student');
  const [signer, setSigner] = useState('');
  const [recipient, setRecipient] = useState('');
  const [purpose, setPurpose] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [records, setRecords] = useState<string[]>([]);
  const [signedAt, setSignedAt] = useState(today());
  const [expiresAt, setExpiresAt] = useState('');
  useEffect(() => {
    if (!open) return;
    setGivenBy('student');
    setSigner(subject.displayName);
    setRecipient('');
    setPurpose('');
    setChosen([]);
    setRecords([]);
    setSignedAt(today());
    setExpiresAt('');
  }, [open, subject.displayName]);
  return (
    <ActionDialog
      open={open}
      title={`Record a consent of ${subject.id}`}
      submitLabel="Record consent"
      onClose={onClose}
      wide
      run={async () => {
        const r = await mutate('consents.record', {
          subjectId: subject.id,
          givenBy,
          signerName: signer,
          recipient,
          purpose,
          categories: chosen,
          recordIds: records,
          signedAt,
          ...(expiresAt ? { expiresAt } : {}),
        });
        if (!r.ok) return r.error;
        notify('success', `Consent ${r.value.consent.id} recorded.`);
        onDone();
        return null;
      }}
    >
      <p className="muted">34 CFR 99.30: a signed and dated written consent that names the records, the purpose and the party they may be disclosed to.</p>
      <div className="ferpa-form__row">
        <Select label="Signed by" value={givenBy} onChange={(v) => setGivenBy(v as ConsentGiver)} options={CONSENT_GIVERS.map((g) => [g, GIVER_LABELS[g]])} />
        <TextField label="Name of the signer" value={signer} onChange={setSigner} />
      </div>
      <TextField label="May be disclosed to" value={recipient} onChange={setRecipient} placeholder="e.g. Acme Tax Services, tuition program" />
      <TextArea label="Purpose" value={purpose} onChange={setPurpose} rows={2} />
      <fieldset className="ferpa-records">
        <legend className="field__label">Record categories covered (every record of a checked category)</legend>
        {categories.map((c) => (
          <label key={c.key} className="ferpa-check">
            <input type="checkbox" checked={chosen.includes(c.key)} onChange={(e) => setChosen(e.target.checked ? [...chosen, c.key] : chosen.filter((x) => x !== c.key))} />
            <span>{c.label}</span>
          </label>
        ))}
      </fieldset>
      <RecordChooser subjectId={subject.id} value={records} onChange={setRecords} multiple legend="Single records covered (optional)" />
      <div className="ferpa-form__row">
        <TextField label="Signed on" type="date" value={signedAt} onChange={setSignedAt} />
        <TextField label="Expires on (optional)" type="date" value={expiresAt} onChange={setExpiresAt} hint="No disclosure may rely on it from that day on." />
      </div>
    </ActionDialog>
  );
}

/** Records that the signer revoked a consent; disclosures made before stand. */
export function RevokeConsentDialog({ consent, onClose, onDone }: { consent: Consent | null; onClose: () => void; onDone: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const [reason, setReason] = useState('');
  useEffect(() => {
    if (consent) setReason('');
  }, [consent]);
  return (
    <ActionDialog
      open={consent !== null}
      title={consent ? `Revoke consent ${consent.id}` : 'Revoke consent'}
      submitLabel="Revoke consent"
      danger
      onClose={onClose}
      run={async () => {
        if (!consent) return null;
        const r = await mutate('consents.revoke', { id: consent.id, reason });
        if (!r.ok) return r.error;
        onDone();
        return null;
      }}
    >
      {consent && (
        <p>
          From now on no disclosure to {consent.recipient} may rely on this consent. The {consent.disclosureCount} disclosure{consent.disclosureCount === 1 ? '' : 's'} made under it before
          {consent.disclosureCount === 1 ? ' stands' : ' stand'}; the revocation is recorded in the ledger.
        </p>
      )}
      <TextArea label="How and why it was revoked" name="reason" value={reason} onChange={setReason} rows={2} />
    </ActionDialog>
  );
}

/**
 * Picks the consent a disclosure relies on: the subject's consents that are live now, with what
 * each covers. The core checks coverage at the disclosure's date.
 */
export function ConsentPicker({ subjectId, value, onChange }: { subjectId: string; value: string; onChange: (id: string, consent: Consent | null) => void }) {
  const { items } = useConsents(subjectId, 0);
  const live = (items ?? []).filter((c) => c.state === 'live');
  return (
    <Field
      label="Consent relied on"
      hint={
        !subjectId.trim()
          ? 'Choose the subject first.'
          : items === null
            ? 'Loading consents…'
            : live.length === 0
              ? 'This subject has no live written consent; record one on the subject first.'
              : 'The consent must cover every record disclosed and name this recipient.'
      }
    >
      {(p) => (
        <select
          className="input"
          {...p}
          value={value}
          onChange={(e) => onChange(e.target.value, live.find((c) => c.id === e.target.value) ?? null)}
        >
          <option value="">Choose a consent…</option>
          {live.map((c) => (
            <option key={c.id} value={c.id}>
              {`${c.id} · to ${c.recipient} · ${[...c.categories, ...c.records.map((r) => r.id)].join(', ')}`}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
