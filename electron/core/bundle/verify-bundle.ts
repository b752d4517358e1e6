import type { VerificationReport } from '../../../shared/ledger-types.js';
import { CustosError } from '../errors.js';

/** Verifies a bundle file offline (signature, file hashes, chain, proofs). */
export async function verifyBundleFile(_path: string, _opts: { onProgress?: (done: number, total: number) => void } = {}): Promise<VerificationReport> {
  throw new CustosError('unavailable', 'Bundle verification is not part of this build yet.');
}
