import { useEffect } from 'react';
import { maySee } from '../../../../shared/roles.js';
import { Alert } from '../../components/alert.js';
import { PageHeader } from '../../components/page-header.js';
import { formatCount, formatRelative, plural } from '../../lib/format.js';
import { useCan } from '../../lib/use-can.js';
import { useAppStore } from '../../store/index.js';
import { DeadlinesPanel } from '../disclosures/deadlines-panel.js';
import { ActivityChart } from './activity-chart.js';
import { AlertsChartCard } from './alerts-chart.js';
import { ComplianceCard } from './compliance-card.js';
import { IntegrityCard } from './integrity-card.js';
import { RecentDenied } from './recent-denied.js';
import { StatCard } from './stat-card.js';
import { CardHeader } from '../../components/card-header.js';

const DAYS = 30;

/** What is due, what is at risk, and what happened: the first screen after sign-in. */
export function Dashboard() {
  const head = useAppStore((s) => s.head);
  const stats = useAppStore((s) => s.stats);
  const statsError = useAppStore((s) => s.statsError);
  const loadStats = useAppStore((s) => s.loadStats);
  const displayName = useAppStore((s) => s.user?.displayName ?? '');
  const role = useAppStore((s) => s.user?.role ?? 'viewer');
  const canReadLedger = useCan('ledger.query');
  // Who was refused what is a security detail: roles that may not see it get no list (the core sends none).
  const canSeeDenied = maySee(role, 'security');
  const canReadAlerts = useCan('alerts.perDay');

  useEffect(() => {
    void loadStats(DAYS);
  }, [loadStats]);

  const totals = (stats?.perDay ?? []).reduce(
    (t, d) => ({ success: t.success + d.success, denied: t.denied + d.denied, failure: t.failure + d.failure }),
    { success: 0, denied: 0, failure: 0 },
  );
  const v = head?.lastVerification ?? null;
  const cp = head?.checkpoint ?? null;

  return (
    <div className="page">
      <PageHeader title="Dashboard" subtitle={`Welcome back${displayName ? `, ${displayName.split(' ')[0]}` : ''}. What is due, what is at risk, and what happened lately.`} />
      <div className="page__body dashboard">
        {statsError && <Alert kind="error">{statsError}</Alert>}
        <section className="stat-row" aria-label="Ledger at a glance">
          <StatCard label="Ledger events" value={head ? formatCount(head.size) : '—'} note={head ? `root ${head.root.slice(0, 12)}…` : 'Loading…'} icon="ledger" />
          <StatCard
            label="Last checkpoint"
            value={cp ? formatCount(cp.size) : 'None'}
            note={cp ? `signed ${formatRelative(cp.ts)}` : 'Written on lock, export or request'}
            icon="key"
          />
          <StatCard
            label="Last verification"
            value={v ? (v.valid ? 'Valid' : 'INVALID') : 'Never'}
            tone={v ? (v.valid ? 'ok' : 'danger') : 'neutral'}
            note={v ? `${plural(v.size, 'event')} · ${formatRelative(v.at)}` : canReadLedger ? 'Run “Verify now” in the Ledger' : 'Not verified yet'}
            icon={v && !v.valid ? 'shieldAlert' : 'shieldCheck'}
          />
          <StatCard
            label={`Denied, last ${DAYS} days`}
            value={stats ? formatCount(totals.denied) : '—'}
            tone={totals.denied > 0 ? 'danger' : 'neutral'}
            note={stats ? `${plural(totals.failure, 'failure')} · ${plural(totals.success, 'success', 'successes')}` : 'Loading…'}
            icon="alert"
          />
        </section>
        <div className="dashboard__grid">
          <section className="card dashboard__chart" aria-labelledby="activity-title">
            <CardHeader id="activity-title" title="Activity" subtitle={<>Ledger events per day, last {DAYS} days, by outcome</>} />
            <div className="card__body">
              <ActivityChart perDay={stats?.perDay ?? null} days={DAYS} />
            </div>
          </section>
          <IntegrityCard />
        </div>
        <div className="dashboard__grid dashboard__grid--even">
          {canSeeDenied && <RecentDenied events={stats?.recentDenied ?? null} canOpen={canReadLedger} />}
          <section className="card dashboard__due" aria-labelledby="due-title">
            <CardHeader id="due-title" title="Due and at risk" subtitle="Amendment decisions and hearings, subpoena notices and responses, hold reminders, access requests, compliance assessments, workflow steps, breach clock tasks and key rotation, overdue first" />
            <DeadlinesPanel limit={6} />
          </section>
        </div>
        {canReadAlerts && <AlertsChartCard days={DAYS} />}
        <ComplianceCard />
      </div>
    </div>
  );
}
