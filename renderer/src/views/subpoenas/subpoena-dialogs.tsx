import { useEffect, useState } from 'react';
import type { ExportedFile } from '../../../../shared/contract/files.js';
import type { Subpoena, SUBPOENA_ACTIONS, SubpoenaType } from '../../../../shared/contract/subpoenas.js';
import { SUBPOENA_TYPE_LABELS, SUBPOENA_TYPES } from '../../../../shared/contract/subpoenas.js';
import { ActionDialog } from '../../components/dialog.js';
import { type FormProblem, atField } from '../../components/form-errors.js';
import { Select, TextArea, TextField } from '../../components/field.js';
import { FileHandOver } from '../../components/file-hand-over.js';
import { CasePicker, RecordChooser, SubjectPicker } from '../../components/pickers.js';
import { useAppStore } from '../../store/index.js';
import { useUserChoices } from '../../lib/use-users.js';
import { formatDate, plural } from '../../lib/format.js';

export type SubpoenaAction = (typeof SUBPOENA_ACTIONS)[number] | 'subpoenas.exportProduction';

/** Logs a subpoena or court order as served. */
export function ReceiveSubpoenaDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (id: string) => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const [subjectId, setSubjectId] = useState('');
  const [issuer, setIssuer] = useState('');
  const [court, setCourt] = useState('');
  const [docket, setDocket] = useState('');
  const [type, setType] = useState<SubpoenaType>('civil');
  const [requested, setRequested] = useState('');
  const [servedAt, setServedAt] = useState('');
  const [dueAt, setDueAt] = useState('');
  const [caseId, setCaseId] = useState('');
  useEffect(() => {
    if (!open) return;
    setSubjectId('');
    setIssuer('');
    setCourt('');
    setDocket('');
    setType('civil');
    setRequested('');
    setServedAt(new Date().toISOString().slice(0, 10));
    setDueAt('');
    setCaseId('');
  }, [open]);
  return (
    <ActionDialog
      open={open}
      title="Log a subpoena"
      submitLabel="Log subpoena"
      onClose={onClose}
      wide
      run={async () => {
        if (!servedAt) return atField('servedAt', 'Give the date the subpoena was served.');
        if (!dueAt) return atField('dueAt', 'Give the date the response is due.');
        const r = await mutate('subpoenas.receive', {
          subjectId: subjectId.trim(),
          issuer,
          court,
          docket,
          type,
          requestedRecords: requested,
          servedAt,
          dueAt,
          ...(caseId.trim() ? { caseId: caseId.trim() } : {}),
        });
        if (!r.ok) return r.error;
        notify('success', `Subpoena ${r.value.subpoena.id} logged; notice to the subject is due by ${formatDate(r.value.subpoena.noticeDueAt)}.`);
        onCreated(r.value.subpoena.id);
        return null;
      }}
    >
      <div className="ferpa-form__row">
        <SubjectPicker label="Subject (whose records are requested)" value={subjectId} onChange={setSubjectId} />
        <Select label="Type" value={type} onChange={(v) => setType(v as SubpoenaType)} options={SUBPOENA_TYPES.map((t) => [t, SUBPOENA_TYPE_LABELS[t]])} />
      </div>
      <div className="ferpa-form__row">
        <TextField label="Issued by" value={issuer} onChange={setIssuer} />
        <TextField label="Court" value={court} onChange={setCourt} />
      </div>
      <div className="ferpa-form__row">
        <TextField label="Docket or reference" value={docket} onChange={setDocket} />
        <CasePicker label="Case id (optional)" value={caseId} onChange={setCaseId} />
      </div>
      <div className="ferpa-form__row">
        <TextField label="Served on" name="servedAt" type="date" value={servedAt} onChange={setServedAt} />
        <TextField label="Response due" name="dueAt" type="date" value={dueAt} onChange={setDueAt} />
      </div>
      <TextArea label="Records requested" value={requested} onChange={setRequested} hint="As worded in the subpoena; the scope will hold only these." />
    </ActionDialog>
  );
}

