import type { workflowChannels } from '../../../shared/contract/workflows.js';
import { now as clockNow } from '../clock.js';
import type { Handlers } from '../dispatch.js';
import {
  advanceWorkflow,
  assignWorkflow,
  cancelWorkflow,
  getWorkflow,
  listTemplates,
  listWorkflows,
  scheduleTemplate,
  startWorkflow,
} from '../workflows/workflows.js';

type WorkflowHandlers = Pick<Handlers, keyof typeof workflowChannels>;

export const workflowHandlers: WorkflowHandlers = {
  'workflows.templates': (_req, { ws }) => ({ templates: listTemplates(ws) }),
  'workflows.list': (req, { ws }) => listWorkflows(ws, req, clockNow()),
  'workflows.get': (req, { ws }) => getWorkflow(ws, req.id, clockNow()),
  'workflows.start': (req, { ws, op }) => ({ workflow: startWorkflow(ws, op, req) }),
  'workflows.advance': (req, { ws, op }) => ({ workflow: advanceWorkflow(ws, op, req) }),
  'workflows.cancel': (req, { ws, op }) => ({ workflow: cancelWorkflow(ws, op, req) }),
  'workflows.assign': (req, { ws, op }) => ({ workflow: assignWorkflow(ws, op, req) }),
  'workflows.schedule': (req, { ws, op }) => scheduleTemplate(ws, op, req),
};
