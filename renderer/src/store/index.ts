import { create } from 'zustand';
import { client } from '../api/client.js';
import { createAuditSlice } from './audit-slice.js';
import { createCaseworkSlice } from './casework-slice.js';
import { createExportsSlice } from './exports-slice.js';
import { createFerpaSlice } from './ferpa-slice.js';
import { createLedgerSlice } from './ledger-slice.js';
import { createLedgerViewSlice } from './ledger-view-slice.js';
import { createSessionSlice } from './session-slice.js';
import type { AppState } from './types.js';
import { createUiSlice } from './ui-slice.js';
import { createUsersSlice } from './users-slice.js';
import { createVerifySlice } from './verify-slice.js';

export type { AppState } from './types.js';

export const useAppStore = create<AppState>()((...a) => ({
  ...createSessionSlice(...a),
  ...createUsersSlice(...a),
  ...createLedgerSlice(...a),
  ...createLedgerViewSlice(...a),
  ...createVerifySlice(...a),
  ...createUiSlice(...a),
  ...createFerpaSlice(...a),
  ...createCaseworkSlice(...a),
  ...createAuditSlice(...a),
  ...createExportsSlice(...a),
}));

/** Connects core events to the store once, at start; returns the function that disconnects them. */
export function connectCoreEvents(): () => void {
  const store = useAppStore.getState;
  let headTimer: number | null = null;
  const offs = [
    client.on('session.locked', (p) => store().sessionEnded(p.reason)),
    client.on('job.progress', (p) => store().jobProgress(p)),
    client.on('ledger.appended', () => {
      // Bursts of appends refresh the top bar at most once a second.
      if (headTimer !== null || store().phase !== 'unlocked') return;
      headTimer = window.setTimeout(() => {
        headTimer = null;
        void store().loadHead();
      }, 1000);
    }),
    client.onSessionEnded((reason) => store().sessionEnded(reason === 'locked' ? 'closed' : 'session-ended')),
  ];
  return () => offs.forEach((off) => off());
}
