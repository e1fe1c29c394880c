import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBooking, discover, elapsedMinutes, setupRestaurant, startServer, wallClock, type TestServer } from '../support/server.js';

/**
 * One table for two, so that with limit 100 discover lists every start of the day in
 * order: the list is the day's grid as the engine sees it.
 */
const oneTable = (restaurantId: string) => [{ id: `${restaurantId}-X`, minSize: 2, maxSize: 2 }];

async function allStarts(
  ctx: TestServer,
  restaurantId: string,
  date: string,
  duration = 60,
  extra: { windowStart?: string; windowEnd?: string } = {},
) {
  const found = await discover(ctx, { restaurantId, sectorId: `${restaurantId}-S`, date, partySize: 2, duration, limit: 100, ...extra });
  expect(found.status, found.text).toBe(200);
  for (const candidate of found.body.candidates) {
    expect(candidate.tableIds).toEqual([`${restaurantId}-X`]);
    expect(elapsedMinutes(candidate.start, candidate.end)).toBe(duration);
    wallClock(candidate.end);
  }
  const starts = found.body.candidates.map((c) => c.start);
  const instants = starts.map((s) => Date.parse(s));
  for (let i = 1; i < instants.length; i++) expect(instants[i]! - instants[i - 1]!).toBe(15 * 60_000);
  return starts;
}

