import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../shared/contract.js';
import { withSimulatedClock } from '../../electron/core/clock.js';
import { DEMO_MFA_USER } from '../../electron/core/demo/mfa.js';
import { seedDemo } from '../../electron/core/demo/seed-demo.js';
import { base32Decode, base32Encode, hotp, matchStep, timeStep, totp } from '../../electron/core/mfa/totp.js';
import { rawRequest } from './helpers/http.js';
import { CallError, createTempWorkspace, PASSPHRASE, removeTempDirs, tempDir, type TempWorkspace } from './helpers/workspace.js';

// Issue 13 items 1 and 2: a TOTP second factor (RFC 6238) with backup codes and a per-role policy,
// and the administrator's list of active sessions with revocation.

afterAll(removeTempDirs);

const RFC_SECRET = Buffer.from('12345678901234567890', 'ascii');

/** The code an authenticator app shows for a base32 secret, `stepsAhead` steps from now. */
function codeFor(secret: string, stepsAhead = 0): string {
  return totp(base32Decode(secret), new Date(Date.now() + stepsAhead * 30_000));
}

describe('TOTP against the published vectors', () => {
  it('RFC 4648 base32 test vectors (unpadded) round-trip', () => {
    const vectors: [string, string][] = [['', ''], ['f', 'MY'], ['fo', 'MZXQ'], ['foo', 'MZXW6'], ['foob', 'MZXW6YQ'], ['fooba', 'MZXW6YTB'], ['foobar', 'MZXW6YTBOI']];
    for (const [plain, encoded] of vectors) {
      expect(base32Encode(Buffer.from(plain))).toBe(encoded);
      expect(base32Decode(encoded).toString()).toBe(plain);
      expect(base32Decode(`${encoded.toLowerCase()}====`).toString()).toBe(plain);
    }
    expect(() => base32Decode('MZ1W')).toThrow();
  });

  it('RFC 4226 Appendix D: HOTP values of counters 0–9', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expect(expected.map((_, i) => hotp(RFC_SECRET, i))).toEqual(expected);
  });

  it('RFC 6238 Appendix B (SHA-1): 8-digit codes, and the same truncated to 6 digits', () => {
    const table: [number, string, string][] = [
      [59, '0000000000000001', '94287082'],
      [1111111109, '00000000023523EC', '07081804'],
      [1111111111, '00000000023523ED', '14050471'],
      [1234567890, '000000000273EF07', '89005924'],
      [2000000000, '0000000003F940AA', '69279037'],
      [20000000000, '0000000027BC86AA', '65353130'],
    ];
    for (const [seconds, stepHex, code] of table) {
      const at = new Date(seconds * 1000);
      expect(timeStep(at)).toBe(Number.parseInt(stepHex, 16));
      expect(totp(RFC_SECRET, at, { digits: 8 })).toBe(code);
      expect(totp(RFC_SECRET, at)).toBe(code.slice(2));
    }
  });

  it('accepts one step either side, and never a step at or before the last one used', () => {
    const at = new Date(1111111111 * 1000);
    const step = timeStep(at);
    for (const d of [-1, 0, 1]) expect(matchStep(RFC_SECRET, hotp(RFC_SECRET, step + d), at, { window: 1, after: null })).toBe(step + d);
    expect(matchStep(RFC_SECRET, hotp(RFC_SECRET, step + 2), at, { window: 1, after: null })).toBeNull();
    expect(matchStep(RFC_SECRET, hotp(RFC_SECRET, step), at, { window: 1, after: step })).toBeNull();
    expect(matchStep(RFC_SECRET, hotp(RFC_SECRET, step + 1), at, { window: 1, after: step })).toBe(step + 1);
  });
});

