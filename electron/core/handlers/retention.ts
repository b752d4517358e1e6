import type { retentionChannels } from '../../../shared/contract/retention.js';
import { now as clockNow } from '../clock.js';
import type { Handlers } from '../dispatch.js';
import { retentionPolicies, setRetentionPolicy } from '../retention/policies.js';
import { lastSweep, nextSweepAt } from '../retention/schedule.js';
import { planSweep, runSweep } from '../retention/sweep.js';

type RetentionHandlers = Pick<Handlers, keyof typeof retentionChannels>;

export const retentionHandlers: RetentionHandlers = {
  'retention.policies': (_req, { ws }) => ({ policies: retentionPolicies(ws), lastSweep: lastSweep(ws), nextSweepAt: nextSweepAt(ws, clockNow()).toISOString() }),
  'retention.setPolicy': (req, { ws, op }) => setRetentionPolicy(ws, op, req),
  'retention.preview': (req, { ws }) => planSweep(ws, clockNow(), req.limit),
  'retention.sweep': (req, { ws, op }) => runSweep(ws, op, req.via === 'cli' ? 'cli' : 'manual'),
};
