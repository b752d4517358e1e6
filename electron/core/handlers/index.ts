import type { Handlers } from '../dispatch.js';
import { bundleHandlers } from './bundles.js';
import { caseHandlers } from './cases.js';
import { complianceHandlers } from './compliance.js';
import { consentHandlers } from './consents.js';
import { coreHandlers } from './core.js';
import { evidenceHandlers } from './evidence.js';
import { exportHandlers } from './exports.js';
import { ferpaHandlers } from './ferpa.js';
import { fileHandlers } from './files.js';
import { holdHandlers } from './holds.js';
import { mfaHandlers } from './mfa.js';
import { reportHandlers } from './reports.js';
import { incidentHandlers } from './incidents.js';
import { retentionHandlers } from './retention.js';
import { alertHandlers } from './alerts.js';
import { privacyHandlers } from './privacy.js';
import { subjectHandlers } from './subjects.js';
import { workflowHandlers } from './workflows.js';
import { witnessHandlers } from './witness.js';
import { scheduleHandlers } from './schedules.js';

/** Every channel's implementation; the type makes a missing channel a compile error. */
export const handlers: Handlers = {
  ...coreHandlers,
  ...caseHandlers,
  ...subjectHandlers,
  ...evidenceHandlers,
  ...holdHandlers,
  ...ferpaHandlers,
  ...bundleHandlers,
  ...exportHandlers,
  ...fileHandlers,
  ...complianceHandlers,
  ...workflowHandlers,
  ...mfaHandlers,
  ...consentHandlers,
  ...reportHandlers,
  ...incidentHandlers,
  ...retentionHandlers,
  ...alertHandlers,
  ...privacyHandlers,
  ...witnessHandlers,
  ...scheduleHandlers,
};
