import { describe, expect, expectTypeOf, it } from 'vitest';
import { checkpointSchema, ledgerEventSchema, OUTCOMES, PROBLEM_KINDS, verificationReportSchema } from '../../shared/contract/ledger.js';
import type { Checkpoint, LedgerEvent, Outcome, ProblemKind, PrunedPrefix, VerificationProblem, VerificationReport } from '../../shared/ledger-types.js';
import { createTempWorkspace, removeTempDirs } from './helpers/workspace.js';

// Issue 9 §4: the ledger's types are inferred from the contract's zod schemas (one source), and stay
// exactly as precise as the interfaces they replaced: these type assertions fail `tsc -p tsconfig.test.json`.

describe('the ledger types come from the schemas', () => {
  it('are exactly the shapes of DESIGN §4', () => {
    expectTypeOf<Outcome>().toEqualTypeOf<'success' | 'denied' | 'failure'>();
    expectTypeOf<LedgerEvent>().toEqualTypeOf<{
      seq: number;
      ts: string;
      actor: string;
      action: string;
      resource_type: string;
      resource_id: string;
      outcome: Outcome;
      details: Record<string, unknown>;
      prev_hash: string;
      hash: string;
    }>();
    expectTypeOf<Checkpoint>().toEqualTypeOf<{ workspace_id: string; size: number; root: string; ts: string; key_id: string; signature: string }>();
    expectTypeOf<ProblemKind>().toEqualTypeOf<(typeof PROBLEM_KINDS)[number]>();
    expectTypeOf<'gap'>().toExtend<ProblemKind>();
    expectTypeOf<string>().not.toExtend<ProblemKind>();
    expectTypeOf<VerificationProblem>().toEqualTypeOf<{ seq: number | null; kind: ProblemKind; message: string }>();
    expectTypeOf<VerificationReport>().toEqualTypeOf<{
      valid: boolean;
      events_checked: number;
      checkpoints_checked: number;
      root: string | null;
      problems: VerificationProblem[];
      summary: string;
      witnessed?: { cosigner: string; size: number; root: string; cosigned_at: string; consistent: boolean }[];
      pruned?: PrunedPrefix;
    }>();
    expectTypeOf<PrunedPrefix>().toEqualTypeOf<{ through_seq: number; pruned_at: string; policy: string; checkpoint_root: string; description: string }>();
    expect(OUTCOMES).toEqual(['success', 'denied', 'failure']);
    expect(new Set(PROBLEM_KINDS).size).toBe(PROBLEM_KINDS.length);
  });

  it('and the schemas hold what the core writes: events, checkpoints, a verification report', async () => {
    const t = await createTempWorkspace();
    try {
      await t.result('users.update', { username: 'nobody.here', disabled: true }, t.admin);
      const events = t.events();
      expect(events.map((e) => e.outcome)).toContain('failure');
      for (const e of events) expect(ledgerEventSchema.parse(e)).toEqual(e);
      const checkpoint = await t.call<Checkpoint>('ledger.checkpoint', {}, t.admin);
      expect(checkpointSchema.parse(checkpoint)).toEqual(checkpoint);
      const report = await t.call<VerificationReport>('ledger.verify', {}, t.admin);
      expect(verificationReportSchema.parse(report)).toEqual(report);
      // A kind outside the list is refused, so a report cannot carry one the readers do not know.
      expect(verificationReportSchema.safeParse({ ...report, problems: [{ seq: 1, kind: 'made-up', message: 'x' }] }).success).toBe(false);
      expect(ledgerEventSchema.safeParse({ ...events[0], outcome: 'maybe' }).success).toBe(false);
    } finally {
      t.lock();
      removeTempDirs();
    }
  });
});
