import type { incidentChannels } from '../../../shared/contract/incidents.js';
import { now as clockNow } from '../clock.js';
import type { Handlers } from '../dispatch.js';
import { writeIncidentReport } from '../incidents/incident-report.js';
import {
  addAction,
  completeTask,
  counselReview,
  createIncident,
  incidentDetail,
  linkIncident,
  listIncidents,
  recordNotification,
  updateIncident,
} from '../incidents/incidents.js';

type IncidentHandlers = Pick<Handlers, keyof typeof incidentChannels>;

export const incidentHandlers: IncidentHandlers = {
  'incidents.list': (req, { ws }) => listIncidents(ws, req, clockNow()),
  'incidents.get': (req, { ws }) => incidentDetail(ws, req.id, clockNow()),
  'incidents.create': (req, { ws, op }) => ({ incident: createIncident(ws, op, req) }),
  'incidents.update': (req, { ws, op }) => ({ incident: updateIncident(ws, op, req) }),
  'incidents.completeTask': (req, { ws, op }) => completeTask(ws, op, req),
  'incidents.recordNotification': (req, { ws, op }) => ({ notification: recordNotification(ws, op, req) }),
  'incidents.addAction': (req, { ws, op }) => ({ action: addAction(ws, op, req) }),
  'incidents.link': (req, { ws, op }) => ({ link: linkIncident(ws, op, req) }),
  'incidents.counselReview': (req, { ws, op }) => ({ incident: counselReview(ws, op, req) }),
  'incidents.report': async (req, { ws, op }) => {
    const { fileName, bytes, sha256, checkpoint } = await writeIncidentReport(ws, op, req.id);
    return { fileName, bytes, sha256, checkpoint };
  },
};
