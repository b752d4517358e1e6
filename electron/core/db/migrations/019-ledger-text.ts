import type { Migration } from './index.js';

/**
 * The ledger's free-text index (issue 14 item 3): a derived FTS5 index over the text the ledger
 * search matches (actor, action, resource id and the details JSON), so a search's first page over a
 * million events is read from the index instead of a LIKE scan. It is not evidence: it is filled
 * outside the append transaction by ledger/text-index.ts, can be dropped and rebuilt at any time,
 * and verification never reads it. It lives in the same encrypted database, so no text reaches the
 * disk in plaintext.
 *
 * - `ledger_text` is contentless (the text stays in `events` only) with the trigram tokenizer;
 *   rowid = the event's seq. The indexer stores the text with ASCII letters lower-cased and the
 *   tokenizer case-sensitive, as SQLite's LIKE folds ASCII case only. `detail = none` keeps no
 *   positions (a quarter of the size, measured): the index answers "which events hold every trigram
 *   of the text", a superset the search narrows by re-checking each hit with LIKE against `events`.
 *   `contentless_delete` lets rows be removed by seq (pruned bodies).
 * - `ledger_text_cursor` is one row: every event with seq ≤ `indexed_through` is in the index.
 */
export const migration019: Migration = {
  version: 19,
  name: 'ledger-text',
  sql: `
    CREATE VIRTUAL TABLE ledger_text USING fts5(
      actor_text, action_text, resource_id_text, details_text,
      tokenize = 'trigram case_sensitive 1', content = '', contentless_delete = 1, detail = none
    );
    CREATE TABLE ledger_text_cursor (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      indexed_through INTEGER NOT NULL CHECK (indexed_through >= 0)
    );
    INSERT INTO ledger_text_cursor (id, indexed_through) VALUES (1, 0);
  `,
};
