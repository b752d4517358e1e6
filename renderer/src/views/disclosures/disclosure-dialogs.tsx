import { useEffect, useState } from 'react';
import type { DisclosureBasis } from '../../../../shared/contract/disclosures.js';
import { DISCLOSURE_BASES, DISCLOSURE_BASIS_LABELS } from '../../../../shared/contract/disclosures.js';
import type { ExportedFile } from '../../../../shared/contract/files.js';
import { ActionDialog } from '../../components/dialog.js';
import { Select, TextArea, TextField } from '../../components/field.js';
import { FileHandOver } from '../../components/file-hand-over.js';
import { RecordChooser, SubjectPicker } from '../../components/pickers.js';
import { useAppStore } from '../../store/index.js';
import { ConsentPicker } from '../cases/consents.js';

/** Records a disclosure; statements of disagreement on file for the records are attached by the core. */
export function RecordDisclosureDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (id: string) => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const [subjectId, setSubjectId] = useState('');
  const [records, setRecords] = useState<string[]>([]);
  const [recipient, setRecipient] = useState('');
  const [basis, setBasis] = useState<DisclosureBasis>('school_official');
  const [detail, setDetail] = useState('');
  const [purpose, setPurpose] = useState('');
  const [date, setDate] = useState('');
  const [withhold, setWithhold] = useState(false);
  const [withholdBasis, setWithholdBasis] = useState('');
  const [until, setUntil] = useState('');
  const [consentId, setConsentId] = useState('');
  useEffect(() => {
    if (!open) return;
    setSubjectId('');
    setRecords([]);
    setRecipient('');
    setBasis('school_official');
    setDetail('');
    setPurpose('');
    setDate('');
    setWithhold(false);
    setWithholdBasis('');
    setUntil('');
    setConsentId('');
  }, [open]);
  return (
    <ActionDialog
      open={open}
      title="Record a disclosure"
      submitLabel="Record disclosure"
      onClose={onClose}
      wide
      run={async () => {
        const r = await mutate('disclosures.record', {
          subjectId: subjectId.trim(),
          recordIds: records,
          recipient,
          basis,
          basisDetail: detail,
          purpose,
          ...(date ? { disclosedAt: date } : {}),
          ...(withhold ? { withhold: { basis: withholdBasis, ...(until ? { until } : {}) } } : {}),
          ...(basis === 'consent' && consentId ? { consentId } : {}),
        });
        if (!r.ok) return r.error;
        const n = r.value.disclosure.statements.length;
        notify('success', `Disclosure ${r.value.disclosure.id} recorded${n > 0 ? ` with ${n} statement${n === 1 ? '' : 's'} of disagreement attached` : ''}.`);
        onCreated(r.value.disclosure.id);
        return null;
      }}
    >
      <div className="ferpa-form__row">
        <SubjectPicker value={subjectId} onChange={(v) => { setSubjectId(v); setRecords([]); setConsentId(''); }} />
        <TextField label="Disclosed on" type="date" value={date} onChange={setDate} hint="Today when left empty." />
      </div>
      <RecordChooser subjectId={subjectId} value={records} onChange={setRecords} multiple legend="Records disclosed (none only for directory information)" />
      <Select label="Basis" value={basis} onChange={(v) => setBasis(v as DisclosureBasis)} options={DISCLOSURE_BASES.map((b) => [b, DISCLOSURE_BASIS_LABELS[b]])} />
      {basis === 'consent' && (
        <ConsentPicker
          subjectId={subjectId}
          value={consentId}
          onChange={(id, consent) => {
            setConsentId(id);
            // The consent names the recipient; a disclosure to anyone else is refused.
            if (consent && !recipient.trim()) setRecipient(consent.recipient);
          }}
        />
      )}
      {basis === 'dependent_parent' && (
        <p className="muted">Only for a student recorded as a tax dependent (the subject’s Dependent status); otherwise a parent needs the student’s written consent.</p>
      )}
      {basis === 'other' && (
        <p className="muted">Recorded only where an administrator has allowed other legal bases (Settings › FERPA rules); name the exception of 34 CFR 99.31 that applies below.</p>
      )}
      {basis === 'directory_information' && (
        <p className="muted">Directory information here is name, e-mail, enrollment and certificate status only (34 CFR 99.3, 99.37): grades, attendance, GPA and transcripts are refused.</p>
      )}
      <TextField label="Recipient" value={recipient} onChange={setRecipient} />
      <TextArea label="Legitimate interest or legal basis" value={detail} onChange={setDetail} hint="What 99.32(a)(3) asks you to record." />
      <TextField label="Purpose (optional)" value={purpose} onChange={setPurpose} />
      <label className="ferpa-check">
        <input type="checkbox" checked={withhold} onChange={(e) => setWithhold(e.target.checked)} />
        Withhold from the subject’s accounting (an order forbids disclosing it)
      </label>
      {withhold && (
        <div className="ferpa-form__row">
          <TextField label="Order or rule" value={withholdBasis} onChange={setWithholdBasis} placeholder="34 CFR 99.32(d)(5): …" />
          <TextField label="Until (optional)" type="date" value={until} onChange={setUntil} />
        </div>
      )}
    </ActionDialog>
  );
}

/**
 * Makes the per-subject accounting PDF in the workspace's exports folder, then offers it for
 * download (the hand-over is ledgered); no server path is asked for or shown.
 */
export function AccountingDialog({ open, onClose, subjectId: initial }: { open: boolean; onClose: () => void; subjectId: string }) {
  const mutate = useAppStore((s) => s.mutate);
  const [subjectId, setSubjectId] = useState(initial);
  const [audience, setAudience] = useState<'subject' | 'internal'>('subject');
  const [asOf, setAsOf] = useState('');
  const [made, setMade] = useState<(ExportedFile & { entries: number; subjectId: string }) | null>(null);
  useEffect(() => {
    if (open) {
      setSubjectId(initial);
      setAudience('subject');
      setAsOf('');
      setMade(null);
    }
  }, [open, initial]);
  return (
    <ActionDialog
      open={open}
      title={made ? 'Accounting of disclosures made' : 'Accounting of disclosures'}
      submitLabel="Make PDF"
      onClose={onClose}
      keepOpen
      done={
        made && (
          <>
            <p>
              The accounting for {made.subjectId} lists {made.entries} disclosure{made.entries === 1 ? '' : 's'}; its SHA-256 is recorded in the ledger.
            </p>
            <FileHandOver file={made} label="PDF" />
          </>
        )
      }
      run={async () => {
        const r = await mutate('disclosures.accountingReport', { subjectId: subjectId.trim(), audience, ...(asOf ? { asOf } : {}) });
        if (!r.ok) return r.error;
        setMade({ ...r.value, subjectId: subjectId.trim() });
        return null;
      }}
    >
      <p>Every disclosure of the subject’s records in the six years before the date (policy), as FERPA 99.32 and HIPAA 164.528 require. A subject who opted out of directory information is named by id only.</p>
      <SubjectPicker value={subjectId} onChange={setSubjectId} />
      <Select
        label="Copy for"
        value={audience}
        onChange={(v) => setAudience(v as 'subject' | 'internal')}
        options={[
          ['subject', 'The subject (leaves out entries withheld under an order)'],
          ['internal', 'Internal review (every entry, with its withholding)'],
        ]}
      />
      <TextField label="As of" type="date" value={asOf} onChange={setAsOf} hint="Today when left empty." />
    </ActionDialog>
  );
}
