/**
 * How long a record is kept, in the words the core's messages and the screens share: "until
 * 2028-01-01" where its policy deletes, "permanently (archived after 2032-06-30)" where it archives,
 * "permanently" when it has no retention date.
 */
export function keptText(retentionUntil: string | null, action: 'archive' | 'delete' | undefined): string {
  if (!retentionUntil) return 'permanently';
  return action === 'archive' ? `permanently (archived after ${retentionUntil})` : `until ${retentionUntil}`;
}
