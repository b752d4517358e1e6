import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deadline } from '../../shared/contract/deadlines.js';
import { calendarDate, canonicalTimeZone, dayCountLabel, daysUntil, machineTimeZone } from '../../shared/day-count.js';
import { ferpaFixture, type FerpaFixture } from './helpers/ferpa-workspace.js';

// Issue 15 item 2: days left are calendar days in the workspace's time zone, counted by one
// function (shared/day-count.ts) for the due list, the Dashboard, the details panes and the screens.

const at = (iso: string) => new Date(iso);

describe('calendar days in a time zone', () => {
  it('counts the days of the issue: same due day, same count; due today is "due today"; 22 November is 10 days overdue on 2 December', () => {
    const now = at('2026-12-02T07:04:00Z');
    const zone = 'Europe/Berlin';
    // Two items due on 5 December, one at the start and one late in the day: both 3 days left.
    expect(daysUntil('2026-12-05T00:00:00.000Z', now, zone)).toBe(3);
    expect(daysUntil('2026-12-05T21:30:00.000Z', now, zone)).toBe(3);
    expect(daysUntil('2026-12-02T22:00:00.000Z', now, zone)).toBe(0);
    expect(dayCountLabel(daysUntil('2026-12-02T22:00:00.000Z', now, zone))).toBe('due today');
    expect(dayCountLabel(daysUntil('2026-11-22T00:00:00.000Z', now, zone))).toBe('10 days overdue');
  });

  it('says it in words with plurals', () => {
    expect([0, 1, 2, -1, -10].map(dayCountLabel)).toEqual(['due today', '1 day left', '2 days left', '1 day overdue', '10 days overdue']);
  });

  it('turns at midnight of the zone, not of UTC', () => {
    const due = '2026-06-10T15:00:00.000Z';
    // 23:59 and 00:01 in New York (UTC−4 in June) on either side of midnight of 9 → 10 June.
    expect(daysUntil(due, at('2026-06-10T03:59:00Z'), 'America/New_York')).toBe(1);
    expect(daysUntil(due, at('2026-06-10T04:01:00Z'), 'America/New_York')).toBe(0);
    // The same instants in Berlin (UTC+2) are both already on 10 June.
    expect(daysUntil(due, at('2026-06-10T03:59:00Z'), 'Europe/Berlin')).toBe(0);
    // The day after the due day, at one minute past midnight, it is one day overdue.
    expect(daysUntil(due, at('2026-06-11T04:01:00Z'), 'America/New_York')).toBe(-1);
    // A due instant late in the evening of its zone belongs to that day, not the next UTC day.
    expect(calendarDate('2026-06-11T03:30:00.000Z', 'America/New_York')).toBe('2026-06-10');
  });

  it('counts whole days across the DST changes of New York and Berlin', () => {
    // New York springs forward on 8 March 2026 (a 23-hour day) and falls back on 1 November (25 hours).
    // 04:30Z on 8 March is 23:30 on 7 March there: two days before the 9th; an hour later it is the 8th.
    expect(calendarDate(at('2026-03-08T04:30:00Z'), 'America/New_York')).toBe('2026-03-07');
    expect(daysUntil('2026-03-09T16:00:00.000Z', at('2026-03-08T04:30:00Z'), 'America/New_York')).toBe(2);
    expect(daysUntil('2026-03-09T16:00:00.000Z', at('2026-03-08T05:30:00Z'), 'America/New_York')).toBe(1);
    // Start and end of the 23-hour day: the same day (22 h 58 min apart, which rounding up would call "1 day left").
    expect(daysUntil('2026-03-08T23:59:00-04:00', at('2026-03-08T00:01:00-05:00'), 'America/New_York')).toBe(0);
    expect(daysUntil('2026-11-02T00:30:00-05:00', at('2026-11-01T00:30:00-04:00'), 'America/New_York')).toBe(1);
    expect(daysUntil('2026-11-01T23:30:00-05:00', at('2026-11-01T00:30:00-04:00'), 'America/New_York')).toBe(0);
    // Berlin: 29 March 2026 (02:00 → 03:00) and 25 October 2026 (03:00 → 02:00).
    expect(daysUntil('2026-03-30T00:15:00+02:00', at('2026-03-29T00:15:00+01:00'), 'Europe/Berlin')).toBe(1);
    expect(daysUntil('2026-10-26T00:15:00+01:00', at('2026-10-25T23:45:00+01:00'), 'Europe/Berlin')).toBe(1);
    expect(daysUntil('2026-10-24T23:45:00+02:00', at('2026-10-25T00:15:00+02:00'), 'Europe/Berlin')).toBe(-1);
  });

  it('reads a date entered without a time (stored as 00:00Z) as that date in every zone', () => {
    for (const zone of ['America/Los_Angeles', 'America/New_York', 'UTC', 'Europe/Berlin', 'Pacific/Auckland']) {
      expect(calendarDate('2026-01-31T00:00:00.000Z', zone), zone).toBe('2026-01-31');
      expect(calendarDate('2026-01-31', zone), zone).toBe('2026-01-31');
    }
  });

  it('knows zones by their IANA names and refuses others', () => {
    expect(canonicalTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('Mars/Olympus')).toBeNull();
    expect(canonicalTimeZone(machineTimeZone())).toBe(machineTimeZone());
  });
});

