import { useState } from 'react';
import { Icon } from './icons.js';

/** Copies text to the clipboard and says so; the label names what is copied. */
export function CopyButton({ text, label, compact }: { text: string; label: string; compact?: boolean }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      window.setTimeout(() => setCopied(false), 1800);
    } catch {
      setCopied(false);
    }
  }
  if (compact) {
    return (
      <button type="button" className="btn btn--ghost btn--sm btn--icon" onClick={copy} aria-label={copied ? `${label}: copied` : label} title={label}>
        <Icon name={copied ? 'check' : 'copy'} size={14} />
      </button>
    );
  }
  return (
    <button type="button" className="btn" onClick={copy}>
      <Icon name={copied ? 'check' : 'copy'} />
      {copied ? 'Copied' : label}
    </button>
  );
}
