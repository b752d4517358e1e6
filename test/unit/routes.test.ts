import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { itemRoute, routeId, routeSegment } from '../../renderer/src/lib/routes.js';
import { ledgerRoute, parseLedgerRoute } from '../../renderer/src/views/ledger/ledger-route.js';

// Deep links (issue 15.9, issue 11): item ids and the Ledger's filters live in the route, whose
// alphabet the app accepts is [a-z0-9/_.~%-] (renderer/src/store/ui-slice.ts).
const ROUTE = /^[a-z0-9/_.~%-]*$/i;

describe('route segments', () => {
  it('carry any id in the route alphabet and read back exactly', () => {
    for (const id of ['CASE-0042', 'hipaa §164.312(b)', "gdpr Art. 5(1)(e)", 'a/b', '../../etc/passwd', '100%', 'x y*z!', '日本']) {
      const seg = routeSegment(id);
      expect(seg).toMatch(ROUTE);
      expect(seg).not.toContain('/');
      expect(routeId(seg)).toBe(id);
    }
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (id) => ROUTE.test(routeSegment(id)) && routeId(routeSegment(id)) === id));
    expect(itemRoute('compliance', 'hipaa §164.312(b)')).toBe('compliance/hipaa%20%C2%A7164.312%28b%29');
  });

  it('reads an ill-formed segment as nothing', () => {
    expect(routeId('%E0%A4%A')).toBeNull();
    expect(routeId('%')).toBeNull();
  });
});

describe('the Ledger route', () => {
  it('writes the open event and the filters, and reads them back', () => {
    const filter = { outcome: 'denied' as const, action: 'cases.*', actor: 'sam.wright', text: 'S-10442 / grades', from: '2026-11-01' };
    const route = ledgerRoute(filter, 4521);
    expect(route).toMatch(ROUTE);
    expect(route.startsWith('ledger/4521/')).toBe(true);
    expect(parseLedgerRoute(route)).toEqual({ filter, seq: 4521 });
    expect(parseLedgerRoute(ledgerRoute({}))).toEqual({ filter: {}, seq: null });
  });

  it('leaves out what it does not know or cannot read', () => {
    expect(parseLedgerRoute('ledger/0/outcome/maybe/colour/red/actor/%ZZ/action')).toEqual({ filter: {}, seq: null });
    expect(parseLedgerRoute('ledger/99999999999999999999/actor/x')).toEqual({ filter: {}, seq: null });
    expect(parseLedgerRoute(`ledger/actor/${'a'.repeat(500)}`).filter.actor).toHaveLength(200);
  });
});
