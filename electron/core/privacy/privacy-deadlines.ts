import { PRIVACY_REGIME_LABELS, PRIVACY_RIGHT_LABELS } from '../../../shared/contract/privacy.js';
import type { Workspace } from '../workspace.js';
import { pendingPrivacyRequestRows } from './privacy-store.js';

/** The pending privacy-rights requests as items of the due list (deadline kind privacy_request). */
export function privacyRequestDeadlines(ws: Workspace): {
  kind: 'privacy_request';
  refType: string;
  refId: string;
  subjectId: string;
  state: string;
  title: string;
  dueAt: string;
}[] {
  return pendingPrivacyRequestRows(ws.db).map((r) => ({
    kind: 'privacy_request' as const,
    refType: 'privacy_request',
    refId: r.id,
    subjectId: r.subject_id,
    state: r.state,
    title: `Answer ${r.subject_name}'s ${PRIVACY_REGIME_LABELS[r.regime]} ${PRIVACY_RIGHT_LABELS[r.right].toLowerCase()} request (${r.id})${r.state === 'extended' ? ', extended' : ''}`,
    dueAt: r.due_at,
  }));
}
