import type { INCIDENT_SEVERITIES } from '../../../shared/contract/incidents.js';

/** Alerts share the incidents' severities, so an escalated alert keeps its own. */
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];
