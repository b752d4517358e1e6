import type { ComponentType } from 'react';
import { BUNDLE_IMPORTERS } from '../../../shared/contract/bundles.js';
import { LEDGER_READERS, type Role } from '../../../shared/roles.js';
import { REPORT_ROLES } from '../../../shared/contract/reports.js';
import type { IconName } from '../components/icons.js';
import { AmendmentsView } from './amendments/amendments-view.js';
import { AuditView } from './audit/audit-view.js';
import { CasesView } from './cases/cases-view.js';
import { ComplianceView } from './compliance/compliance-view.js';
import { Dashboard } from './dashboard/dashboard.js';
import { DeadlinesView } from './disclosures/deadlines-panel.js';
import { DisclosuresView } from './disclosures/disclosures-view.js';
import { EvidenceView } from './evidence/evidence-view.js';
import { ExportsView } from './exports/exports-view.js';
import { HoldsView } from './holds/holds-view.js';
import { IncidentsView } from './incidents/incidents-view.js';
import { AlertsView } from './alerts/alerts-view.js';
import { PrivacyRequestsView } from './privacy/privacy-requests-view.js';
import { LedgerView } from './ledger/ledger-view.js';
import { ReportsView } from './reports/reports-view.js';
import { RetentionView } from './retention/retention-view.js';
import { SettingsView } from './settings/settings-view.js';
import { SubpoenasView } from './subpoenas/subpoenas-view.js';

/**
 * Every area of the app, in navigation order. A domain screen plugs in by giving its entry a
 * `component`; until then the area shows an empty state that says what it will be for.
 */
export interface ViewDef {
  /** Route segment: `#/<id>`. */
  id: string;
  label: string;
  icon: IconName;
  section: 'overview' | 'casework' | 'records' | 'workspace';
  /** Who sees it; absent means every role. Hiding is a courtesy: the core enforces access. */
  roles?: readonly Role[];
  component?: ComponentType;
  /** One or two sentences: what this screen is for (shown in the empty state and as the page subtitle). */
  purpose: string;
}

export const SECTION_LABELS: Record<ViewDef['section'], string | null> = {
  overview: null,
  casework: 'Casework',
  records: 'Records',
  workspace: null,
};

