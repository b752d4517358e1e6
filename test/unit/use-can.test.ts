/**
 * The renderer's useCan(channel) hides what the core would refuse. Its pure half, mayCall, must say
 * exactly what the contract's access lists say, and what the dispatch actually does for each role.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, contract, mayCall, type ChannelName } from '../../shared/contract.js';
import { ROLES, type Role } from '../../shared/roles.js';
import { createTempWorkspace, removeTempDirs } from './helpers/workspace.js';

afterAll(removeTempDirs);

describe('mayCall', () => {
  it('agrees with the access list of every channel, for every role', () => {
    for (const channel of CHANNEL_NAMES) {
      const access = contract[channel].access;
      for (const role of ROLES) expect(mayCall(role, channel), `${role} → ${channel}`).toBe(access === 'public' || access.includes(role));
    }
  });

  it('answers the cases the screens depend on', () => {
    const allowed = (channel: ChannelName) => ROLES.filter((r) => mayCall(r, channel));
    // Exports: the auditor may ask for one and run it, never decide one.
    expect(allowed('exports.request')).toEqual(['admin', 'compliance_officer', 'legal_counsel', 'auditor']);
    expect(allowed('exports.execute')).toEqual(['admin', 'compliance_officer', 'legal_counsel', 'auditor']);
    expect(allowed('exports.approve')).toEqual(['admin', 'compliance_officer', 'legal_counsel']);
    // Case work is for those who work cases; reading a list is for everyone; re-keying is the administrator's.
    expect(allowed('cases.create')).toEqual(['admin', 'compliance_officer', 'legal_counsel']);
    expect(allowed('amendments.decide')).toEqual(['admin', 'compliance_officer', 'legal_counsel']);
    expect(allowed('cases.list')).toEqual([...ROLES]);
    expect(allowed('ledger.query')).toEqual(['admin', 'compliance_officer', 'legal_counsel', 'auditor']);
    expect(allowed('workspace.rekey')).toEqual(['admin']);
    // Public channels answer without a session, so every role may call them.
    expect(allowed('session.login')).toEqual([...ROLES]);
  });
});

describe('mayCall against the dispatch', () => {
  // Invalid bodies: a permitted role gets past the role check and is stopped by validation, so nothing changes.
  const probes: [ChannelName, unknown][] = [
    ['cases.create', {}],
    ['exports.approve', {}],
    ['exports.request', {}],
    ['evidence.content', {}],
    ['records.erase', {}],
    ['workspace.rekey', { bogus: true }],
    ['ledger.checkpoint', { bogus: true }],
    ['imports.pins.revoke', {}],
  ];

  it('forbids exactly the calls mayCall says no to', async () => {
    const t = await createTempWorkspace();
    const sessions: Record<Role, string> = { admin: t.admin } as Record<Role, string>;
    for (const role of ROLES) if (role !== 'admin') sessions[role] = await t.addUser(`u_${role}`, role);
    const seen: string[] = [];
    for (const [channel, input] of probes) {
      for (const role of ROLES) {
        const r = await t.result(channel, input, sessions[role]);
        const forbidden = !r.ok && r.error.code === 'forbidden';
        expect(forbidden, `${role} → ${channel}: ${r.ok ? 'ok' : r.error.code}`).toBe(!mayCall(role, channel));
        seen.push(`${forbidden ? 'refused' : 'passed'}`);
      }
    }
    // Both answers occur, so the probe discriminates.
    expect(new Set(seen)).toEqual(new Set(['refused', 'passed']));
  }, 60_000);
});
