import { NOT_AMENDABLE_MATTERS, type AmendmentMatter } from '../../../shared/contract/amendments.js';
import { PRODUCTION_REQUIREMENTS, type FerpaPolicy, type ProductionRequirement } from '../../../shared/contract/ferpa-policy.js';
import type { SubpoenaType } from '../../../shared/contract/subpoenas.js';
import { opTime, type Op } from '../domain/op.js';
import { CustosError } from '../errors.js';
import { loadPolicy } from '../policy.js';
import type { Workspace } from '../workspace.js';
import { findFerpaSetting, putFerpaSetting } from './ferpa-store.js';

/** resources/policies/ferpa.json: FERPA as seed 002 states it. */
interface FerpaPolicyFile {
  directoryInformation: { categories: string[]; excluded: string[] };
  subpoenas: { productionRequires: ProductionRequirement };
  amendments: { notAmendable: Partial<Record<AmendmentMatter, string>> };
}

function file(): FerpaPolicyFile {
  return loadPolicy<FerpaPolicyFile>('ferpa');
}

const PRODUCTION_KEY = 'subpoenas.productionRequires';

/** The workspace's FERPA settings: the stored choice, else the shipped default of seed 002. */
export function ferpaPolicy(ws: Workspace): FerpaPolicy {
  const stored = findFerpaSetting(ws.db, PRODUCTION_KEY);
  const value = stored && (PRODUCTION_REQUIREMENTS as readonly string[]).includes(stored.value) ? (stored.value as ProductionRequirement) : undefined;
  return {
    productionRequires: value ?? file().subpoenas.productionRequires,
    productionRequiresIsDefault: value === undefined,
    changedAt: stored?.changed_at ?? null,
    changedBy: stored?.changed_by ?? null,
    directoryCategories: [...file().directoryInformation.categories],
  };
}

/** `ferpa.setPolicy`: an administrator's choice, ledgered with the value it replaced. */
export function setFerpaPolicy(ws: Workspace, op: Op, input: { productionRequires: ProductionRequirement; reason: string }): FerpaPolicy {
  const now = opTime(op);
  ws.tx(() => {
    const before = ferpaPolicy(ws).productionRequires;
    putFerpaSetting(ws.db, { key: PRODUCTION_KEY, value: input.productionRequires, changed_at: now.toISOString(), changed_by: op.actor });
    ws.ledger.append(
      {
        actor: op.actor,
        action: 'ferpa.setPolicy',
        resource_type: 'policy',
        resource_id: PRODUCTION_KEY,
        details: { setting: PRODUCTION_KEY, from: before, to: input.productionRequires, reason: input.reason },
      },
      now,
    );
  });
  return ferpaPolicy(ws);
}

/**
 * Why production on a subpoena of this type is refused under the workspace's policy, or null when
 * it may go ahead. Seed 002: "Without court order: refuse disclosure"; 34 CFR 99.31(a)(9)(i) lets an
 * institution also honour a lawfully issued subpoena, which is the other setting.
 */
export function productionRefusal(ws: Workspace, type: SubpoenaType | 'lawful_subpoena'): string | null {
  if (type === 'court_order') return null;
  if (ferpaPolicy(ws).productionRequires === 'court_order_or_lawful_subpoena') return null;
  return (
    'Records are produced only under a court order: the institution requires a judicial order before it discloses education records in answer to legal process (34 CFR 99.31(a)(9)). ' +
    'Ask the issuer for a court order, or record the response when the subpoena is quashed or withdrawn.'
  );
}

/**
 * Refuses a directory-information disclosure that carries records outside the categories the
 * institution designated (34 CFR 99.3, 99.37; seed 002: never grades, attendance, GPA or transcripts).
 */
export function assertDirectoryInformation(subjectId: string, records: readonly { id: string; category: string }[]): void {
  const allowed = file().directoryInformation.categories;
  const outside = records.filter((r) => !allowed.includes(r.category));
  if (outside.length === 0) return;
  throw new CustosError(
    'conflict',
    `Directory information (34 CFR 99.3, 99.37) at this institution is name, email address, enrollment status and certificate completion status; it never includes grades, attendance, GPA or transcripts. ` +
      `${outside.map((r) => `${r.id} (${r.category})`).join(', ')} cannot be disclosed as directory information; use the student's written consent or another legal basis.`,
    { resourceType: 'subject', resourceId: subjectId, rule: 'directory_information', records: outside.map((r) => r.id) },
  );
}

/** The standard explanation for a request whose matter cannot be amended, or null when it can. */
export function notAmendableExplanation(matter: AmendmentMatter): string | null {
  if (!NOT_AMENDABLE_MATTERS.includes(matter)) return null;
  return (
    file().amendments.notAmendable[matter] ??
    'This request concerns a matter the amendment procedure of 34 CFR 99.20 does not reach; it is answered with this explanation instead of a hearing.'
  );
}
