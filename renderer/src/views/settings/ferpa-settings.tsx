import { useEffect, useState } from 'react';
import {
  OTHER_BASIS_RULE_LABELS,
  OTHER_BASIS_RULES,
  PRODUCTION_REQUIREMENT_LABELS,
  PRODUCTION_REQUIREMENTS,
  type FerpaPolicy,
  type OtherBasisRule,
  type ProductionRequirement,
} from '../../../../shared/contract/ferpa-policy.js';
import { client } from '../../api/client.js';
import { Alert } from '../../components/alert.js';
import { TextField } from '../../components/field.js';
import { formatDateTime } from '../../lib/format.js';
import { useCan } from '../../lib/use-can.js';
import { useAppStore } from '../../store/index.js';
import { CardHeader } from '../../components/card-header.js';

/**
 * The institution's FERPA choices: what a subpoena needs before records are produced (shipped as a
 * court order, the rule of the institution's policy) and whether a disclosure may name another legal
 * basis (shipped as refused: seed 002's exceptions only). Everyone sees them; an administrator
 * changes them, with a reason the ledger keeps.
 */
export function FerpaSettings() {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const canChange = useCan('ferpa.setPolicy');
  const [policy, setPolicy] = useState<FerpaPolicy | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [choice, setChoice] = useState<ProductionRequirement>('court_order');
  const [other, setOther] = useState<OtherBasisRule>('refuse');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void client.call('ferpa.policy', {}).then((r) => {
      if (!r.ok) return setError(r.error.message);
      setPolicy(r.value.policy);
      setChoice(r.value.policy.productionRequires);
      setOther(r.value.policy.otherBasis.rule);
    });
  }, []);
  async function save() {
    setBusy(true);
    setError(null);
    const r = await mutate('ferpa.setPolicy', {
      ...(choice !== policy?.productionRequires ? { productionRequires: choice } : {}),
      ...(other !== policy?.otherBasis.rule ? { otherBasis: other } : {}),
      reason,
    });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setPolicy(r.value.policy);
    setReason('');
    notify('success', 'The FERPA rules were changed; the change is in the ledger.');
  }
  return (
    <section className="card" aria-labelledby="ferpa-title">
      <CardHeader id="ferpa-title" title="FERPA rules" />
      <div className="card__body">
        {error && <Alert kind="error">{error}</Alert>}
        {!policy ? (
          <p className="muted">Loading…</p>
        ) : (
          <>
            <dl className="kv">
              <dt>Directory information</dt>
              <dd>Name, e-mail address, enrollment status and certificate completion status; never grades, attendance, GPA or transcripts (34 CFR 99.3, 99.37).</dd>
              <dt>Amendment requests</dt>
              <dd>Subjective grades, a teacher’s judgement and attendance are answered with an explanation, not amended or heard; attendance may carry the student’s explanation.</dd>
              <dt>Subpoenas</dt>
              <dd data-testid="ferpa-production-rule">
                Production needs {policy.productionRequires === 'court_order' ? 'a court order' : 'a court order or a lawfully issued subpoena'} (34 CFR 99.31(a)(9))
                {policy.productionRequiresIsDefault ? ' — the shipped rule.' : `, changed ${policy.changedAt ? formatDateTime(policy.changedAt) : ''} by ${policy.changedBy ?? ''}.`}
              </dd>
              <dt>Other legal bases</dt>
              <dd data-testid="ferpa-other-basis-rule">
                {policy.otherBasis.rule === 'refuse'
                  ? 'A disclosure names one of the bases listed (consent, school officials, directory information, legal process, emergencies and the other exceptions of 34 CFR 99.31 on the form); "Other legal basis" is refused'
                  : 'A disclosure may name "Other legal basis", with the exception of 34 CFR 99.31 stated in words'}
                {policy.otherBasis.isDefault ? ' — the shipped rule.' : `, changed ${policy.otherBasis.changedAt ? formatDateTime(policy.otherBasis.changedAt) : ''} by ${policy.otherBasis.changedBy ?? ''}.`}
              </dd>
            </dl>
            {canChange && (
              <form
                className="ferpa-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  void save();
                }}
              >
                <RadioChoices legend="Before producing records in answer to legal process, require" name="production-requires" labels={PRODUCTION_REQUIREMENT_LABELS} values={PRODUCTION_REQUIREMENTS} value={choice} onChange={setChoice} />
                <RadioChoices legend="A disclosure on “Other legal basis”" name="other-basis" labels={OTHER_BASIS_RULE_LABELS} values={OTHER_BASIS_RULES} value={other} onChange={setOther} />
                <TextField label="Reason for the change" value={reason} onChange={setReason} hint="Kept in the ledger with the old and new rule." />
                <div>
                  <button type="submit" className="btn btn--primary" disabled={busy || (choice === policy.productionRequires && other === policy.otherBasis.rule)}>
                    {busy ? 'Saving…' : 'Save rules'}
                  </button>
                </div>
              </form>
            )}
          </>
        )}
      </div>
    </section>
  );
}

/** One setting's choices as a group of radio buttons under its legend. */
function RadioChoices<T extends string>({
  legend,
  name,
  values,
  labels,
  value,
  onChange,
}: {
  legend: string;
  name: string;
  values: readonly T[];
  labels: Record<T, string>;
  value: T;
  onChange: (v: T) => void;
}) {
  return (
    <fieldset className="ferpa-records">
      <legend className="field__label">{legend}</legend>
      {values.map((v) => (
        <label key={v} className="ferpa-check">
          <input type="radio" name={name} checked={value === v} onChange={() => onChange(v)} />
          <span>{labels[v]}</span>
        </label>
      ))}
    </fieldset>
  );
}
