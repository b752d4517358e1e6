import { now as clockNow } from '../clock.js';
import type { Op } from '../domain/op.js';
import { latestSlot, lastSweep } from '../retention/schedule.js';
import { workspaceTimeZone } from '../time-zone.js';
import { runSweep } from '../retention/sweep.js';
import { createRecord } from '../subjects/records.js';
import type { Workspace } from '../workspace.js';
import type { DemoSeeder } from './seed-demo.js';
import { studentIds } from './demo-store.js';

/** Records that have run out since the demo's last sweep: two archived by policy, two deleted. */
const EXPIRED = [
  { category: 'compliance_audit', title: 'Annual FERPA access-log audit worksheet', date: '2017-09-30', content: 'Sample of 40 record views reviewed; 0 without a purpose.' },
  { category: 'academic_progress', title: 'Degree progress review', date: '2018-05-15', content: 'On track; 42 of 60 credits completed.' },
  { category: 'communications', title: 'Enrollment inquiry e-mail', date: '2023-03-02', content: 'Question about the spring payment plan; answered the same day.' },
  { category: 'assessment', title: 'Proctoring log, TAX 201 final', date: '2016-12-12', content: 'Check-in 08:55, photo ID verified, no incidents.' },
];

/**
 * Retention in the demo: the daily sweep ran at 02:00 last night as the system (it archived or
 * deleted what had run out and skipped the records under the subpoena hold), and since then more
 * records have run out — some of the held student's among them — so `custos sweep --dry-run` and the
 * Retention screen have candidates and held skips to show.
 */
export const seedRetentionDemo: DemoSeeder = (ws: Workspace, ctx) => {
  const start = ws.ledger.head().size;
  if (lastSweep(ws)) return 0;
  const officer = ctx.users.find((u) => u.role === 'compliance_officer')?.username ?? ctx.admin;
  // The slot is real time (the demo's history ends at the present), so opening the demo today finds no missed run.
  const slot = latestSlot(new Date(Date.now()), workspaceTimeZone(ws).timeZone);
  const at = new Date(Math.max(clockNow().getTime(), slot.getTime()));
  runSweep(ws, { actor: 'system', at }, 'schedule');
  const students = studentIds(ws.db, 5).map((id) => ({ id }));
  // Filed between that sweep and the present (never after it: a demo made just after 02:00 has
  // minutes, not hours, to spread them over).
  const made = students.reduce((n, _, i) => n + EXPIRED.filter((_, j) => (i + j) % 3 !== 2).length, 0);
  const step = Math.max(1, Math.min(60_000, (Date.now() - at.getTime()) / (made + 1)));
  let k = 0;
  students.forEach((s, i) => {
    for (const r of EXPIRED.filter((_, j) => (i + j) % 3 !== 2)) {
      const op: Op = { actor: officer, at: new Date(at.getTime() + step * ++k) };
      createRecord(ws, op, { subjectId: s.id, category: r.category, title: r.title, content: r.content, source: 'Student information system', recordDate: r.date });
    }
  });
  return ws.ledger.head().size - start;
};
