import { useEffect, useState } from 'react';
import {
  PRIVACY_REGIME_LABELS,
  PRIVACY_REGIMES,
  PRIVACY_RIGHT_LABELS,
  RIGHTS_OF_REGIME,
  type PrivacyRegime,
  type PrivacyRequest,
  type PrivacyRight,
} from '../../../../shared/contract/privacy.js';
import { ActionDialog } from '../../components/dialog.js';
import { Select, TextArea, TextField } from '../../components/field.js';
import { SubjectPicker } from '../../components/pickers.js';
import { useAppStore } from '../../store/index.js';
import { formatDate } from '../../lib/format.js';

/** Logs a GDPR or CCPA privacy-rights request; its deadline follows from the regime and the receipt date. */
export function CreatePrivacyRequestDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (id: string) => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const [subjectId, setSubjectId] = useState('');
  const [regime, setRegime] = useState<PrivacyRegime>('gdpr');
  const [right, setRight] = useState<PrivacyRight>('access');
  const [requester, setRequester] = useState('');
  const [description, setDescription] = useState('');
  const [received, setReceived] = useState('');
  useEffect(() => {
    if (!open) return;
    setSubjectId('');
    setRegime('gdpr');
    setRight('access');
    setRequester('');
    setDescription('');
    setReceived('');
  }, [open]);
  return (
    <ActionDialog
      open={open}
      title="Log a privacy-rights request"
      submitLabel="Log request"
      onClose={onClose}
      wide
      run={async () => {
        const r = await mutate('privacyRequests.create', {
          subjectId: subjectId.trim(),
          regime,
          right,
          requester,
          description,
          ...(received ? { receivedAt: received } : {}),
        });
        if (!r.ok) return r.error;
        notify('success', `Request ${r.value.request.id} logged; due ${formatDate(r.value.request.dueAt)}.`);
        onCreated(r.value.request.id);
        return null;
      }}
    >
      <SubjectPicker value={subjectId} onChange={setSubjectId} />
      <Select
        label="Law"
        value={regime}
        onChange={(v) => {
          setRegime(v as PrivacyRegime);
          setRight(RIGHTS_OF_REGIME[v as PrivacyRegime][0]!);
        }}
        options={PRIVACY_REGIMES.map((x) => [x, PRIVACY_REGIME_LABELS[x]])}
        hint="GDPR: one month from receipt, extendable by two. CCPA/CPRA: 45 days, extendable by 45."
      />
      <Select label="Right" value={right} onChange={(v) => setRight(v as PrivacyRight)} options={RIGHTS_OF_REGIME[regime].map((x) => [x, PRIVACY_RIGHT_LABELS[x]])} />
      <TextField label="Requester" value={requester} onChange={setRequester} required maxLength={300} hint="Who made the request and how (the student, a parent, an agent; e-mail, letter, form)." />
      <TextField label="Received on" type="date" value={received} onChange={setReceived} hint="Leave empty for today." />
      <TextArea label="What was asked" value={description} onChange={setDescription} />
    </ActionDialog>
  );
}

/** Extends, completes or rejects a request; each asks for the words the requester is told. */
export function ResolveDialog({ request, action, erases, onClose }: { request: PrivacyRequest; action: 'extend' | 'complete' | 'reject' | null; erases: boolean; onClose: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const [text, setText] = useState('');
  useEffect(() => setText(''), [action]);
  const titles = {
    extend: `Extend the deadline of ${request.id}`,
    complete: erases ? `Complete ${request.id} and erase what the law allows` : `Complete ${request.id}`,
    reject: `Reject ${request.id}`,
  };
  const labels = { extend: 'Reason for the extension (told to the requester)', complete: 'Outcome', reject: 'Reason for the refusal (told to the requester)' };
  return (
    <ActionDialog
      open={action !== null}
      title={action ? titles[action] : ''}
      submitLabel={action === 'extend' ? 'Extend' : action === 'reject' ? 'Reject request' : erases ? 'Erase and complete' : 'Complete'}
      danger={action === 'reject' || (action === 'complete' && erases)}
      onClose={onClose}
      run={async () => {
        if (!action) return null;
        const r =
          action === 'extend'
            ? await mutate('privacyRequests.extend', { id: request.id, reason: text })
            : action === 'reject'
              ? await mutate('privacyRequests.reject', { id: request.id, reason: text })
              : await mutate('privacyRequests.complete', { id: request.id, outcome: text });
        if (!r.ok) return r.error;
        notify('success', action === 'extend' ? `${request.id} is now due ${formatDate(r.value.request.dueAt)}.` : `${request.id} is ${r.value.request.state}.`);
        return null;
      }}
    >
      {action === 'extend' && (
        <p>
          {request.regime === 'gdpr'
            ? 'GDPR allows one extension by up to two further months; the requester must be told within the first month, with the reasons.'
            : 'CCPA allows one extension by 45 days; the consumer must be told within the first 45 days, with the reasons.'}
        </p>
      )}
      {action === 'complete' && erases && (
        <p>
          Every record of {request.subjectName} is erased through the erase path, except records whose category the law keeps (grades, attendance, transcripts,
          disciplinary records…) and records under a legal hold. Erased content cannot be restored. What was kept, and why, is listed on the request.
        </p>
      )}
      <TextArea label={action ? labels[action] : ''} name={action === 'complete' ? 'outcome' : 'reason'} value={text} onChange={setText} />
    </ActionDialog>
  );
}
