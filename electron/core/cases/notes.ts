import { randomUUID } from 'node:crypto';
import type { CaseNote } from '../../../shared/contract/cases.js';
import type { Workspace } from '../workspace.js';
import { insertNoteRow, noteRowsOfCase, touchCase, type NoteRow } from './cases-store.js';
import { getCase } from './cases.js';
import { opTime, type Op } from '../domain/op.js';

const toNote = (r: NoteRow): CaseNote => ({ id: r.id, caseId: r.case_id, author: r.author, body: r.body, createdAt: r.created_at });

/**
 * Adds a note (append-only: a correction is a new note). Ledgered as cases.addNote with the note id
 * and length only; the text itself may be sensitive and stays in the encrypted database.
 */
export function addNote(ws: Workspace, op: Op, caseId: string, body: string): CaseNote {
  const at = opTime(op);
  return ws.tx(() => {
    getCase(ws, caseId);
    const id = randomUUID();
    const now = at.toISOString();
    insertNoteRow(ws.db, { id, case_id: caseId, author: op.actor, body, created_at: now });
    touchCase(ws.db, caseId, now);
    ws.ledger.append({ actor: op.actor, action: 'cases.addNote', resource_type: 'case', resource_id: caseId, details: { note: id, length: body.length } }, at);
    return toNote({ id, case_id: caseId, author: op.actor, body, created_at: now });
  });
}

/** The notes of a case, oldest first. */
export function listNotes(ws: Workspace, caseId: string): CaseNote[] {
  return noteRowsOfCase(ws.db, caseId).map(toNote);
}