describe('second factor through the dispatch', () => {
  let t: TempWorkspace;
  beforeAll(async () => {
    t = await createTempWorkspace();
  });
  afterAll(() => t.app.shutdown());

  async function enrolled(username: string, role: 'viewer' | 'compliance_officer' = 'viewer') {
    const session = await t.addUser(username, role);
    const enrol = await t.call<ResponseOf<'mfa.enroll'>>('mfa.enroll', {}, session);
    await t.call('mfa.confirm', { otp: codeFor(enrol.secret) }, session);
    return { session, ...enrol };
  }

  it('enrols: a base32 secret, its otpauth URI and ten distinct backup codes; a code turns it on', async () => {
    const s = await t.addUser('ines.enrol', 'viewer');
    expect(await t.call<ResponseOf<'mfa.status'>>('mfa.status', {}, s)).toMatchObject({ state: 'off', required: false, restricted: false });
    const e = await t.call<ResponseOf<'mfa.enroll'>>('mfa.enroll', {}, s);
    expect(e.secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(e.otpauthUri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Custos:ines.enrol@Test workspace');
    expect(Object.fromEntries(uri.searchParams)).toEqual({ secret: e.secret, issuer: 'Custos', algorithm: 'SHA1', digits: '6', period: '30' });
    expect(new Set(e.backupCodes).size).toBe(10);
    expect(await t.call<ResponseOf<'mfa.status'>>('mfa.status', {}, s)).toMatchObject({ state: 'pending' });
    const wrong = await t.result('mfa.confirm', { otp: codeFor(e.secret, 5) }, s);
    expect(wrong).toMatchObject({ ok: false, error: { code: 'wrong_credentials' } });
    const on = await t.call<ResponseOf<'mfa.confirm'>>('mfa.confirm', { otp: codeFor(e.secret) }, s);
    expect(on).toMatchObject({ state: 'on', backupCodesLeft: 10 });
    expect(t.lastEvent('mfa.confirm')).toMatchObject({ actor: 'ines.enrol', outcome: 'success', details: { backup_codes: 10 } });
    // Re-enrolling over an active factor is refused: it must be turned off with a code first.
    expect(await t.result('mfa.enroll', {}, s)).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('asks for the code after the right passphrase only, signs in with it, and refuses it the second time', async () => {
    const u = await enrolled('otto.otp');
    const before = t.eventCount();
    expect(await t.result('session.login', { username: 'otto.otp', passphrase: 'not the passphrase at all' })).toMatchObject({ ok: false, error: { code: 'wrong_credentials' } });
    expect(await t.result('session.login', { username: 'otto.otp', passphrase: PASSPHRASE })).toMatchObject({ ok: false, error: { code: 'mfa_required' } });
    expect(t.eventsAfter(before).map((e) => [e.action, e.outcome, e.details.reason])).toEqual([
      ['session.login', 'failure', 'wrong-passphrase'],
      ['session.login', 'failure', 'mfa-required'],
    ]);
    const otp = codeFor(u.secret, 1);
    const ok = await t.call<ResponseOf<'session.login'>>('session.login', { username: 'otto.otp', passphrase: PASSPHRASE, otp });
    expect(ok.user.username).toBe('otto.otp');
    expect(t.lastEvent('session.login')).toMatchObject({ outcome: 'success', details: { role: 'viewer', second_factor: 'totp' } });
    expect(await t.result('session.login', { username: 'otto.otp', passphrase: PASSPHRASE, otp })).toMatchObject({ ok: false, error: { code: 'wrong_credentials' } });
    expect(t.lastEvent('session.login')).toMatchObject({ outcome: 'failure', details: { reason: 'wrong-otp' } });
  });

  it('takes each backup code once, ledgering how many are left', async () => {
    const u = await enrolled('bea.backup');
    const code = u.backupCodes[3]!;
    // Case, spaces and dashes do not matter on paper.
    const typed = ` ${code.toUpperCase().replace('-', ' ')} `;
    const ok = await t.call<ResponseOf<'session.login'>>('session.login', { username: 'bea.backup', passphrase: PASSPHRASE, otp: typed });
    expect(ok.user.username).toBe('bea.backup');
    expect(t.lastEvent('mfa.backupCodeUsed')).toMatchObject({ actor: 'bea.backup', details: { remaining: 9, purpose: 'sign-in' } });
    expect(t.lastEvent('session.login')).toMatchObject({ outcome: 'success', details: { second_factor: 'backup-code' } });
    expect(await t.result('session.login', { username: 'bea.backup', passphrase: PASSPHRASE, otp: code })).toMatchObject({ ok: false, error: { code: 'wrong_credentials' } });
    expect(await t.call<ResponseOf<'mfa.status'>>('mfa.status', {}, ok.session)).toMatchObject({ backupCodesLeft: 9 });
  });

  it('counts wrong codes towards the lockout: after five, even the right code is refused', async () => {
    const u = await enrolled('lena.lockout');
    for (let i = 0; i < 5; i++) {
      expect(await t.result('session.login', { username: 'lena.lockout', passphrase: PASSPHRASE, otp: '000000' === codeFor(u.secret) ? '111111' : '000000' })).toMatchObject({
        ok: false,
        error: { code: 'wrong_credentials' },
      });
    }
    expect(t.lastEvent('session.login')).toMatchObject({ outcome: 'failure', details: { reason: 'wrong-otp-lockout' } });
    expect(await t.result('session.login', { username: 'lena.lockout', passphrase: PASSPHRASE, otp: codeFor(u.secret, 1) })).toMatchObject({
      ok: false,
      error: { code: 'rate_limited' },
    });
  });

  it('turns off with a code (a wrong one changes nothing), and an administrator can reset it', async () => {
    const u = await enrolled('dora.disable');
    const wrong = await t.result('mfa.disable', { otp: '12345x' }, u.session);
    expect(wrong).toMatchObject({ ok: false, error: { code: 'wrong_credentials' } });
    expect(t.lastEvent('mfa.disable')).toMatchObject({ outcome: 'failure', details: { reason: 'wrong-otp' } });
    expect(await t.call<ResponseOf<'mfa.disable'>>('mfa.disable', { otp: codeFor(u.secret, 1) }, u.session)).toMatchObject({ state: 'off' });
    expect(t.lastEvent('mfa.disable')).toMatchObject({ outcome: 'success', details: { method: 'totp' } });
    expect((await t.call<ResponseOf<'session.login'>>('session.login', { username: 'dora.disable', passphrase: PASSPHRASE })).user.username).toBe('dora.disable');

    // A role the workspace requires a second factor of cannot turn it off, even with a right code:
    // one refusal recorded, the factor stays on, the code is not used up.
    const kept = await enrolled('kim.kept', 'compliance_officer');
    const before = t.eventCount();
    const refused = await t.result('mfa.disable', { otp: codeFor(kept.secret, 1) }, kept.session);
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    if (!refused.ok) expect(refused.error.message).toMatch(/requires a second factor of every compliance officer, so yours cannot be turned off/);
    expect(t.events().slice(before).map((e) => [e.action, e.outcome])).toEqual([['mfa.disable', 'denied']]);
    expect(await t.call<ResponseOf<'mfa.status'>>('mfa.status', {}, kept.session)).toMatchObject({ state: 'on' });

    const r = await enrolled('rex.reset');
    expect(await t.result('mfa.reset', { username: 'rex.reset' }, r.session)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await t.call('mfa.reset', { username: 'rex.reset' }, t.admin);
    expect(t.lastEvent('mfa.reset')).toMatchObject({ actor: 'admin', resource_id: 'rex.reset', details: { user: 'rex.reset' } });
    expect(await t.result('mfa.reset', { username: 'rex.reset' }, t.admin)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await t.result('mfa.reset', { username: 'nobody.here' }, t.admin)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('keeps secrets and codes out of the ledger', async () => {
    const u = await enrolled('sid.secret');
    await t.call('session.login', { username: 'sid.secret', passphrase: PASSPHRASE, otp: u.backupCodes[0] });
    const ledger = JSON.stringify(t.events());
    expect(ledger).not.toContain(u.secret);
    for (const c of u.backupCodes) expect(ledger).not.toContain(c);
    // The secret is in the encrypted database; backup codes only as salted hashes.
    const stored = t.app.ws.db.prepare("SELECT hash FROM mfa_backup_codes WHERE username = 'sid.secret'").all() as { hash: Buffer }[];
    expect(stored).toHaveLength(10);
    for (const c of u.backupCodes) expect(stored.some((s) => s.hash.toString('utf8').includes(c))).toBe(false);
  });
});

describe('the per-role policy', () => {
  it('requires admins and compliance officers by default; an administrator changes it, ledgered', async () => {
    const t = await createTempWorkspace();
    const policy = await t.call<ResponseOf<'mfa.policy'>>('mfa.policy', {}, t.admin);
    expect(policy.roles.filter((r) => r.required).map((r) => r.role)).toEqual(['admin', 'compliance_officer']);
    expect(policy.roles.find((r) => r.role === 'admin')).toMatchObject({ users: 1, enrolled: 0, isDefault: true });
    const officer = await t.addUser('olga.officer', 'compliance_officer');
    expect(await t.result('mfa.setPolicy', { role: 'viewer', required: true }, officer)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const changed = await t.call<ResponseOf<'mfa.setPolicy'>>('mfa.setPolicy', { role: 'viewer', required: true }, t.admin);
    expect(changed.roles.find((r) => r.role === 'viewer')).toMatchObject({ required: true, isDefault: false, changedBy: 'admin' });
    expect(t.lastEvent('mfa.setPolicy')).toMatchObject({ resource_id: 'viewer', details: { role: 'viewer', from: false, to: true } });
    t.app.shutdown();
  });

  it('lets a required user work through the grace, then only enrol until the second factor is on', async () => {
    const t = await createTempWorkspace();
    await t.addUser('gus.grace', 'compliance_officer');
    const first = await t.login('gus.grace');
    const status = await t.call<ResponseOf<'mfa.status'>>('mfa.status', {}, first);
    expect(status).toMatchObject({ state: 'off', required: true, restricted: false });
    expect(Date.parse(status.graceEndsAt!) - Date.now()).toBeGreaterThan(6 * 86_400_000);
    await t.call('cases.list', {}, first);
    // Eight days on (ahead of the real clock: ledger timestamps never go back).
    await withSimulatedClock(new Date(Date.now() + 8 * 86_400_000), 1000, async () => {
      const late = await t.login('gus.grace');
      expect(t.lastEvent('session.login')).toMatchObject({ details: { second_factor: 'enrolment-required' } });
      expect(await t.result('cases.list', {}, late)).toMatchObject({ ok: false, error: { code: 'mfa_enrolment_required' } });
      expect(t.lastEvent('cases.list')).toMatchObject({ outcome: 'denied', details: { reason: 'mfa-enrolment-required' } });
      expect(await t.call<ResponseOf<'mfa.status'>>('mfa.status', {}, late)).toMatchObject({ restricted: true });
      const e = await t.call<ResponseOf<'mfa.enroll'>>('mfa.enroll', {}, late);
      await t.call('mfa.confirm', { otp: codeFor(e.secret) }, late);
      await t.call('cases.list', {}, late);
    });
    t.app.shutdown();
  });

  it('custos demo: a history signed in months ago leaves the administrator a full grace; one demo user has a second factor', async () => {
    const days = 60;
    const { t, mfa } = await withSimulatedClock(new Date(Date.now() - days * 86_400_000), 1, async (clock) => {
      const made = await createTempWorkspace();
      // The demo's administrator signs in at the start of the history, as `custos demo` does.
      await made.login();
      const seeded = await seedDemo(made.app.ws, { events: 600, admin: 'admin', passphrase: PASSPHRASE, days, clock, secondFactor: true });
      return { t: made, mfa: seeded.mfa };
    });
    expect(mfa).toMatchObject({ username: DEMO_MFA_USER });
    expect(t.lastEvent('mfa.graceRestarted')).toMatchObject({ actor: 'admin', resource_id: 'admin', details: { user: 'admin' } });
    // The administrator's grace now starts at this (real) sign-in: a week to enrol, not locked out.
    const admin = await t.login();
    const status = await t.call<ResponseOf<'mfa.status'>>('mfa.status', {}, admin);
    expect(status).toMatchObject({ state: 'off', required: true, restricted: false });
    expect(Date.parse(status.graceEndsAt!) - Date.now()).toBeGreaterThan(6 * 86_400_000);
    // The enrolled demo user needs a code; the step the demo confirmed with is used, the next one works.
    expect(await t.result('session.login', { username: DEMO_MFA_USER, passphrase: PASSPHRASE })).toMatchObject({ ok: false, error: { code: 'mfa_required' } });
    const signed = await t.call<{ session: string }>('session.login', { username: DEMO_MFA_USER, passphrase: PASSPHRASE, otp: codeFor(mfa!.secret, 1) });
    expect(await t.call<ResponseOf<'mfa.status'>>('mfa.status', {}, signed.session)).toMatchObject({ state: 'on' });
    t.app.shutdown();
  });
});

describe('sessions', () => {
  it('an administrator lists who is signed in, by public id, and revokes one: ledgered, and its next call is refused', async () => {
    const t = await createTempWorkspace();
    const viewer = await t.addUser('vic.viewer', 'viewer');
    const list = await t.call<ResponseOf<'sessions.list'>>('sessions.list', {}, t.admin);
    expect(list.total).toBe(2);
    const mine = list.items.find((s) => s.current)!;
    const theirs = list.items.find((s) => s.username === 'vic.viewer')!;
    expect(mine).toMatchObject({ username: 'admin', role: 'admin', host: 'Direct call' });
    expect(theirs).toMatchObject({ displayName: 'User vic.viewer', role: 'viewer', current: false });
    expect(theirs.id).toMatch(/^[0-9a-f]{16}$/);
    // The bearer tokens never appear in the answer.
    expect(JSON.stringify(list)).not.toContain(viewer);
    expect(JSON.stringify(list)).not.toContain(t.admin);
    expect((await t.call<ResponseOf<'sessions.list'>>('sessions.list', { search: 'vic' }, t.admin)).items.map((s) => s.username)).toEqual(['vic.viewer']);
    expect(await t.result('sessions.list', {}, viewer)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await t.result('sessions.revoke', { id: mine.id }, t.admin)).toMatchObject({ ok: false, error: { code: 'conflict' } });

    await t.call('sessions.revoke', { id: theirs.id }, t.admin);
    expect(t.lastEvent('sessions.revoke')).toMatchObject({ actor: 'admin', resource_type: 'session', resource_id: theirs.id, details: { user: 'vic.viewer', host: 'Direct call' } });
    expect(await t.result('cases.list', {}, viewer)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await t.result('sessions.revoke', { id: theirs.id }, t.admin)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect((await t.call<ResponseOf<'sessions.list'>>('sessions.list', {}, t.admin)).total).toBe(1);
    t.app.shutdown();
  });
});

describe('the command line', () => {
  it('asks an account with a second factor for its code: CUSTOS_OTP gives it, a missing one is a clear sentence', async () => {
    const t = await createTempWorkspace();
    const { secret } = await t.call<ResponseOf<'mfa.enroll'>>('mfa.enroll', {}, t.admin);
    await t.call('mfa.confirm', { otp: codeFor(secret) }, t.admin);
    t.app.shutdown();
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, [resolve('bin/custos.js'), 'db-key', t.dir], { env: { ...process.env, CUSTOS_PASSPHRASE: PASSPHRASE, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const without = run({});
    expect(without.status).not.toBe(0);
    expect(without.stderr).toContain('No second-factor code given: set CUSTOS_OTP');
    const withCode = run({ CUSTOS_OTP: codeFor(secret, 1) });
    expect(withCode.stderr).toBe('');
    expect(withCode.stdout).toMatch(/^x'[0-9a-f]{64}'\n$/);
  });
});

describe('over the loopback host (issue 13: done means)', () => {
  const CLI = resolve('bin/custos.js');
  let child: ChildProcessWithoutNullStreams;
  let port = 0;
  let token = '';
  beforeAll(async () => {
    const dir = join(tempDir('custos-mfa-serve-'), 'ws');
    child = spawn(process.execPath, [CLI, 'serve', dir, '--port', '0'], { env: { ...process.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    const first = await new Promise<string>((ok, fail) => {
      createInterface({ input: child.stdout }).once('line', ok);
      child.once('exit', () => fail(new Error('custos serve exited early')));
    });
    const m = /^http:\/\/127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]+)$/.exec(first)!;
    port = Number(m[1]);
    token = m[2]!;
  });
  afterAll(async () => {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  });

  async function api<T>(channel: string, input: unknown, session?: string): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }> {
    const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'user-agent': 'enrol-script/1.0' };
    if (session) headers['x-custos-session'] = session;
    const r = await rawRequest(port, 'POST', `/api/${channel}`, headers, JSON.stringify(input));
    expect(r.status).toBe(200);
    return r.json as never;
  }
  async function value<T>(channel: string, input: unknown, session?: string): Promise<T> {
    const r = await api<T>(channel, input, session);
    if (!r.ok) throw new CallError(r.error.code, r.error.message);
    return r.value;
  }

  it('a script enrols a user, confirms with a code it computes, sees mfa_required without a code, signs in with one; a replayed code is refused', async () => {
    await value('workspace.init', { workspaceName: 'Loopback MFA', username: 'admin', displayName: 'Admin', passphrase: PASSPHRASE });
    const { session } = await value<{ session: string }>('session.login', { username: 'admin', passphrase: PASSPHRASE });
    const { secret, otpauthUri, backupCodes } = await value<ResponseOf<'mfa.enroll'>>('mfa.enroll', {}, session);
    expect(otpauthUri).toContain(`secret=${secret}`);
    expect(backupCodes).toHaveLength(10);
    // The script computes the code itself from the base32 secret (RFC 6238: HMAC-SHA-1, 30 s, 6 digits).
    const key = base32Decode(secret);
    expect(await value<ResponseOf<'mfa.confirm'>>('mfa.confirm', { otp: totp(key, new Date()) }, session)).toMatchObject({ state: 'on' });

    const without = await api('session.login', { username: 'admin', passphrase: PASSPHRASE });
    expect(without).toMatchObject({ ok: false, error: { code: 'mfa_required' } });
    // The confirming code's step is used up: sign in with the next step's code (inside the ±1 window).
    const otp = totp(key, new Date(Date.now() + 30_000));
    const signedIn = await value<ResponseOf<'session.login'>>('session.login', { username: 'admin', passphrase: PASSPHRASE, otp });
    expect(signedIn.user.username).toBe('admin');
    const replay = await api('session.login', { username: 'admin', passphrase: PASSPHRASE, otp });
    expect(replay).toMatchObject({ ok: false, error: { code: 'wrong_credentials' } });

    const sessions = await value<ResponseOf<'sessions.list'>>('sessions.list', {}, signedIn.session);
    expect(sessions.items.map((s) => s.host)).toEqual(['Loopback: enrol-script/1.0', 'Loopback: enrol-script/1.0']);
  });
});
