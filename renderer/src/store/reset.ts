import { initialAuditData } from './audit-slice.js';
import { initialCaseworkData } from './casework-slice.js';
import { initialExportsData } from './exports-slice.js';
import { initialLedgerData } from './ledger-slice.js';
import { initialLedgerViewData } from './ledger-view-slice.js';
import { initialListsData } from './lists.js';
import { initialUsersData } from './users-slice.js';
import { initialVerifyData } from './verify-slice.js';

/** Everything fetched from the core, back to empty: nothing read while unlocked survives a lock. */
export function clearServerData() {
  return { ...initialUsersData, ...initialLedgerData, ...initialLedgerViewData, ...initialVerifyData, ...initialListsData(), ...initialCaseworkData, ...initialExportsData, ...initialAuditData };
}
