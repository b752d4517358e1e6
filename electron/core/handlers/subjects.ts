import type { HoldRef } from '../../../shared/contract/holds.js';
import type { subjectsChannels } from '../../../shared/contract/subjects.js';
import type { Handlers } from '../dispatch.js';
import { activeHoldsFor } from '../holds/active-holds.js';
import { purgeExpired } from '../subjects/purge.js';
import { createRecord, eraseRecord, listRecords, updateRecord, viewRecord } from '../subjects/records.js';
import { retentionPolicies } from '../retention/policies.js';
import { createSubject, getSubjectById, listSubjects, setDependency, setDirectoryOptOut, updateSubject } from '../subjects/subjects.js';

type SubjectHandlers = Pick<Handlers, keyof typeof subjectsChannels>;

export const subjectHandlers: SubjectHandlers = {
  'subjects.create': (req, { ws, op }) => ({ subject: createSubject(ws, op, req) }),
  'subjects.update': (req, { ws, op }) => ({ subject: updateSubject(ws, op, req) }),
  'subjects.setDirectoryOptOut': (req, { ws, op }) => ({ subject: setDirectoryOptOut(ws, op, req.id, req.optOut) }),
  'subjects.setDependency': (req, { ws, op }) => ({ subject: setDependency(ws, op, req) }),
  'subjects.list': (req, { ws }) => listSubjects(ws, req),
  'subjects.get': (req, { ws }) => {
    const subject = getSubjectById(ws, req.id);
    const records = listRecords(ws, { subjectId: req.id, includeArchived: true, sort: 'record_date', dir: 'desc', offset: 0, limit: 10_000 }).items;
    const recordHolds: Record<string, HoldRef[]> = {};
    for (const r of records) {
      if (r.status !== 'active') continue;
      const holds = activeHoldsFor(ws, 'record', r.id);
      if (holds.length > 0) recordHolds[r.id] = holds;
    }
    return { subject, records, holds: activeHoldsFor(ws, 'subject', req.id), recordHolds };
  },
  'records.categories': (_req, { ws }) => ({
    categories: retentionPolicies(ws).map((p) => ({ key: p.category, label: p.label, period: p.period, action: p.action, erasable: p.erasable, source: p.source })),
  }),
  'records.create': (req, { ws, op }) => ({ record: createRecord(ws, op, req) }),
  'records.get': (req, { ws, op }) => ({ ...viewRecord(ws, op, req.id, req.purpose), holds: activeHoldsFor(ws, 'record', req.id) }),
  'records.list': (req, { ws }) => listRecords(ws, req),
  'records.update': (req, { ws, op }) => ({ record: updateRecord(ws, op, req) }),
  'records.erase': (req, { ws, op }) => ({ record: eraseRecord(ws, op, req.id, req.reason) }),
  'records.purgeExpired': (req, { ws, op }) => purgeExpired(ws, op, req.ids),
};
