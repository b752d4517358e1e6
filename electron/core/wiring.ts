import { disclosuresPart } from './bundle/disclosures-part.js';
import { evidencePart } from './bundle/evidence-part.js';
import type { BundlePartContributor } from './bundle/parts.js';
import { reportPart } from './bundle/report-part.js';
import type { CaseResourceProvider } from './cases/case-scope.js';
import { ferpaItemsOfCase } from './disclosures/case-timeline.js';
import { exportRequestsOfCase } from './exports/case-exports.js';
import { incidentsOfCase } from './incidents/case-timeline.js';
import { workflowsOfCase } from './workflows/case-timeline.js';

/**
 * What one domain lends another, passed in explicitly by createCore() instead of being registered
 * as a side effect of importing a module: the whole wiring of the core can be read here.
 */
export interface CoreWiring {
  /** Files every bundle gets beyond its events, in this order (report.pdf last: it lists the others). */
  bundleParts: readonly BundlePartContributor[];
  /** Domains that keep their own case_id add their resources to a case's scope (timeline, exports, bundles). */
  caseResources: readonly CaseResourceProvider[];
}

/** The wiring of the product: every host, the CLI, the demo and the tests use it through createCore(). */
export const DEFAULT_WIRING: CoreWiring = Object.freeze({
  bundleParts: Object.freeze([evidencePart, disclosuresPart, reportPart]),
  caseResources: Object.freeze([ferpaItemsOfCase, exportRequestsOfCase, workflowsOfCase, incidentsOfCase]),
});
