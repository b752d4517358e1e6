import { describe, expect, it } from 'vitest';
import { inLabelWords, matchField, problemField } from '../../renderer/src/components/form-errors.js';

// Issue 15.8: a refused call that names a field lands at that field of the form. These are the
// rules that choose the field; the E2E form-errors spec shows the sentence under it on screen.

const entry = (key: number, label: string, name?: string) => ({ key, label, name, focus: () => undefined });

describe('errors at the field', () => {
  it('reads the field from the client’s own check and from the core’s validation issues', () => {
    expect(problemField({ code: 'validation', message: 'Enter a title.', details: { field: 'title' } })).toEqual({ field: 'title', message: 'Enter a title.' });
    // The core's answer carries zod's wording: the field gets a sentence for people instead.
    const core = problemField({ code: 'validation', message: 'The request is not valid. title: Too small: expected string to have >=1 characters', details: { issues: [{ path: 'title', message: 'Too small: expected string to have >=1 characters' }] } });
    expect(core?.field).toBe('title');
    expect(core?.message).toBe('Check a title: it is not in a form Custos accepts.');
    // A refusal that is not about one field (a hold, a role) stays in the dialog's alert.
    expect(problemField({ code: 'held', message: 'The record is under a legal hold.' })).toBeNull();
    expect(problemField({ code: 'conflict', message: 'x', details: { issues: [{ path: 'title', message: 'y' }] } })).toBeNull();
  });

  it('finds the field by its declared request name first, then by its label', () => {
    const fields = [entry(1, 'Note', 'body'), entry(2, 'Reason (recorded in the ledger)'), entry(3, 'Case'), entry(4, 'Subjects', 'scope.subjectIds'), entry(5, 'Title')];
    expect(matchField(fields, 'body')?.key).toBe(1);
    expect(matchField(fields, 'reason')?.key).toBe(2);
    expect(matchField(fields, 'caseId')?.key).toBe(3);
    expect(matchField(fields, 'scope.subjectIds.0')?.key).toBe(4);
    expect(matchField(fields, 'title')?.key).toBe(5);
    expect(matchField(fields, 'purpose')).toBeNull();
    // A declared name is never matched by label: "Note" feeds `body`, not `note`.
    expect(matchField(fields, 'note')).toBeNull();
  });
});

describe('the field’s own words', () => {
  it('says the client’s sentence with the label people see', () => {
    const empty = { code: 'validation', message: 'Enter a body.', details: { field: 'body', issue: { code: 'too_small', origin: 'string', minimum: 1, message: 'Too small' } } };
    expect(inLabelWords(empty, { field: 'body', message: 'Enter a body.' }, 'Note')).toBe('Enter a note.');
    expect(inLabelWords(empty, { field: 'note', message: 'Enter a note.' }, 'Incident title')).toBe('Enter an incident title.');
    expect(inLabelWords(empty, { field: 'reason', message: 'Enter a reason.' }, 'Reason (recorded in the ledger)')).toBe('Enter a reason.');
    expect(inLabelWords(empty, { field: 'text', message: 'Enter a text.' }, 'What was done')).toBe('Enter “What was done”.');
    const long = { code: 'validation', message: 'x', details: { field: 'title', issue: { code: 'too_big', origin: 'string', maximum: 300, message: 'Too big' } } };
    expect(inLabelWords(long, { field: 'title', message: 'x' }, 'Title')).toBe('A title takes at most 300 characters.');
    // A sentence of the core's own (no issue to re-word) is kept as it is.
    expect(inLabelWords({ code: 'validation', message: '"Amount" must be a number.', details: { field: 'amount' } }, { field: 'amount', message: '"Amount" must be a number.' }, 'Amount')).toBe('"Amount" must be a number.');
  });
});

describe('one date format and plurals (issue 15.9)', () => {
  it('writes instants as "2 Dec 2026, 07:04" and days as "2 Dec 2026"', async () => {
    const { formatDate, formatDateTime, formatShort, plural } = await import('../../renderer/src/lib/format.js');
    expect(formatDateTime('2026-12-02T07:04:09.123Z')).toMatch(/^\d{1,2} [A-Z][a-z]{2} 20\d\d, \d\d:\d\d$/);
    expect(formatDate('2026-12-02')).toBe('2 Dec 2026');
    expect(formatDate('2026-12-02T23:59:59.999Z')).toBe('2 Dec 2026');
    const now = Date.parse('2026-12-03T07:00:00Z');
    expect(formatShort('2026-12-03T06:50:00Z', now)).toBe('10 min ago');
    expect(formatShort('2026-11-20T06:50:00Z', now)).toBe(formatDateTime('2026-11-20T06:50:00Z'));
    expect(plural(1, 'failure')).toBe('1 failure');
    expect(plural(0, 'event')).toBe('0 events');
    expect(plural(2000, 'event')).toBe('2,000 events');
    expect(plural(1, 'success', 'successes')).toBe('1 success');
    expect(plural(3, 'success', 'successes')).toBe('3 successes');
  });
});
