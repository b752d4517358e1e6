import { passphraseStrength } from '../lib/passphrase-strength.js';

/** A four-step bar and a sentence; the words carry the meaning, the colours only support them. */
export function StrengthMeter({ value, id }: { value: string; id?: string }) {
  const s = passphraseStrength(value);
  return (
    <div className="strength" id={id}>
      <div className="meter" data-score={s.score} aria-hidden="true">
        <span />
        <span />
        <span />
        <span />
      </div>
      <div className="field__hint">
        <strong>{s.label}.</strong> {s.hint}
      </div>
    </div>
  );
}