describe('DST: durations are elapsed minutes, nonexistent local times are never slots', () => {
  let ctx: TestServer;
  beforeAll(async () => {
    ctx = await startServer();
    for (const [id, timezone, windows] of [
      ['NY', 'America/New_York', undefined],
      ['NYW', 'America/New_York', [{ start: '01:00', end: '04:00' }]],
      ['NYF', 'America/New_York', [{ start: '00:00', end: '03:00' }]],
      ['LON', 'Europe/London', undefined],
      ['LHI', 'Australia/Lord_Howe', undefined],
    ] as const) {
      await setupRestaurant(ctx, { id, timezone, windows: windows ? [...windows] : undefined, sectorId: `${id}-S`, tables: oneTable(id) });
    }
  });
  afterAll(async () => {
    await ctx.close();
  });

  describe('America/New_York, spring forward 2025-03-09 (02:00–02:59 does not exist)', () => {
    it('a day without windows is 23 hours long and skips 02:xx', async () => {
      const starts = await allStarts(ctx, 'NY', '2025-03-09');
      // 23 h = 92 quarter hours; a 60-minute stay can start at 92 − 4 + 1 of them.
      expect(starts).toHaveLength(89);
      expect(starts[0]).toBe('2025-03-09T00:00:00-05:00');
      expect(starts.at(-1)).toBe('2025-03-09T23:00:00-04:00');
      expect(starts.filter((s) => wallClock(s).time.startsWith('02:'))).toEqual([]);
      const at = starts.indexOf('2025-03-09T01:45:00-05:00');
      expect(starts[at + 1]).toBe('2025-03-09T03:00:00-04:00');
      for (const start of starts) {
        const instant = Date.parse(start);
        const { offset, date } = wallClock(start);
        expect(date).toBe('2025-03-09');
        expect(offset).toBe(instant < Date.parse('2025-03-09T07:00:00Z') ? '-05:00' : '-04:00');
      }
    });

    it('a 01:00–04:00 window holds two elapsed hours', async () => {
      const starts = await allStarts(ctx, 'NYW', '2025-03-09');
      expect(starts).toEqual([
        '2025-03-09T01:00:00-05:00',
        '2025-03-09T01:15:00-05:00',
        '2025-03-09T01:30:00-05:00',
        '2025-03-09T01:45:00-05:00',
        '2025-03-09T03:00:00-04:00',
      ]);
    });

    it('a stay across the jump lasts its duration in elapsed minutes', async () => {
      const booked = await createBooking(ctx, {
        restaurantId: 'NY',
        sectorId: 'NY-S',
        date: '2025-03-09',
        partySize: 2,
        durationMinutes: 90,
        windowStart: '01:30',
      });
      expect(booked.status, booked.text).toBe(201);
      expect(booked.body.start).toBe('2025-03-09T01:30:00-05:00');
      expect(booked.body.end).toBe('2025-03-09T04:00:00-04:00');
      expect(elapsedMinutes(booked.body.start, booked.body.end)).toBe(90);
    });

    it('a requested window starting inside the gap never yields a 02:xx start', async () => {
      const starts = await allStarts(ctx, 'NY', '2025-03-10', 60); // an ordinary day for contrast
      expect(starts).toHaveLength(93);
      const gap = await allStarts(ctx, 'NY', '2025-03-09', 30, { windowStart: '02:30', windowEnd: '05:00' });
      expect(gap.length).toBeGreaterThan(0);
      for (const start of gap) {
        expect(wallClock(start).time.startsWith('02:')).toBe(false);
        expect(wallClock(start).offset).toBe('-04:00');
        expect(Date.parse(start)).toBeGreaterThanOrEqual(Date.parse('2025-03-09T03:00:00-04:00'));
      }
      expect(gap.at(-1)).toBe('2025-03-09T04:30:00-04:00');
    });
  });

  describe('America/New_York, fall back 2025-11-02 (01:00–01:59 happens twice)', () => {
    it('a day without windows is 25 hours long and the repeated hour gives distinct slots', async () => {
      const starts = await allStarts(ctx, 'NY', '2025-11-02');
      expect(starts).toHaveLength(97);
      expect(starts[0]).toBe('2025-11-02T00:00:00-04:00');
      expect(starts.at(-1)).toBe('2025-11-02T23:00:00-05:00');
      expect(starts).toContain('2025-11-02T01:00:00-04:00');
      expect(starts).toContain('2025-11-02T01:00:00-05:00');
      expect(elapsedMinutes('2025-11-02T01:00:00-04:00', '2025-11-02T01:00:00-05:00')).toBe(60);
      expect(starts.filter((s) => wallClock(s).time.startsWith('01:'))).toEqual([
        '2025-11-02T01:00:00-04:00',
        '2025-11-02T01:15:00-04:00',
        '2025-11-02T01:30:00-04:00',
        '2025-11-02T01:45:00-04:00',
        '2025-11-02T01:00:00-05:00',
        '2025-11-02T01:15:00-05:00',
        '2025-11-02T01:30:00-05:00',
        '2025-11-02T01:45:00-05:00',
      ]);
    });

    it('a 00:00–03:00 window holds four elapsed hours', async () => {
      const starts = await allStarts(ctx, 'NYF', '2025-11-02');
      expect(starts).toHaveLength(13);
      expect(starts[0]).toBe('2025-11-02T00:00:00-04:00');
      expect(starts.at(-1)).toBe('2025-11-02T02:00:00-05:00');
    });

    it('a stay across the repeated hour lasts its duration in elapsed minutes', async () => {
      const booked = await createBooking(ctx, {
        restaurantId: 'NY',
        sectorId: 'NY-S',
        date: '2025-11-02',
        partySize: 2,
        durationMinutes: 120,
        windowStart: '00:30',
      });
      expect(booked.status, booked.text).toBe(201);
      expect(booked.body.start).toBe('2025-11-02T00:30:00-04:00');
      expect(booked.body.end).toBe('2025-11-02T01:30:00-05:00');
      expect(elapsedMinutes(booked.body.start, booked.body.end)).toBe(120);
      expect(booked.body.date).toBe('2025-11-02');
    });
  });

  describe('Europe/London', () => {
    it('2025-03-30: 01:00–01:59 does not exist; the day is 23 hours', async () => {
      const starts = await allStarts(ctx, 'LON', '2025-03-30');
      expect(starts).toHaveLength(89);
      expect(starts.filter((s) => wallClock(s).time.startsWith('01:'))).toEqual([]);
      const at = starts.indexOf('2025-03-30T00:45:00+00:00');
      expect(at).toBeGreaterThanOrEqual(0);
      expect(starts[at + 1]).toBe('2025-03-30T02:00:00+01:00');
      expect(starts.at(-1)).toBe('2025-03-30T23:00:00+01:00');
    });

    it('2025-10-26: 01:00–01:59 repeats (+01:00 then +00:00); the day is 25 hours', async () => {
      const starts = await allStarts(ctx, 'LON', '2025-10-26');
      expect(starts).toHaveLength(97);
      expect(starts.filter((s) => wallClock(s).time === '01:30')).toEqual(['2025-10-26T01:30:00+01:00', '2025-10-26T01:30:00+00:00']);
      const booked = await createBooking(ctx, {
        restaurantId: 'LON',
        sectorId: 'LON-S',
        date: '2025-10-26',
        partySize: 2,
        durationMinutes: 60,
        windowStart: '01:30',
      });
      expect(booked.status, booked.text).toBe(201);
      expect(booked.body.start).toBe('2025-10-26T01:30:00+01:00');
      expect(booked.body.end).toBe('2025-10-26T01:30:00+00:00');
      expect(elapsedMinutes(booked.body.start, booked.body.end)).toBe(60);
    });
  });

  it('Australia/Lord_Howe 2025-10-05: a 30-minute jump (02:00–02:29 missing), the grid stays on :00/:15/:30/:45', async () => {
    const starts = await allStarts(ctx, 'LHI', '2025-10-05');
    // 23.5 h = 94 quarter hours.
    expect(starts).toHaveLength(91);
    const at = starts.indexOf('2025-10-05T01:45:00+10:30');
    expect(starts[at + 1]).toBe('2025-10-05T02:30:00+11:00');
    for (const start of starts) expect(['00', '15', '30', '45']).toContain(wallClock(start).time.slice(3));
  });
});