/** One step of the subpoena protocol, with the fields that step needs. Production and export state what will happen. */
export function SubpoenaActionDialog({
  action,
  subpoena,
  productionId,
  onClose,
  title,
}: {
  action: SubpoenaAction | null;
  subpoena: Subpoena;
  productionId: string | null;
  onClose: () => void;
  title: string;
}) {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const [note, setNote] = useState('');
  const [counsel, setCounsel] = useState('');
  // Seed 002, step 1: legitimacy is confirmed with legal counsel; anyone else verifying names the counsel.
  const me = useAppStore((s) => s.user);
  const users = useUserChoices();
  const isCounsel = me?.role === 'legal_counsel';
  const counselChoices = Array.isArray(users) ? users.filter((u) => u.role === 'legal_counsel' && u.username !== me?.username) : [];
  const [method, setMethod] = useState('');
  const [when, setWhen] = useState('');
  const [ground, setGround] = useState<'nondisclosure_order' | 'ex_parte_order'>('nondisclosure_order');
  const [records, setRecords] = useState<string[]>([]);
  const [prefix, setPrefix] = useState('');
  const [exported, setExported] = useState<(ExportedFile & { files: unknown[] }) | null>(null);
  useEffect(() => {
    setNote('');
    setCounsel('');
    setMethod('');
    setWhen('');
    setGround(subpoena.type === 'court_order' ? 'ex_parte_order' : 'nondisclosure_order');
    setRecords(subpoena.scope.map((r) => r.id));
    setPrefix('');
    setExported(null);
  }, [action, subpoena]);

  const id = subpoena.id;
  async function run(): Promise<FormProblem | string | null> {
    let r;
    switch (action) {
      case 'subpoenas.verify':
        r = await mutate(action, { id, note, ...(!isCounsel && counsel ? { counsel } : {}) });
        break;
      case 'subpoenas.sendNotice':
        r = await mutate(action, { id, method, ...(when ? { sentAt: when } : {}), ...(note.trim() ? { note } : {}) });
        break;
      case 'subpoenas.exemptNotice':
        r = await mutate(action, { id, ground, reason: note, ...(when ? { until: when } : {}) });
        break;
      case 'subpoenas.scope':
        if (records.length === 0) return 'Choose at least one record the subpoena requests.';
        r = await mutate(action, { id, recordIds: records });
        break;
      case 'subpoenas.produce':
        r = await mutate(action, { id, ...(prefix.trim() ? { batesPrefix: prefix.trim().toUpperCase() } : {}) });
        if (r.ok) {
          notify('success', `Produced ${plural(r.value.production.pageCount, 'page')}, ${r.value.production.batesFirst} to ${r.value.production.batesLast}; the disclosure is recorded.`);
          return null;
        }
        break;
      case 'subpoenas.exportProduction': {
        if (!productionId) return 'This subpoena has no production to export.';
        r = await mutate(action, { productionId });
        if (r.ok) {
          setExported(r.value);
          return null;
        }
        break;
      }
      case 'subpoenas.close':
        r = await mutate(action, { id, ...(note.trim() ? { note } : {}) });
        break;
      case 'subpoenas.quash':
      case 'subpoenas.withdraw':
        r = await mutate(action, { id, reason: note });
        break;
      default:
        return null;
    }
    if (!r.ok) return r.error;
    notify('success', `${id}: done.`);
    return null;
  }

  const outward = action === 'subpoenas.produce' || action === 'subpoenas.exportProduction';
  const ending = action === 'subpoenas.quash' || action === 'subpoenas.withdraw';
  const submit =
    action === 'subpoenas.produce' ? 'Produce' : action === 'subpoenas.exportProduction' ? 'Export' : action === 'subpoenas.quash' ? 'Mark quashed' : action === 'subpoenas.withdraw' ? 'Mark withdrawn' : 'Save';
  return (
    <ActionDialog
      open={action !== null}
      title={title}
      submitLabel={submit}
      onClose={onClose}
      run={run}
      danger={outward || ending}
      wide
      keepOpen={action === 'subpoenas.exportProduction'}
      done={
        exported && (
          <>
            <p>
              Production {productionId}: {plural(exported.files.length, 'file')}, every one checked against its recorded SHA-256, in one ZIP. The export is recorded in the ledger; so is the download.
            </p>
            <FileHandOver file={exported} label="production" />
          </>
        )
      }
    >
      {action === 'subpoenas.verify' && !isCounsel && (
        <Select
          label="Legal counsel who confirmed it"
          name="counsel"
          value={counsel}
          onChange={setCounsel}
          options={[['', counselChoices.length > 0 ? 'Choose counsel…' : 'No legal counsel account yet'], ...counselChoices.map((u): [string, string] => [u.username, `${u.displayName} (${u.username})`])]}
          hint="Counsel may also verify it themselves."
        />
      )}
      {action === 'subpoenas.verify' && <TextArea label="How it was verified" value={note} onChange={setNote} hint="Step 1 of the subpoena protocol: confirm with legal counsel that it is legitimate." />}
      {action === 'subpoenas.sendNotice' && (
        <>
          <TextField label="How the subject was notified" value={method} onChange={setMethod} placeholder="Certified letter and e-mail" />
          <TextField label="Sent on" type="date" value={when} onChange={setWhen} hint={`Today when left empty. Due by ${formatDate(subpoena.noticeDueAt)}.`} />
          <TextArea label="Note (optional)" value={note} onChange={setNote} />
        </>
      )}
      {action === 'subpoenas.exemptNotice' && (
        <>
          <Select
            label="Ground"
            value={ground}
            onChange={(v) => setGround(v as typeof ground)}
            options={[
              ['nondisclosure_order', 'Non-disclosure order (grand jury or law enforcement subpoena)'],
              ['ex_parte_order', 'Ex parte court order'],
            ]}
            hint="34 CFR 99.31(a)(9)(ii)(A)–(C). The disclosure will be withheld from the subject’s accounting (99.32(d)(5))."
          />
          <TextArea label="Reason, citing the order" value={note} onChange={setNote} />
          <TextField label="Order lapses on (optional)" type="date" value={when} onChange={setWhen} hint="After this date the disclosure shows in the subject’s accounting." />
        </>
      )}
      {action === 'subpoenas.scope' && (
        <>
          <p>{subpoena.requestedRecords}</p>
          <RecordChooser subjectId={subpoena.subjectId} value={records} onChange={setRecords} multiple legend="Records the subpoena requests (only these are produced)" />
        </>
      )}
      {action === 'subpoenas.produce' && (
        <>
          <p>
            This produces {subpoena.scope.length} record{subpoena.scope.length === 1 ? '' : 's'} ({subpoena.scope.map((r) => r.id).join(', ')}) for {subpoena.issuer}: a Bates-numbered PDF, one PDF per page, and a manifest with the SHA-256 of every page
            and file. A copy is kept encrypted in the workspace, and the disclosure is recorded in the record of disclosures. Records are not changed. This cannot be undone.
          </p>
          <p>Nothing leaves the workspace yet: afterwards, Export production writes the set as one ZIP for you to download.</p>
          <TextField label="Bates prefix (optional)" value={prefix} onChange={setPrefix} placeholder="PROD" hint="2 to 12 capital letters or digits; numbers continue after earlier productions with the same prefix." />
        </>
      )}
      {action === 'subpoenas.exportProduction' && (
        <>
          <p>
            Writes a decrypted copy of production {productionId} (PDF, page files, manifest, VERIFY.txt) as one ZIP in the workspace’s exports folder, checking every file’s SHA-256 first. The export is recorded in
            the ledger. Then you download it: the hand-over is recorded too, and the copy is plaintext, so keep it only where the records may be.
          </p>
        </>
      )}
      {action === 'subpoenas.close' && <TextArea label="Note (optional)" value={note} onChange={setNote} hint="For example: delivered by courier on 3 March." />}
      {ending && <TextArea label="Reason" value={note} onChange={setNote} />}
    </ActionDialog>
  );
}