export const VIEWS: readonly ViewDef[] = [
  {
    id: 'dashboard',
    label: 'Dashboard',
    icon: 'dashboard',
    section: 'overview',
    component: Dashboard,
    purpose: 'What is due, what is at risk, and what happened in the workspace lately.',
  },
  {
    id: 'cases',
    label: 'Cases',
    icon: 'cases',
    section: 'casework',
    component: CasesView,
    purpose: 'Every matter you work — records requests, investigations, litigation — with its evidence, holds, deadlines and history in one place.',
  },
  {
    id: 'evidence',
    label: 'Evidence',
    icon: 'evidence',
    section: 'casework',
    component: EvidenceView,
    purpose: 'Collected items under chain of custody: who had them, when, and in what state, from collection to sealing, release or disposal.',
  },
  {
    id: 'holds',
    label: 'Holds',
    icon: 'holds',
    section: 'casework',
    component: HoldsView,
    purpose: 'Legal holds that keep records from being altered or disposed of, with custodian notices and acknowledgements.',
  },
  {
    id: 'amendments',
    label: 'Amendments',
    icon: 'amendments',
    section: 'casework',
    component: AmendmentsView,
    purpose: 'FERPA requests to amend education records, from receipt and review to decision, hearing and filed statements.',
  },
  {
    id: 'subpoenas',
    label: 'Subpoenas',
    icon: 'subpoenas',
    section: 'casework',
    component: SubpoenasView,
    purpose: 'Subpoenas and court orders: verification, notice to the people concerned, scoping and production.',
  },
  {
    id: 'disclosures',
    label: 'Disclosures',
    icon: 'disclosures',
    section: 'casework',
    component: DisclosuresView,
    purpose: 'The record of every disclosure of personal information: to whom, what, when and under which authority.',
  },
  {
    id: 'incidents',
    label: 'Incidents',
    icon: 'alert',
    section: 'casework',
    component: IncidentsView,
    purpose: 'Security incidents and the data-breach clock: what must be done within 1, 24 and 72 hours of discovery, who was notified, and the incident report.',
  },
  {
    id: 'alerts',
    label: 'Alerts',
    icon: 'shieldAlert',
    section: 'casework',
    roles: LEDGER_READERS,
    component: AlertsView,
    purpose: 'What the alert rules caught in the ledger — bursts of failed sign-ins or denied calls, unusual exports, bulk record views, work outside hours — to acknowledge or escalate into an incident, with each user’s risk score.',
  },
  {
    id: 'requests',
    label: 'Requests',
    icon: 'user',
    section: 'casework',
    component: PrivacyRequestsView,
    purpose: 'GDPR and CCPA privacy-rights requests with their legal deadlines, extensions, outcomes, what an erasure kept and why, and the subject-rights audit.',
  },
  {
    id: 'deadlines',
    label: 'Deadlines',
    icon: 'clock',
    section: 'casework',
    component: DeadlinesView,
    purpose: 'One due list across amendment requests, subpoena notices and responses, hold reminders and access requests.',
  },
  {
    id: 'ledger',
    label: 'Ledger',
    icon: 'ledger',
    section: 'records',
    roles: LEDGER_READERS,
    component: LedgerView,
    purpose: 'Every action in this workspace, hash-chained and signed. Filter, inspect an event and its proof, or verify the whole chain.',
  },
  {
    id: 'exports',
    label: 'Exports',
    icon: 'exports',
    section: 'records',
    // exports.list is for ledger readers; a viewer would see nothing but a refusal.
    roles: LEDGER_READERS,
    component: ExportsView,
    purpose: 'Requests to take records out of the workspace as signed, self-verifying bundles, with their approvals.',
  },
  {
    id: 'audit',
    label: 'Audit review',
    icon: 'audit',
    section: 'records',
    roles: BUNDLE_IMPORTERS,
    component: AuditView,
    purpose: 'Log bundles imported from other workspaces, verified before anyone reads them, and your review notes.',
  },
  {
    id: 'compliance',
    label: 'Compliance',
    icon: 'compliance',
    section: 'records',
    component: ComplianceView,
    purpose: 'The regulations and standards the workspace is held to (HIPAA, GDPR, FERPA and more): each requirement’s status, owner and next assessment, with the evidence behind it.',
  },
  {
    id: 'reports',
    label: 'Reports',
    icon: 'report',
    section: 'records',
    roles: REPORT_ROLES,
    component: ReportsView,
    purpose: 'Pre-built compliance reports (GDPR, FERPA, HIPAA, SOX, CCPA, PCI DSS and review views) as PDFs anchored to a signed checkpoint, with their SHA-256 and download.',
  },
  {
    id: 'retention',
    label: 'Retention',
    icon: 'refresh',
    section: 'records',
    component: RetentionView,
    purpose: 'How long each category of record is kept and what happens then (archive or delete), the daily sweep and what it would do next; legal holds always win.',
  },
  {
    id: 'settings',
    label: 'Settings',
    icon: 'settings',
    section: 'workspace',
    component: SettingsView,
    purpose: 'Your passphrase and appearance; for administrators, the people who use this workspace and their roles.',
  },
];

/** The views a role may see, in navigation order. */
export function visibleViews(role: Role): ViewDef[] {
  return VIEWS.filter((v) => !v.roles || v.roles.includes(role));
}

/** The view for a route (`ledger`, `settings/users` → settings), falling back to the dashboard. */
export function viewForRoute(route: string, role: Role): ViewDef {
  const id = route.split('/')[0];
  const views = visibleViews(role);
  return views.find((v) => v.id === id) ?? (views[0] as ViewDef);
}
