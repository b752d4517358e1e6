import type { complianceChannels } from '../../../shared/contract/compliance.js';
import { now as clockNow } from '../clock.js';
import {
  assessRequirement,
  assignRequirement,
  frameworkHistory,
  getRequirement,
  listFrameworks,
  listRequirements,
  requirementResource,
  setFrameworkEnabled,
} from '../compliance/programs.js';
import { about } from '../errors.js';
import type { Handlers } from '../dispatch.js';

type ComplianceHandlers = Pick<Handlers, keyof typeof complianceChannels>;

export const complianceHandlers: ComplianceHandlers = {
  'frameworks.list': (req, { ws }) => listFrameworks(ws, req, clockNow()),
  'frameworks.setEnabled': (req, { ws, op }) => ({ framework: setFrameworkEnabled(ws, op, req.id, req.enabled) }),
  'frameworks.history': (req, { ws }) => frameworkHistory(ws, req.id, req.days, clockNow()),
  'requirements.list': (req, { ws }) => listRequirements(ws, req, clockNow()),
  'requirements.get': (req, { ws }) => getRequirement(ws, req.frameworkId, req.requirementId, clockNow()),
  // A refusal is recorded under the requirement it was about ("<framework> <requirement>", as its link names it).
  'requirements.assess': (req, { ws, op }) => about(requirementResource(req), () => assessRequirement(ws, op, req)),
  'requirements.assign': (req, { ws, op }) => about(requirementResource(req), () => ({ requirement: assignRequirement(ws, op, req) })),
};
