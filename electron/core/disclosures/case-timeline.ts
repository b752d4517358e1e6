import type { Workspace } from '../workspace.js';

/**
 * FERPA work filed under a case (its `case_id`) belongs on that case's timeline: amendment
 * requests, subpoenas with their productions, disclosures and access requests.
 */
export function ferpaItemsOfCase(ws: Workspace, caseId: string): { resourceType: string; ids: string[] }[] {
  const ids = (sql: string) => (ws.db.prepare(sql).all(caseId) as { id: string }[]).map((r) => r.id);
  return [
    { resourceType: 'amendment', ids: ids('SELECT id FROM amendment_requests WHERE case_id = ?') },
    { resourceType: 'subpoena', ids: ids('SELECT id FROM subpoenas WHERE case_id = ?') },
    { resourceType: 'production', ids: ids('SELECT p.id FROM productions p JOIN subpoenas s ON s.id = p.subpoena_id WHERE s.case_id = ?') },
    { resourceType: 'disclosure', ids: ids('SELECT id FROM disclosures WHERE case_id = ?') },
    { resourceType: 'access_request', ids: ids('SELECT id FROM access_requests WHERE case_id = ?') },
  ];
}
