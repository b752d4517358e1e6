import { getDisclosure } from '../disclosures/disclosures.js';
import { bufferPart, type BundlePart, type BundlePartContext, type BundlePartContributor } from './parts.js';
import { disclosureIds } from './bundle-store.js';

/**
 * `disclosures.json`: the record of disclosures in the bundle's scope (a case bundle: those made
 * under that case; a complete bundle: all of them; a filtered bundle: none), each with its date, recipient, legal basis,
 * records, who disclosed and who recorded it, the hash of the produced file and the statements of
 * disagreement that went with it.
 */
export const disclosuresPart: BundlePartContributor = {
  name: 'disclosures',
  contribute(ctx: BundlePartContext): BundlePart[] {
    const { ws, scope } = ctx;
    // A bundle cut by ledger filters shares a slice of events; the disclosure record does not go with it.
    if (!scope.complete && !scope.caseId) return [];
    const ids = disclosureIds(ws.db, scope.caseId ?? null, ctx.cut?.seq ?? null);
    const now = new Date(ctx.createdAt);
    const disclosures = ids.map((id) => {
      const d = getDisclosure(ws, id, now);
      return {
        id: d.id,
        disclosed_at: d.disclosedAt,
        recipient: d.recipient,
        basis: d.basis,
        basis_detail: d.basisDetail,
        purpose: d.purpose,
        subject: { id: d.subjectId, name: d.subjectName },
        records: d.records,
        disclosed_by: d.disclosedBy,
        recorded_by: d.recordedBy,
        recorded_at: d.recordedAt,
        case_id: d.caseId,
        subpoena_id: d.subpoenaId,
        production_id: d.productionId,
        file_sha256: d.fileSha256,
        statements: d.statements,
        withheld_from_subject_until: d.subjectVisible ? null : d.withheldUntil,
        withholding_basis: d.withholdingBasis,
      };
    });
    const doc = {
      format: 'custos-disclosures/1',
      scope: { complete: scope.complete, case: scope.caseId },
      as_of: ctx.createdAt,
      count: disclosures.length,
      disclosures,
    };
    return [bufferPart('disclosures.json', Buffer.from(`${JSON.stringify(doc, null, 2)}\n`, 'utf8'))];
  },
};
