import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareSeatings, scoreOf } from '../../src/domain/seating/candidateOrder.js';
import { addDays, parseCalendarDate } from '../../src/domain/time/calendarDate.js';
import { overlaps } from '../../src/domain/time/interval.js';
import { isOnGrid, parseLocalTime } from '../../src/domain/time/localTime.js';
import { describeWindowProblem, resolveRequestedWindow, resolveServiceWindows } from '../../src/domain/time/serviceWindows.js';
import { boundaryInstant, formatInstant, instantsOfLocal, localMinuteOf, localPartsOf } from '../../src/domain/time/zone.js';

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

describe('calendar dates', () => {
  it('refuses impossible dates and accepts leap days', () => {
    expect(parseCalendarDate('2025-02-30')).toBeNull();
    expect(parseCalendarDate('2025-02-29')).toBeNull();
    expect(parseCalendarDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(parseCalendarDate('2025-13-01')).toBeNull();
    expect(parseCalendarDate('2025-04-31')).toBeNull();
    expect(parseCalendarDate('2025-4-1')).toBeNull();
  });

  it('adds days across months and years', () => {
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-03-09', 1)).toBe('2025-03-10');
  });
});

describe('local times', () => {
  it('parses HH:mm and checks the grid', () => {
    expect(parseLocalTime('00:00')).toBe(0);
    expect(parseLocalTime('23:45')).toBe(1425);
    expect(parseLocalTime('24:00')).toBeNull();
    expect(parseLocalTime('7:00')).toBeNull();
    expect(isOnGrid(615)).toBe(true);
    expect(isOnGrid(610)).toBe(false);
  });

  it('intervals are half-open: touching ones do not overlap', () => {
    expect(overlaps({ start: 0, end: 10 }, { start: 10, end: 20 })).toBe(false);
    expect(overlaps({ start: 0, end: 11 }, { start: 10, end: 20 })).toBe(true);
  });
});

describe('zones and DST', () => {
  it('a spring-forward local time has no instant; a fall-back one has two, an hour apart', () => {
    expect(instantsOfLocal('America/New_York', '2025-03-09', 150)).toEqual([]);
    expect(instantsOfLocal('America/New_York', '2025-03-09', 90)).toEqual([at('2025-03-09T01:30:00-05:00')]);
    expect(instantsOfLocal('America/New_York', '2025-11-02', 90)).toEqual([
      at('2025-11-02T01:30:00-04:00'),
      at('2025-11-02T01:30:00-05:00'),
    ]);
    expect(instantsOfLocal('Europe/London', '2025-03-30', 60)).toEqual([]);
    expect(instantsOfLocal('Europe/London', '2025-10-26', 60)).toEqual([at('2025-10-26T01:00:00+01:00'), at('2025-10-26T01:00:00+00:00')]);
  });

  it('boundaries: a gap pushes forward, a repeated hour opens on the first and closes on the second occurrence', () => {
    expect(boundaryInstant('America/New_York', '2025-03-09', 150, 'start')).toBe(at('2025-03-09T03:30:00-04:00'));
    expect(boundaryInstant('America/New_York', '2025-11-02', 90, 'start')).toBe(at('2025-11-02T01:30:00-04:00'));
    expect(boundaryInstant('America/New_York', '2025-11-02', 90, 'end')).toBe(at('2025-11-02T01:30:00-05:00'));
  });

  it('the whole local day is 23, 24 or 25 elapsed hours', () => {
    const length = (zone: string, date: string) => {
      const [day] = resolveServiceWindows(zone, date, undefined);
      return (day!.end - day!.start) / HOUR;
    };
    expect(length('America/New_York', '2025-03-09')).toBe(23);
    expect(length('America/New_York', '2025-11-02')).toBe(25);
    expect(length('America/New_York', '2025-06-01')).toBe(24);
    expect(length('Europe/London', '2025-03-30')).toBe(23);
    expect(length('Europe/London', '2025-10-26')).toBe(25);
    expect(length('Australia/Lord_Howe', '2025-10-05')).toBe(23.5);
  });

  it('formats instants with the offset in force at that instant', () => {
    expect(formatInstant('America/New_York', at('2025-03-09T06:45:00Z'))).toBe('2025-03-09T01:45:00-05:00');
    expect(formatInstant('America/New_York', at('2025-03-09T07:00:00Z'))).toBe('2025-03-09T03:00:00-04:00');
    expect(formatInstant('Asia/Kathmandu', at('2025-06-15T00:00:00Z'))).toBe('2025-06-15T05:45:00+05:45');
    expect(formatInstant('America/Argentina/Buenos_Aires', at('2025-10-22T23:30:00Z'), true)).toBe('2025-10-22T20:30:00.000-03:00');
    expect(localPartsOf('Asia/Tokyo', at('2025-10-22T15:30:00Z'))).toEqual({ date: '2025-10-23', minute: 30 });
  });

  it('formatting round-trips through Date.parse for any instant in 2000–2100 of a few zones', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2000-01-01T00:00:00Z') / 60_000, max: Date.parse('2100-01-01T00:00:00Z') / 60_000 }),
        fc.constantFrom('UTC', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns'),
        (minute, zone) => {
          const instant = minute * 60_000;
          expect(Date.parse(formatInstant(zone, instant))).toBe(instant);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("a local minute is localPartsOf's minute, before 1970 and under odd historic offsets too", () => {
    fc.assert(
      fc.property(
        // Any millisecond from 1850 (local mean time, offsets with seconds) to 2100.
        fc.integer({ min: Date.parse('1850-01-01T00:00:00Z'), max: Date.parse('2100-01-01T00:00:00Z') }),
        fc.constantFrom('UTC', 'America/New_York', 'Europe/Amsterdam', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Africa/Monrovia'),
        (instant, zone) => {
          expect(localMinuteOf(zone, instant)).toBe(localPartsOf(zone, instant).minute);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});

describe('service windows', () => {
  it('a window crossing midnight ends on the next date; 00:00 as end is the closing midnight', () => {
    const [night] = resolveServiceWindows('America/Argentina/Buenos_Aires', '2025-10-22', [{ start: '20:00', end: '02:00' }]);
    expect(night).toEqual({ start: at('2025-10-22T20:00:00-03:00'), end: at('2025-10-23T02:00:00-03:00') });
    const [evening] = resolveServiceWindows('America/Argentina/Buenos_Aires', '2025-10-22', [{ start: '18:00', end: '00:00' }]);
    expect(evening).toEqual({ start: at('2025-10-22T18:00:00-03:00'), end: at('2025-10-23T00:00:00-03:00') });
  });

  it('windows apart on the wall clock but overlapping in a repeated hour become one', () => {
    // New York falls back at 02:00 EDT: 00:00–01:00 ends at 01:00 EST, after 01:15 EDT starts the second window.
    const windows = [
      { start: '00:00', end: '01:00' },
      { start: '01:15', end: '01:30' },
    ];
    expect(resolveServiceWindows('America/New_York', '2025-11-02', windows)).toEqual([
      { start: at('2025-11-02T00:00:00-04:00'), end: at('2025-11-02T01:30:00-05:00') },
    ]);
    expect(resolveServiceWindows('America/New_York', '2025-11-09', windows)).toHaveLength(2);
    const touching = [
      { start: '12:00', end: '15:00' },
      { start: '15:00', end: '18:00' },
    ];
    expect(resolveServiceWindows('America/New_York', '2025-11-02', touching)).toHaveLength(2);
  });

  it('requested times after midnight in a crossing window are the next day', () => {
    const windows = [{ start: '20:00', end: '02:00' }];
    const zone = 'America/Argentina/Buenos_Aires';
    expect(resolveRequestedWindow(zone, '2025-10-22', windows, 30, 90)).toEqual({
      start: at('2025-10-23T00:30:00-03:00'),
      end: at('2025-10-23T01:30:00-03:00'),
    });
    expect(resolveRequestedWindow(zone, '2025-10-22', windows, 23 * 60, 60)).toEqual({
      start: at('2025-10-22T23:00:00-03:00'),
      end: at('2025-10-23T01:00:00-03:00'),
    });
    expect(resolveRequestedWindow(zone, '2025-10-22', windows, 22 * 60, 0)).toEqual({
      start: at('2025-10-22T22:00:00-03:00'),
      end: at('2025-10-23T00:00:00-03:00'),
    });
  });

  it('describes unusable window lists', () => {
    expect(
      describeWindowProblem([
        { start: '12:00', end: '16:00' },
        { start: '20:00', end: '23:45' },
      ]),
    ).toBeNull();
    expect(describeWindowProblem([{ start: '20:00', end: '02:00' }])).toBeNull();
    expect(describeWindowProblem([{ start: '12:10', end: '16:00' }])).not.toBeNull();
    expect(describeWindowProblem([{ start: '12:00', end: '12:00' }])).not.toBeNull();
    expect(
      describeWindowProblem([
        { start: '12:00', end: '16:00' },
        { start: '15:00', end: '18:00' },
      ]),
    ).not.toBeNull();
    expect(
      describeWindowProblem([
        { start: '01:00', end: '05:00' },
        { start: '20:00', end: '02:00' },
      ]),
    ).not.toBeNull();
  });
});

describe('score follows the selection order', () => {
  it('never rises along compareSeatings order', () => {
    const seating = fc.record({
      tables: fc.integer({ min: 1, max: 14 }),
      waste: fc.integer({ min: 0, max: 30 }),
      flushShare: fc.double({ min: 0, max: 1, noNaN: true }),
      slack: fc.integer({ min: 0, max: 24 * 60 }).map((minutes) => minutes * 60_000),
      startIndex: fc.integer({ min: 0, max: 199 }),
    });
    fc.assert(
      fc.property(seating, seating, fc.constantFrom('earliest' as const, 'flush' as const), (a, b, prefer) => {
        const flushOf = (s: typeof a) => Math.round(s.flushShare * s.tables);
        const rank = (s: typeof a) => ({
          tableIds: Array.from({ length: s.tables }, (_, i) => `t${i}`),
          waste: s.waste,
          flush: flushOf(s),
          slack: s.slack,
          start: s.startIndex,
        });
        const score = (s: typeof a) =>
          scoreOf({ tableCount: s.tables, waste: s.waste, flush: flushOf(s), startIndex: s.startIndex }, 200, prefer);
        if (compareSeatings(rank(a), rank(b), prefer) < 0) expect(score(a)).toBeGreaterThanOrEqual(score(b));
      }),
      { numRuns: 2000 },
    );
  });
});
