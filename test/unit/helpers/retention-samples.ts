import type { MutatingSample, SampleContext } from './mutating-samples.js';

/** An attendance record from 2000, long past its three years: something for the sweep to delete. */
async function expiredRecord(ctx: SampleContext): Promise<void> {
  const { subject } = await ctx.call<{ subject: { id: string } }>('subjects.create', { displayName: `Student ${ctx.unique()}`, kind: 'student' });
  await ctx.call('records.create', { subjectId: subject.id, category: 'attendance', title: `Attendance ${ctx.unique()}`, content: 'Present 40 of 42.', source: 'registrar', recordDate: '2000-01-10' });
}

/** Samples of the retention channels. */
export const retentionSamples: Record<string, MutatingSample> = {
  'retention.setPolicy': {
    request: () => ({ category: 'disciplinary', periodValue: 7, periodUnit: 'years', action: 'delete', classification: 'restricted' }),
  },
  'retention.setAuditLogPolicy': {
    actions: ['ledger.setRetention'],
    request: () => ({ periodValue: 10, periodUnit: 'years' }),
  },
  'retention.decideAuditLogPolicy': {
    as: 'compliance_officer',
    // Approved, the shorter period applies and is recorded as the change itself.
    actions: ['ledger.setRetention'],
    request: async (ctx) => {
      // The approver exists before the request (a second person created for the occasion is refused).
      await ctx.session('compliance_officer');
      const { policy } = await ctx.call<{ policy: { pending: { id: number } } }>('retention.setAuditLogPolicy', { periodValue: 2, periodUnit: 'years' });
      return { requestId: policy.pending.id, approve: true };
    },
  },
  'retention.sweep': {
    as: 'compliance_officer',
    // The sweep ledgers each record it deletes and then its closing event.
    actions: ['retention.sweep', 'retention.sweep.complete'],
    request: async (ctx) => {
      await expiredRecord(ctx);
      return {};
    },
  },
};
