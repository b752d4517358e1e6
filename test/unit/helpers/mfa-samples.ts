import type { ResponseOf } from '../../../shared/contract.js';
import type { Role } from '../../../shared/roles.js';
import { base32Decode, totp } from '../../../electron/core/mfa/totp.js';
import type { MutatingSample, SampleContext } from './mutating-samples.js';
import { PASSPHRASE } from './workspace.js';

/** The sample user of `role` with a second factor freshly on (reset first if it was); returns its secret. */
async function enrolled(ctx: SampleContext, role: Role): Promise<{ username: string; secret: string }> {
  const { user } = await ctx.call<ResponseOf<'session.me'>>('session.me', {}, role);
  const status = await ctx.call<ResponseOf<'mfa.status'>>('mfa.status', {}, role);
  if (status.state === 'on') await ctx.call('mfa.reset', { username: user.username });
  const { secret } = await ctx.call<ResponseOf<'mfa.enroll'>>('mfa.enroll', {}, role);
  await ctx.call('mfa.confirm', { otp: totp(base32Decode(secret), new Date()) }, role);
  return { username: user.username, secret };
}

/** The next step's code (inside the ±1 window): the confirming code's step is used up. */
const nextCode = (secret: string) => totp(base32Decode(secret), new Date(Date.now() + 30_000));

/** Samples of the second-factor and session channels. */
export const mfaSamples: Record<string, MutatingSample> = {
  'mfa.enroll': { as: 'auditor', request: () => ({}) },
  'mfa.confirm': {
    as: 'legal_counsel',
    request: async (ctx) => {
      const { secret } = await ctx.call<ResponseOf<'mfa.enroll'>>('mfa.enroll', {}, 'legal_counsel');
      return { otp: totp(base32Decode(secret), new Date()) };
    },
  },
  'mfa.disable': {
    as: 'viewer',
    request: async (ctx) => ({ otp: nextCode((await enrolled(ctx, 'viewer')).secret) }),
  },
  'mfa.reset': {
    request: async (ctx) => ({ username: (await enrolled(ctx, 'compliance_officer')).username }),
  },
  'mfa.setPolicy': {
    request: async (ctx) => {
      const { roles } = await ctx.call<ResponseOf<'mfa.policy'>>('mfa.policy', {});
      return { role: 'viewer', required: !roles.find((r) => r.role === 'viewer')!.required };
    },
  },
  'sessions.revoke': {
    // A session of its own, so no other sample loses the one it signed in with.
    request: async (ctx) => {
      const username = `revoked.${ctx.unique()}`;
      await ctx.call('users.create', { username, displayName: 'Rae Revoked', role: 'viewer', passphrase: PASSPHRASE });
      await ctx.t.login(username);
      const { items } = await ctx.call<ResponseOf<'sessions.list'>>('sessions.list', { search: username });
      return { id: items[0]!.id };
    },
  },
};
