/**
 * Which items a legal hold covers. An item is held by a hold when it is linked to the hold's case,
 * or when it falls within the hold's scope. The scope works like a search: every criterion that is
 * given must match, and a date range alone selects nothing (it only narrows the other criteria).
 *
 * - Records: subjects (the record is about one of them), categories, keywords (in title or
 *   content), date range (the record's date).
 * - Evidence: custodians (a custodian's name or email appears in the item's source, collector or
 *   current custodian), keywords (in title, description, file name or source), date range (the
 *   collection date).
 *
 * These functions are pure so that the check before a destructive action (active-holds.ts) and the
 * list of held items (held-items.ts) cannot disagree.
 */

export interface ScopeData {
  subjectIds: readonly string[];
  categories: readonly string[];
  dateFrom: string | null;
  dateTo: string | null;
  keywords: readonly string[];
  custodians: readonly { name: string; email: string }[];
}

export interface ScopeRecord {
  subjectId: string;
  category: string;
  title: string;
  content: string | null;
  recordDate: string;
}

export interface ScopeEvidence {
  title: string;
  description: string;
  originalName: string;
  source: string;
  collectedBy: string;
  custodian: string;
  collectedAt: string;
}

/** True when a YYYY-MM-DD (or timestamp, by its date) lies within the inclusive range; open ends are unbounded. */
export function dateInRange(date: string, from: string | null, to: string | null): boolean {
  const d = date.slice(0, 10);
  return (!from || d >= from) && (!to || d <= to);
}

function keywordIn(keywords: readonly string[], haystack: string): string | null {
  const text = haystack.toLowerCase();
  return keywords.find((k) => text.includes(k.toLowerCase())) ?? null;
}

/** Why the scope covers a record, or null when it does not. */
export function recordInScope(scope: ScopeData, r: ScopeRecord): string | null {
  const { subjectIds, categories, keywords } = scope;
  if (subjectIds.length === 0 && categories.length === 0 && keywords.length === 0) return null;
  const why: string[] = [];
  if (subjectIds.length > 0) {
    if (!subjectIds.includes(r.subjectId)) return null;
    why.push(`subject ${r.subjectId}`);
  }
  if (categories.length > 0) {
    if (!categories.includes(r.category)) return null;
    why.push(`category ${r.category}`);
  }
  if (keywords.length > 0) {
    const k = keywordIn(keywords, `${r.title}\n${r.content ?? ''}`);
    if (!k) return null;
    why.push(`keyword "${k}"`);
  }
  if (scope.dateFrom || scope.dateTo) {
    if (!dateInRange(r.recordDate, scope.dateFrom, scope.dateTo)) return null;
    why.push('date range');
  }
  return `scope: ${why.join(', ')}`;
}

/** Why the scope covers an evidence item, or null when it does not. */
export function evidenceInScope(scope: ScopeData, e: ScopeEvidence): string | null {
  const { custodians, keywords } = scope;
  if (custodians.length === 0 && keywords.length === 0) return null;
  const why: string[] = [];
  if (custodians.length > 0) {
    const where = `${e.source}\n${e.collectedBy}\n${e.custodian}`.toLowerCase();
    const c = custodians.find(
      (x) => (x.name.trim().length > 0 && where.includes(x.name.trim().toLowerCase())) || (x.email.length > 0 && where.includes(x.email.toLowerCase())),
    );
    if (!c) return null;
    why.push(`custodian ${c.name}`);
  }
  if (keywords.length > 0) {
    const k = keywordIn(keywords, `${e.title}\n${e.description}\n${e.originalName}\n${e.source}`);
    if (!k) return null;
    why.push(`keyword "${k}"`);
  }
  if (scope.dateFrom || scope.dateTo) {
    if (!dateInRange(e.collectedAt, scope.dateFrom, scope.dateTo)) return null;
    why.push('date range');
  }
  return `scope: ${why.join(', ')}`;
}
