import { NOT_AMENDABLE_MATTERS, type AmendmentMatter } from '../../../shared/contract/amendments.js';
import { OTHER_BASIS_RULES, PRODUCTION_REQUIREMENTS, type FerpaPolicy, type OtherBasisRule, type ProductionRequirement } from '../../../shared/contract/ferpa-policy.js';
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
  disclosures: { otherBasis: OtherBasisRule };
  amendments: { notAmendable: Partial<Record<AmendmentMatter, string>> };
}

function file(): FerpaPolicyFile {
  return loadPolicy<FerpaPolicyFile>('ferpa');
}

const PRODUCTION_KEY = 'subpoenas.productionRequires';
const OTHER_BASIS_KEY = 'disclosures.otherBasis';

/** A stored setting when it holds one of `values`, else undefined (the shipped default applies). */
function stored<T extends string>(ws: Workspace, key: string, values: readonly T[]): { value: T; changedAt: string; changedBy: string } | undefined {
  const row = findFerpaSetting(ws.db, key);
  return row && (values as readonly string[]).includes(row.value) ? { value: row.value as T, changedAt: row.changed_at, changedBy: row.changed_by } : undefined;
}

/** The workspace's FERPA settings: the stored choice, else the shipped default of seed 002. */
export function ferpaPolicy(ws: Workspace): FerpaPolicy {
  const production = stored(ws, PRODUCTION_KEY, PRODUCTION_REQUIREMENTS);
  const other = stored(ws, OTHER_BASIS_KEY, OTHER_BASIS_RULES);
  return {
    productionRequires: production?.value ?? file().subpoenas.productionRequires,
    productionRequiresIsDefault: production === undefined,
    changedAt: production?.changedAt ?? null,
    changedBy: production?.changedBy ?? null,
    directoryCategories: [...file().directoryInformation.categories],
    otherBasis: { rule: other?.value ?? file().disclosures.otherBasis, isDefault: other === undefined, changedAt: other?.changedAt ?? null, changedBy: other?.changedBy ?? null },
  };
}

/**
 * `ferpa.setPolicy`: an administrator's choice, one ledger event per setting that changes (with the
 * value it replaced), all in one transaction. A setting given at its current value is left alone.
 */
export function setFerpaPolicy(ws: Workspace, op: Op, input: { productionRequires?: ProductionRequirement | undefined; otherBasis?: OtherBasisRule | undefined; reason: string }): FerpaPolicy {
  const now = opTime(op);
  ws.tx(() => {
    const before = ferpaPolicy(ws);
    const changes: [key: string, from: string, to: string | undefined][] = [
      [PRODUCTION_KEY, before.productionRequires, input.productionRequires],
      [OTHER_BASIS_KEY, before.otherBasis.rule, input.otherBasis],
    ];
    const changed = changes.filter((c): c is [string, string, string] => c[2] !== undefined && c[2] !== c[1]);
    if (changed.length === 0) {
      throw new CustosError('conflict', 'The rules are already as asked; nothing was changed.', { resourceType: 'policy', resourceId: input.otherBasis !== undefined ? OTHER_BASIS_KEY : PRODUCTION_KEY });
    }
    for (const [key, from, to] of changed) {
      putFerpaSetting(ws.db, { key, value: to, changed_at: now.toISOString(), changed_by: op.actor });
      ws.ledger.append({ actor: op.actor, action: 'ferpa.setPolicy', resource_type: 'policy', resource_id: key, details: { setting: key, from, to, reason: input.reason } }, now);
    }
  });
  return ferpaPolicy(ws);
}

/**
 * Why a disclosure on "Other legal basis" is refused under the workspace's policy, or null when it
 * may be recorded. Seed 002: no disclosure without written consent except the exceptions it lists.
 */
export function otherBasisRefusal(ws: Workspace): string | null {
  if (ferpaPolicy(ws).otherBasis.rule === 'allow') return null;
  return (
    'A disclosure needs one of the legal bases listed (34 CFR 99.30, 99.31): the institution does not disclose education records on another basis. ' +
    'Choose the basis that applies, record the student’s written consent, or ask an administrator to allow other bases in Settings › FERPA rules.'
  );
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
