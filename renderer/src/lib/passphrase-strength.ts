export interface Strength {
  /** 0 (unusable) … 4 (strong). */
  score: 0 | 1 | 2 | 3 | 4;
  label: string;
  hint: string;
}

export const MIN_PASSPHRASE = 12;

const COMMON = ['password', 'passphrase', 'custos', 'qwerty', 'letmein', 'welcome', 'admin', '123456', 'abc123', 'iloveyou'];

/**
 * A rough, local estimate to steer people toward long passphrases. The real protection is the
 * KDF and the lockout; this only says "longer is better" in a way people act on.
 */
export function passphraseStrength(p: string): Strength {
  if (p.length === 0) return { score: 0, label: 'Empty', hint: `Use at least ${MIN_PASSPHRASE} characters; four or more unrelated words work well.` };
  if (p.length < MIN_PASSPHRASE) {
    return { score: 0, label: 'Too short', hint: `${MIN_PASSPHRASE - p.length} more character${MIN_PASSPHRASE - p.length === 1 ? '' : 's'} needed.` };
  }
  const lower = p.toLowerCase();
  if (COMMON.some((w) => lower.includes(w)) && p.length < 20) {
    return { score: 1, label: 'Weak', hint: 'It contains a very common word; add unrelated words.' };
  }
  if (/^(.)\1+$/.test(p) || new Set(p).size < 6) return { score: 1, label: 'Weak', hint: 'Too many repeated characters.' };
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(p)).length;
  const words = p.trim().split(/[\s\-_.]+/).filter((w) => w.length >= 3).length;
  let score = p.length >= 20 ? 3 : 2;
  if (classes >= 3 || words >= 4) score += 1;
  if (p.length >= 28) score = 4;
  const s = Math.min(4, score) as 3 | 4 | 2;
  return {
    score: s,
    label: s === 4 ? 'Strong' : s === 3 ? 'Good' : 'Fair',
    hint: s === 4 ? 'A strong passphrase.' : 'Longer is stronger: add another word.',
  };
}
