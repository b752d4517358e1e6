import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../../shared/ledger-types.js';
import { ZERO_HASH } from '../../shared/ledger-types.js';
import { isCustosError } from '../../electron/core/errors.js';
import { eventHash } from '../../electron/core/ledger/jcs.js';
import { EXPORT_FORMATS, writeExport, type ExportFormat, type ExportMeta } from '../../electron/core/exports/formats/index.js';
import {
  createMasker,
  getMaskingProfile,
  MASKING_PROFILES,
  pseudonym,
  REDACTED,
  type MaskingProfile,
} from '../../electron/core/exports/masking.js';

const dir = mkdtempSync(join(tmpdir(), 'custos-masking-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

const KEY = Buffer.alloc(32, 7);
const TOKEN = /^anon-[0-9a-f]{16}$/;

function chain(raw: Omit<LedgerEvent, 'seq' | 'prev_hash' | 'hash'>[]): LedgerEvent[] {
  const list: LedgerEvent[] = [];
  let prev = ZERO_HASH;
  raw.forEach((r, i) => {
    const body = { seq: i + 1, ...r, prev_hash: prev };
    const e = { ...body, hash: eventHash(body) };
    list.push(e);
    prev = e.hash;
  });
  return list;
}

const ts = (i: number): string => new Date(Date.UTC(2025, 1, 1) + i * 3_600_000).toISOString();

// People named in the records; none of these may survive a people-masking export.
const PEOPLE = {
  officer: 'dana.whitfield',
  student: 'Jane Roe',
  studentEmail: 'jane.roe@students.lincoln.example.edu',
  studentId: 'S-20931',
  custodian: 'Marcus Oyelaran',
  recipient: 'Priya Natarajan',
  recipientEmail: 'p.natarajan@lawfirm.example.com',
  parent: 'Olga Roe-Petrova',
};
const SECRETS = Object.values(PEOPLE);

const EVENTS = chain([
  {
    ts: ts(0),
    actor: PEOPLE.officer,
    action: 'disclosure.record',
    resource_type: 'disclosure',
    resource_id: 'DSC-1',
    outcome: 'success',
    details: {
      student: PEOPLE.student,
      student_id: PEOPLE.studentId,
      recipient: { name: PEOPLE.recipient, email: PEOPLE.recipientEmail, organisation: 'Hale & Partners' },
      purpose: 'subpoena response',
      note: `Records of ${PEOPLE.student} sent by courier`,
    },
  },
  {
    ts: ts(1),
    actor: PEOPLE.officer,
    action: 'evidence.custody.transfer',
    resource_type: 'evidence',
    resource_id: 'EV-77',
    outcome: 'success',
    details: { custodians: [PEOPLE.custodian, PEOPLE.officer], location: 'vault B' },
  },
  {
    ts: ts(2),
    actor: PEOPLE.custodian,
    action: 'users.update',
    resource_type: 'user',
    resource_id: PEOPLE.custodian,
    outcome: 'denied',
    details: { changes: { display_name: PEOPLE.custodian, email: PEOPLE.studentEmail }, parent_name: PEOPLE.parent },
  },
  {
    ts: ts(3),
    actor: PEOPLE.student,
    action: 'amendment.request',
    resource_type: 'amendment',
    resource_id: 'AMD-3',
    outcome: 'failure',
    details: { subject: { name: PEOPLE.student, email: PEOPLE.studentEmail }, reason: 'grade recorded wrongly' },
  },
]);

const META: ExportMeta = {
  title: 'Disclosures for review',
  workspaceName: 'Lincoln High Records',
  workspaceId: 'ws-masking',
  generatedAt: '2025-03-01T09:00:00.000Z',
  requestedBy: PEOPLE.officer,
  approvedBy: PEOPLE.custodian,
  filters: { actor: PEOPLE.officer, text: PEOPLE.student, from: '2025-02-01' },
  masking: 'pseudonymize-people',
  checkpoint: { size: 4, root: 'ab'.repeat(32), key_id: 'cd'.repeat(32), signature: 'AAAA' },
};

/** Every string value in an event, keys excluded. */
function strings(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(strings);
  if (node !== null && typeof node === 'object') return Object.values(node).flatMap(strings);
  return [];
}

describe('pseudonyms', () => {
  it('are anon- plus 16 hex digits of HMAC-SHA256 under the export key', () => {
    const t = pseudonym(KEY, PEOPLE.student);
    expect(t).toMatch(TOKEN);
    expect(t).toBe(`anon-${createHmac('sha256', KEY).update(PEOPLE.student).digest('hex').slice(0, 16)}`);
  });

  it('are stable within one masker and differ under another key', () => {
    const a = createMasker(MASKING_PROFILES['pseudonymize-people']!, KEY);
    const b = createMasker(MASKING_PROFILES['pseudonymize-people']!, randomBytes(32));
    expect(a.token('x')).toBe(a.token('x'));
    expect(a.token('x')).not.toBe(a.token('y'));
    expect(a.token('x')).not.toBe(b.token('x'));
  });

  it('refuse a key shorter than 32 bytes', () => {
    expect(() => createMasker(MASKING_PROFILES.none!, Buffer.alloc(16))).toThrow(/at least 32 random bytes/);
  });
});

describe('masking profiles', () => {
  it('none leaves events untouched', () => {
    const mask = createMasker(getMaskingProfile('none'), KEY);
    for (const e of EVENTS) expect(mask(e)).toEqual(e);
  });

  it('pseudonymize-people replaces every person, keeps everything else and the hashes', () => {
    const mask = createMasker(getMaskingProfile('pseudonymize-people'), KEY);
    const masked = EVENTS.map(mask);
    const t = (v: string): string => mask.token(v);

    expect(masked[0]!.actor).toBe(t(PEOPLE.officer));
    expect(masked[0]!.details).toEqual({
      student: t(PEOPLE.student),
      student_id: t(PEOPLE.studentId),
      recipient: { name: t(PEOPLE.recipient), email: t(PEOPLE.recipientEmail), organisation: t('Hale & Partners') },
      purpose: 'subpoena response',
      // Free text in the same event: the masked name is replaced by the same token.
      note: `Records of ${t(PEOPLE.student)} sent by courier`,
    });
    expect(masked[1]!.details).toEqual({ custodians: [t(PEOPLE.custodian), t(PEOPLE.officer)], location: 'vault B' });
    // A user resource names a person; an evidence resource does not.
    expect(masked[2]!.resource_id).toBe(t(PEOPLE.custodian));
    expect(masked[1]!.resource_id).toBe('EV-77');
    expect(masked[2]!.details).toEqual({ changes: { display_name: t(PEOPLE.custodian), email: t(PEOPLE.studentEmail) }, parent_name: t(PEOPLE.parent) });
    expect(masked[3]!.details).toEqual({ subject: { name: t(PEOPLE.student), email: t(PEOPLE.studentEmail) }, reason: 'grade recorded wrongly' });

    masked.forEach((m, i) => {
      const e = EVENTS[i]!;
      expect([m.seq, m.ts, m.action, m.resource_type, m.outcome, m.prev_hash, m.hash]).toEqual([e.seq, e.ts, e.action, e.resource_type, e.outcome, e.prev_hash, e.hash]);
      for (const s of strings(m)) for (const secret of SECRETS) expect(s).not.toContain(secret);
    });
    // The source events are not modified.
    expect(EVENTS[0]!.actor).toBe(PEOPLE.officer);
  });

  it('redact-people redacts the same fields', () => {
    const masked = EVENTS.map(createMasker(getMaskingProfile('redact-people'), KEY));
    expect(masked[0]!.actor).toBe(REDACTED);
    expect(masked[0]!.details.note).toBe(`Records of ${REDACTED} sent by courier`);
    expect(masked[1]!.details.custodians).toEqual([REDACTED, REDACTED]);
    for (const m of masked) for (const s of strings(m)) for (const secret of SECRETS) expect(s).not.toContain(secret);
  });

  it('redact-details redacts every details value and keeps the keys', () => {
    const mask = createMasker(getMaskingProfile('redact-details'), KEY);
    expect(mask(EVENTS[0]!).actor).toBe(PEOPLE.officer);
    const masked = mask(EVENTS[1]!);
    expect(masked.details).toEqual({ custodians: [REDACTED, REDACTED], location: REDACTED });
    // The actor is also one of the masked custodians: a value masked in an event is masked
    // wherever else it appears in that event.
    expect(masked.actor).toBe(REDACTED);
  });

  it('handles nested paths, wildcards and arrays in custom profiles', () => {
    const profile: MaskingProfile = {
      name: 'custom',
      fields: { 'details.case.*.ssn': 'redact', 'details.**.*_code': 'pseudonymize', 'details.top': 'pseudonymize' },
    };
    const mask = createMasker(profile, KEY);
    const e = { ...EVENTS[0]!, details: { case: { a: { ssn: '123-45-6789' }, b: [{ ssn: '987-65-4321' }] }, deep: { x: { zip_code: '02139' } }, top: 42, ssn: 'kept' } };
    expect(mask(e).details).toEqual({
      case: { a: { ssn: REDACTED }, b: [{ ssn: REDACTED }] },
      deep: { x: { zip_code: mask.token('02139') } },
      top: mask.token('42'),
      ssn: 'kept',
    });
  });

  it('rejects a field that cannot be masked', () => {
    const err = (() => {
      try {
        createMasker({ name: 'bad', fields: { hash: 'redact' } }, KEY);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(isCustosError(err, 'validation')).toBe(true);
  });
});

describe('directory-information opt-outs', () => {
  const optedOut = new Set([PEOPLE.studentId, PEOPLE.student]);

  it('are redacted everywhere even when the profile masks nothing, with the directory fields of their events', () => {
    const mask = createMasker(getMaskingProfile('none'), KEY, { optedOut });
    const masked = EVENTS.map(mask);
    expect(masked[0]!.details.student).toBe(REDACTED);
    expect(masked[0]!.details.student_id).toBe(REDACTED);
    expect(masked[0]!.details.note).toBe(`Records of ${REDACTED} sent by courier`);
    // The event mentions an opted-out student, so the directory information in it goes too.
    expect(masked[0]!.details.recipient).toEqual({ name: REDACTED, email: REDACTED, organisation: 'Hale & Partners' });
    expect(masked[3]!.actor).toBe(REDACTED);
    expect(masked[3]!.details.subject).toEqual({ name: REDACTED, email: REDACTED });
    // Events that do not mention them are unchanged.
    expect(masked[1]).toEqual(EVENTS[1]);
    for (const m of masked) for (const s of strings(m)) expect(s.toLowerCase()).not.toContain(PEOPLE.student.toLowerCase());
  });

  it('win over pseudonymization (a stable token would still link their rows), case-insensitively', () => {
    const mask = createMasker(getMaskingProfile('pseudonymize-people'), KEY, { optedOut: ['jane roe'] });
    const masked = mask(EVENTS[3]!);
    expect(masked.actor).toBe(REDACTED);
    expect(masked.details.subject).toEqual({ name: REDACTED, email: REDACTED });
  });
});

describe('meta masking', () => {
  it('masks filters and requester/approver with the same tokens as the events', () => {
    const mask = createMasker(getMaskingProfile('pseudonymize-people'), KEY);
    const meta = mask.meta({ ...META, title: `Disclosures concerning ${PEOPLE.student}` });
    expect(meta.filters).toEqual({ actor: mask.token(PEOPLE.officer), text: REDACTED, from: '2025-02-01' });
    expect(meta.title).toBe(`Disclosures concerning ${REDACTED}`);
    expect(meta.requestedBy).toBe(mask(EVENTS[0]!).actor);
    expect(meta.approvedBy).toBe(mask.token(PEOPLE.custodian));
    expect(META.filters.actor).toBe(PEOPLE.officer);
  });
});

describe('no masked value appears anywhere in an exported file', () => {
  const secretBytes = SECRETS.map((s) => Buffer.from(s, 'utf8'));

  async function exportWith(format: ExportFormat, key: Buffer | null): Promise<{ path: string; bytes: Buffer }> {
    const path = join(dir, `masked-${++fileNo}.${format}`);
    if (key) {
      const masker = createMasker(getMaskingProfile('pseudonymize-people'), key);
      await writeExport(format, EVENTS, path, masker.meta(META), { mask: masker });
    } else {
      await writeExport(format, EVENTS, path, META);
    }
    return { path, bytes: readFileSync(path) };
  }

  function pdfText(path: string): string {
    return execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' });
  }

  for (const format of EXPORT_FORMATS) {
    it(`${format}: the unmasked export shows the people (the check can fail), the masked one shows none`, async () => {
      const plain = await exportWith(format, null);
      const plainText = format === 'pdf' ? pdfText(plain.path) : plain.bytes.toString('utf8');
      for (const s of [PEOPLE.officer, PEOPLE.custodian, PEOPLE.student]) expect(plainText).toContain(s);

      const masked = await exportWith(format, KEY);
      for (const secret of secretBytes) expect(masked.bytes.includes(secret)).toBe(false);
      const text = format === 'pdf' ? pdfText(masked.path) : masked.bytes.toString('utf8');
      for (const s of SECRETS) expect(text).not.toContain(s);
      // The pseudonyms are there instead, the same one for the same person on every row.
      const officerToken = pseudonym(KEY, PEOPLE.officer);
      expect(text.split(officerToken).length - 1).toBeGreaterThanOrEqual(format === 'pdf' ? 2 : 3);

      // Another export (another key) gives the same person another pseudonym.
      const other = await exportWith(format, randomBytes(32));
      const otherText = format === 'pdf' ? pdfText(other.path) : other.bytes.toString('utf8');
      expect(otherText).not.toContain(officerToken);
      expect(otherText.match(/anon-[0-9a-f]{16}/g)?.length ?? 0).toBeGreaterThan(0);
    }, 30_000);
  }
});
