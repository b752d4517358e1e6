import type { alertChannels } from '../../../shared/contract/alerts.js';
import { acknowledgeAlert, alertDetail, alertsPerDay, escalateAlert, listAlerts, riskScores } from '../alerts/alerts.js';
import { now as clockNow } from '../clock.js';
import type { Handlers } from '../dispatch.js';

type AlertHandlers = Pick<Handlers, keyof typeof alertChannels>;

export const alertHandlers: AlertHandlers = {
  'alerts.list': (req, { ws }) => listAlerts(ws, req),
  'alerts.get': (req, { ws }) => alertDetail(ws, req.id),
  'alerts.acknowledge': (req, { ws, op }) => ({ alert: acknowledgeAlert(ws, op, req) }),
  'alerts.escalate': (req, { ws, op }) => escalateAlert(ws, op, req),
  'alerts.risk': (_req, { ws }) => riskScores(ws, clockNow()),
  'alerts.perDay': (req, { ws }) => alertsPerDay(ws, req.days, clockNow()),
};