describe("the due list counts in the workspace's time zone", () => {
  let f: FerpaFixture;
  beforeAll(async () => {
    f = await ferpaFixture();
    f.addSubject({ id: 'STU-7001', name: 'Ada Park' });
    await f.call('subpoenas.receive', {
      subjectId: 'STU-7001', issuer: 'County Attorney', type: 'civil', requestedRecords: 'Transcript.', servedAt: '2026-11-20', dueAt: '2026-12-05',
    });
  });
  afterAll(() => f.close());

  const response = async (asOf: string): Promise<Deadline> => {
    const { items } = await f.call('deadlines.list', { asOf, kinds: ['subpoena_response'] });
    expect(items).toHaveLength(1);
    return items[0]!;
  };

  it("defaults to the machine's zone, says so, and an administrator fixes one (ledgered)", async () => {
    const me = await f.call('session.me', {});
    expect(me).toMatchObject({ timeZone: machineTimeZone(), timeZoneFromMachine: true });
    const set = await f.call('workspace.setTimeZone', { timeZone: 'America/New_York' });
    expect(set).toEqual({ timeZone: 'America/New_York', timeZoneFromMachine: false });
    expect(await f.call('session.me', {})).toMatchObject({ timeZone: 'America/New_York', timeZoneFromMachine: false });
    const bad = await f.result('workspace.setTimeZone', { timeZone: 'Mars/Olympus' });
    expect(!bad.ok && bad.error.code).toBe('validation');
    const denied = await f.result('workspace.setTimeZone', { timeZone: 'UTC' }, 'compliance_officer');
    expect(!denied.ok && denied.error.code).toBe('forbidden');
  });

  it('shows the due day and the days left on the calendar of that zone', async () => {
    await f.call('workspace.setTimeZone', { timeZone: 'America/New_York' });
    // 2 December 2026, 23:30 in New York (04:30Z on the 3rd): still the 2nd there, 3 days before the 5th.
    expect(await response('2026-12-03T04:30:00.000Z')).toMatchObject({ dueDate: '2026-12-05', daysRemaining: 3, overdue: false });
    // The due day itself, late in the evening: due today, not overdue.
    expect(await response('2026-12-06T04:30:00.000Z')).toMatchObject({ daysRemaining: 0, overdue: false });
    // Just after midnight in New York on the 6th: one day overdue.
    expect(await response('2026-12-06T05:01:00.000Z')).toMatchObject({ daysRemaining: -1, overdue: true });
    await f.call('workspace.setTimeZone', { timeZone: 'Europe/Berlin' });
    // The same instant is already 6 December in Berlin.
    expect(await response('2026-12-06T04:30:00.000Z')).toMatchObject({ daysRemaining: -1, overdue: true });
  });
});
