const numberFormat = new Intl.NumberFormat('en-US');
// The product's one way to write an instant for people: "2 Dec 2026, 07:04" (local time; the stored
// value stays UTC, RFC 3339, and is shown whole only inside hashes, files and tooltips).
const dateTime = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
const dateOnly = new Intl.DateTimeFormat('en-GB', { month: 'short', day: 'numeric' });
const fullDay = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

export function formatCount(n: number): string {
  return numberFormat.format(n);
}

/** "2 Dec 2026, 07:04": local date and time for people; the stored value stays UTC (RFC 3339). */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

/** "3 min ago" within the hour, else the one format ("2 Dec 2026, 07:04"). */
export function formatShort(iso: string, now = Date.now()): string {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  return now - t < 3_600_000 && now >= t ? formatRelative(iso, now) : dateTime.format(t);
}

/** "12 Mar" for a YYYY-MM-DD day (read as UTC so the axis matches the stored days). */
export function formatDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? day : dateOnly.format(d);
}

/**
 * "2 Dec 2026" for a calendar day: the product's one way to write a date for people. Takes the day
 * (YYYY-MM-DD) or a stored instant whose UTC day is meant (a due date kept as the end of its day).
 */
export function formatDate(day: string): string {
  const d = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? day : fullDay.format(d);
}

/** "3 min ago", "yesterday"…, for recent moments; older ones show the date. */
export function formatRelative(iso: string, now = Date.now()): string {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  const s = Math.round((now - t) / 1000);
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  if (d === 1) return 'yesterday';
  if (d < 14) return `${d} days ago`;
  return formatDateTime(iso);
}

/** First and last characters of a hex hash, enough to compare by eye. */
export function shortHash(hex: string, size = 8): string {
  return hex.length <= size * 2 + 1 ? hex : `${hex.slice(0, size)}…${hex.slice(-4)}`;
}

/** A job's running time: milliseconds under a second, else seconds to one decimal. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** A byte count for people. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

/** A `datetime-local` input's value as an RFC 3339 instant (the core stores UTC); empty stays undefined. */
export function localToIso(v: string): string | undefined {
  if (!v) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** A count with its noun, singular for one: "1 event", "2,000 events", "1 failure" (issue 15.9). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
