import { evaluateAlerts } from '../../../electron/core/alerts/evaluate.js';
import type { MutatingSample, SampleContext } from './mutating-samples.js';

// Samples of the alert channels for test/unit/mutating-channels.test.ts.

/**
 * An open alert: a burst of failed sign-ins (one short of twice the threshold, so one window crosses
 * it) as a user of its own, so a second call in the same workspace and window fires a new alert
 * (one alert per user and window), then the rules run.
 */
async function openAlert(ctx: SampleContext): Promise<string> {
  const username = `burst.${ctx.unique()}`.toLowerCase();
  await ctx.t.addUser(username, 'viewer');
  for (let i = 0; i < 9; i++) await ctx.t.result('session.login', { username, passphrase: `wrong ${ctx.unique()}` });
  evaluateAlerts(ctx.t.app.ws);
  const list = await ctx.call<{ items: { id: string; status: string }[] }>('alerts.list', { status: 'open' });
  const id = list.items[0]?.id;
  if (!id) throw new Error('The failed sign-ins fired no alert.');
  return id;
}

export const alertSamples: Record<string, MutatingSample> = {
  'alerts.acknowledge': { as: 'compliance_officer', request: async (ctx) => ({ id: await openAlert(ctx), note: 'Admin mistyped after the keyboard layout changed.' }) },
  // The alert is about another user: the officer handles it.
  'alerts.escalate': { as: 'compliance_officer', request: async (ctx) => ({ id: await openAlert(ctx), note: 'Guessing from an unknown terminal.', severity: 'high' }) },
};
