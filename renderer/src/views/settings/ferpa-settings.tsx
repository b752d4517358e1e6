import { useEffect, useState } from 'react';
import { PRODUCTION_REQUIREMENT_LABELS, PRODUCTION_REQUIREMENTS, type FerpaPolicy, type ProductionRequirement } from '../../../../shared/contract/ferpa-policy.js';
import { client } from '../../api/client.js';
import { Alert } from '../../components/alert.js';
import { TextField } from '../../components/field.js';
import { formatDateTime } from '../../lib/format.js';
import { useCan } from '../../lib/use-can.js';
import { useAppStore } from '../../store/index.js';
import { CardHeader } from '../../components/card-header.js';

/**
 * The institution's FERPA choices: what a subpoena needs before records are produced (shipped as a
 * court order, the rule of the institution's policy). Everyone sees it; an administrator changes it,
 * with a reason the ledger keeps.
 */
export function FerpaSettings() {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const canChange = useCan('ferpa.setPolicy');
  const [policy, setPolicy] = useState<FerpaPolicy | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [choice, setChoice] = useState<ProductionRequirement>('court_order');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void client.call('ferpa.policy', {}).then((r) => {
      if (!r.ok) return setError(r.error.message);
      setPolicy(r.value.policy);
      setChoice(r.value.policy.productionRequires);
    });
  }, []);
  async function save() {
    setBusy(true);
    setError(null);
    const r = await mutate('ferpa.setPolicy', { productionRequires: choice, reason });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setPolicy(r.value.policy);
    setReason('');
    notify('success', 'The subpoena rule was changed; the change is in the ledger.');
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
            </dl>
            {canChange && (
              <form
                className="ferpa-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  void save();
                }}
              >
                <fieldset className="ferpa-records">
                  <legend className="field__label">Before producing records in answer to legal process, require</legend>
                  {PRODUCTION_REQUIREMENTS.map((p) => (
                    <label key={p} className="ferpa-check">
                      <input type="radio" name="production-requires" checked={choice === p} onChange={() => setChoice(p)} />
                      <span>{PRODUCTION_REQUIREMENT_LABELS[p]}</span>
                    </label>
                  ))}
                </fieldset>
                <TextField label="Reason for the change" value={reason} onChange={setReason} hint="Kept in the ledger with the old and new rule." />
                <div>
                  <button type="submit" className="btn btn--primary" disabled={busy || choice === policy.productionRequires}>
                    {busy ? 'Saving…' : 'Save rule'}
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
