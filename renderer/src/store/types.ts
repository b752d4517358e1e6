import type { StateCreator } from 'zustand';
import type { AuditSlice } from './audit-slice.js';
import type { CaseworkSlice } from './casework-slice.js';
import type { ExportsSlice } from './exports-slice.js';
import type { LedgerSlice } from './ledger-slice.js';
import type { LedgerViewSlice } from './ledger-view-slice.js';
import type { ListsSlice } from './lists.js';
import type { SessionSlice } from './session-slice.js';
import type { UiSlice } from './ui-slice.js';
import type { UsersSlice } from './users-slice.js';
import type { VerifySlice } from './verify-slice.js';

/** The whole renderer state: one store, composed of slices (STYLE: state in slices). */
export type AppState = SessionSlice & UsersSlice & LedgerSlice & LedgerViewSlice & VerifySlice & UiSlice & ListsSlice & CaseworkSlice & ExportsSlice & AuditSlice;

export type SliceCreator<T> = StateCreator<AppState, [], [], T>;
