import { AreaTabs, type AreaTab } from '../../components/area-tabs.js';
import type { Tone } from '../../components/badge.js';
import './casework.css';

/** Shared bits of the Cases, Evidence and Holds screens. */

export const CASE_TONES: Record<string, Tone> = { open: 'accent', on_hold: 'warn', closed: 'neutral' };
export const EVIDENCE_TONES: Record<string, Tone> = { collected: 'accent', transferred: 'accent', sealed: 'ok', released: 'warn', disposed: 'neutral' };
export const HOLD_TONES: Record<string, Tone> = { draft: 'neutral', active: 'danger', released: 'ok' };
export const NOTICE_TONES: Record<string, Tone> = { pending: 'neutral', sent: 'accent', acknowledged: 'ok', escalated: 'danger' };

export const CASE_TYPE_LABELS: Record<string, string> = {
  investigation: 'Investigation',
  subpoena: 'Subpoena',
  amendment: 'Amendment',
  audit: 'Audit',
  breach: 'Breach',
};

const TABS: readonly AreaTab<'cases' | 'subjects'>[] = [
  ['cases', 'Cases', 'cases'],
  ['subjects', 'Subjects and records', 'cases/subjects'],
];

/** The two halves of the Cases area: the matters, and the people and records they are about. */
export function CaseworkTabs({ current }: { current: 'cases' | 'subjects' }) {
  return <AreaTabs label="Case management" tabs={TABS} current={current} />;
}

/** Saves bytes (base64) or text as a file through the browser's download. */
export function download(fileName: string, mediaType: string, content: { base64: string } | { text: string }): void {
  const blob =
    'base64' in content
      ? new Blob([Uint8Array.from(atob(content.base64), (c) => c.charCodeAt(0))], { type: mediaType })
      : new Blob([content.text], { type: mediaType });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
