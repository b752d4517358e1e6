import type { ComplianceStatus } from '../../../../shared/contract/compliance.js';
import { Badge } from '../../components/badge.js';
import { STATUS_LABELS, STATUS_TONES } from './compliance-ui.js';

/** A requirement's status as a badge; not applicable is muted, as it counts in no percentage. */
export function StatusBadge({ status }: { status: ComplianceStatus }) {
  if (status === 'not_applicable') return <span className="badge comp-badge--muted">{STATUS_LABELS[status]}</span>;
  return <Badge tone={STATUS_TONES[status]}>{STATUS_LABELS[status]}</Badge>;
}
