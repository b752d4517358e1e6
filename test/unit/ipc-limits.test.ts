import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, contract } from '../../shared/contract.js';
import { maxBodyOf } from '../../shared/contract/define.js';
import { ipcRequestRefusal } from '../../electron/ipc-limits.js';

// The desktop shell applies each channel's body limit as the loopback host does (channel-defs.test.ts).

describe('IPC body limits', () => {
  it('refuses a request one byte over its channel’s maxBody and accepts one at the limit, for every channel', () => {
    for (const name of CHANNEL_NAMES) {
      const limit = maxBodyOf(contract[name]);
      // {"p":"…"} is 8 bytes around the padding.
      const at = { p: 'x'.repeat(limit - 8) };
      expect(Buffer.byteLength(JSON.stringify(at))).toBe(limit);
      expect(ipcRequestRefusal(name, at), name).toBeNull();
      expect(ipcRequestRefusal(name, { p: 'x'.repeat(limit - 7) }), name).toMatchObject({ ok: false, error: { code: 'validation' } });
    }
  });

  it('counts bytes, not characters, and refuses what is not JSON', () => {
    const limit = maxBodyOf(contract['session.login']);
    expect(ipcRequestRefusal('session.login', { p: 'é'.repeat(Math.ceil(limit / 2)) })).toMatchObject({ ok: false });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(ipcRequestRefusal('session.login', cyclic)).toMatchObject({ ok: false, error: { message: 'The request is not valid JSON.' } });
    expect(ipcRequestRefusal('session.me', undefined)).toBeNull();
  });
});
