import { evaluateAlerts } from '../../../electron/core/alerts/evaluate.js';
import type { MutatingSample, SampleContext } from './mutating-samples.js';

// Samples of the alert channels for test/unit/mutating-channels.test.ts.

/** An open alert: a burst of failed sign-ins (one short of twice the threshold, so one window crosses it), then the rules run. */
async function openAlert(ctx: SampleContext): Promise<string> {
  for (let i = 0; i < 9; i++) await ctx.t.result('session.login', { username: 'admin', passphrase: `wrong ${ctx.unique()}` });
  evaluateAlerts(ctx.t.app.ws);
  const list = await ctx.call<{ items: { id: string; status: string }[] }>('alerts.list', { status: 'open' });
  const id = list.items[0]?.id;
  if (!id) throw new Error('The failed sign-ins fired no alert.');
  return id;
}

export const alertSamples: Record<string, MutatingSample> = {
  'alerts.acknowledge': { as: 'compliance_officer', request: async (ctx) => ({ id: await openAlert(ctx), note: 'Admin mistyped after the keyboard layout changed.' }) },
  // The alert is about the administrator: someone else handles it.
  'alerts.escalate': { as: 'compliance_officer', request: async (ctx) => ({ id: await openAlert(ctx), note: 'Guessing from an unknown terminal.', severity: 'high' }) },
};
