import type { casesChannels } from '../../../shared/contract/cases.js';
import { setCaseStatus } from '../cases/case-status.js';
import { assignCase, createCase, getCase, listCases, updateCase } from '../cases/cases.js';
import { linkItem, listLinks, unlinkItem } from '../cases/links.js';
import { addNote, listNotes } from '../cases/notes.js';
import { caseTimeline } from '../cases/timeline.js';
import type { Handlers } from '../dispatch.js';
import { holdSummariesOfCase } from '../holds/holds-store.js';

type CaseHandlers = Pick<Handlers, keyof typeof casesChannels>;

export const caseHandlers: CaseHandlers = {
  'cases.create': (req, { ws, op }) => ({ case: createCase(ws, op, req) }),
  'cases.update': (req, { ws, op }) => ({ case: updateCase(ws, op, req) }),
  'cases.assign': (req, { ws, op }) => ({ case: assignCase(ws, op, req.id, req.assignee) }),
  'cases.setStatus': (req, { ws, op }) => ({ case: setCaseStatus(ws, op, req.id, req.status, req.reason) }),
  'cases.addNote': (req, { ws, op }) => ({ note: addNote(ws, op, req.id, req.body) }),
  'cases.link': (req, { ws, op }) => ({ case: linkItem(ws, op, req.id, req.itemType, req.itemId) }),
  'cases.unlink': (req, { ws, op }) => ({ case: unlinkItem(ws, op, req.id, req.itemType, req.itemId) }),
  'cases.list': (req, { ws }) => listCases(ws, req),
  'cases.get': (req, { ws }) => {
    const c = getCase(ws, req.id);
    const holds = holdSummariesOfCase(ws.db, req.id);
    return { case: c, notes: listNotes(ws, req.id), links: listLinks(ws, req.id), holds };
  },
  'cases.timeline': (req, { ws, app }) => caseTimeline(ws, req.id, app.wiring.caseResources, req.offset, req.limit),
};
