import { create } from 'zustand';
import { client } from '../api/client.js';
import { createAuditSlice } from './audit-slice.js';
import { createCaseworkSlice } from './casework-slice.js';
import { createExportsSlice } from './exports-slice.js';
import { createLedgerSlice } from './ledger-slice.js';
import { createLedgerViewSlice } from './ledger-view-slice.js';
import { createListsSlice } from './lists.js';
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
  ...createListsSlice(a[0], a[1]),
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
    client.on('ledger.appended', (p) => {
      // A session that may only enrol shows no lists: reloading them would only be refused (and ledgered).
      if (store().phase !== 'unlocked' || store().mfaRestricted) return;
      // The lists and open items that show what changed reload; the rest wait until they are on screen.
      void store().resourcesChanged(p.resources);
      // Record categories carry each retention policy's period and action (the purge dialog says what it will do by them).
      if (p.resources === null || p.resources.some((r) => r.resource_type === 'retention_policy')) void store().reloadRecordCategories();
      // Bursts of appends refresh the top bar at most once a second.
      if (headTimer !== null) return;
      headTimer = window.setTimeout(() => {
        headTimer = null;
        void store().loadHead();
      }, 1000);
    }),
    client.onSessionEnded((reason) => store().sessionEnded(reason === 'locked' ? 'closed' : 'session-ended')),
    useAppStore.subscribe((s, prev) => {
      if (s.route !== prev.route) void s.listsRouteChanged();
    }),
  ];
  return () => offs.forEach((off) => off());
}
