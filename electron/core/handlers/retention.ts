import type { retentionChannels } from '../../../shared/contract/retention.js';
import { now as clockNow } from '../clock.js';
import type { Handlers } from '../dispatch.js';
import { auditLogPolicy, decideAuditLogPolicy, planLedgerPrune, setAuditLogPolicy } from '../retention/ledger-prune.js';
import { retentionPolicies, setRetentionPolicy } from '../retention/policies.js';
import { lastSweep, nextSweepAt } from '../retention/schedule.js';
import { planSweep, runSweep } from '../retention/sweep.js';

type RetentionHandlers = Pick<Handlers, keyof typeof retentionChannels>;

export const retentionHandlers: RetentionHandlers = {
  'retention.policies': (_req, { ws }) => ({
    policies: retentionPolicies(ws),
    lastSweep: lastSweep(ws),
    nextSweepAt: nextSweepAt(ws, clockNow()).toISOString(),
    auditLog: auditLogPolicy(ws),
  }),
  'retention.setPolicy': (req, { ws, op }) => setRetentionPolicy(ws, op, req),
  'retention.preview': (req, { ws }) => {
    const at = clockNow();
    return { ...planSweep(ws, at, req.limit), ledger: planLedgerPrune(ws, at) };
  },
  'retention.sweep': (req, { ws, op }) => runSweep(ws, op, req.via === 'cli' ? 'cli' : 'manual'),
  'retention.setAuditLogPolicy': (req, { ws, op }) => ({ policy: setAuditLogPolicy(ws, op, req) }),
  'retention.decideAuditLogPolicy': (req, { ws, op }) => ({ policy: decideAuditLogPolicy(ws, op, req) }),
};
