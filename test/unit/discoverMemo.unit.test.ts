import { describe, expect, it } from 'vitest';
import { composeInMemory } from '../../src/compose.js';
import { windowsOfSector } from '../../src/domain/restaurants/restaurant.js';
import { startPreferenceOf } from '../../src/domain/seating/candidateOrder.js';
import { discoverSeatings } from '../../src/domain/seating/discoverSeatings.js';
import { searchWindows, spanOf } from '../../src/domain/seating/searchWindow.js';
import { parseLocalTime } from '../../src/domain/time/localTime.js';
import { isAppError } from '../../src/errors/catalogue.js';

const DATE = '2025-10-22';
const ADMIN = { actor: 'admin' };

/**
 * The per-revision memos behind discover (each table's free gaps, the engine's
 * grid per window and stay length) must never answer from a state the sector has
 * left. The answer cache is off, so every answer below runs the engine on them;
 * each is compared with the engine run from scratch on the store's current blocks.
 */
describe('discover memos (answer cache off)', () => {
  it('answer every party from the current state after each booking and cancel, never from a kept grid', async () => {
    const { app, deps } = composeInMemory({ discoverCacheEntries: 0 });
    await app.seedDemo(ADMIN);
    const where = { restaurantId: 'R1', sectorId: 'S1', date: DATE } as const;
    const restaurant = (await deps.reads.restaurant('R1'))!;
    const sector = (await deps.reads.sector('S1'))!;

    /** The engine on what the store holds now, with nothing kept between calls. */
    const fromScratch = async (partySize: number, windowStart: string, windowEnd: string) => {
      const area = searchWindows({
        zone: restaurant.timezone,
        date: DATE,
        serviceWindows: windowsOfSector(restaurant, sector),
        windowStart: parseLocalTime(windowStart)!,
        windowEnd: parseLocalTime(windowEnd)!,
      })!;
      const [tables, blocks] = await Promise.all([deps.reads.tablesOfSector('S1'), deps.reads.seatBlocks('S1', spanOf(area.service))]);
      return discoverSeatings({
        zone: restaurant.timezone,
        windows: area.windows,
        service: area.service,
        prefer: startPreferenceOf({ windowStart, windowEnd }),
        partySize,
        durationMinutes: 90,
        tables,
        blocks,
        limit: 10,
      }).map((candidate) => ({
        tableIds: candidate.tableIds,
        start: candidate.start,
        score: candidate.score,
        rationale: candidate.rationale,
      }));
    };
    const viaApp = async (partySize: number, windowStart: string, windowEnd: string) => {
      try {
        const answer = await app.discover({ ...where, partySize, duration: 90, windowStart, windowEnd, limit: 10 });
        return answer.candidates.map((candidate) => ({
          tableIds: candidate.tableIds,
          start: Date.parse(candidate.start),
          score: candidate.score,
          rationale: candidate.rationale,
        }));
      } catch (error) {
        if (isAppError(error) && error.code === 'no_capacity') return [];
        throw error;
      }
    };
    const windows = [
      ['20:00', '23:45'],
      ['12:00', '16:00'],
    ] as const;
    const expectCurrent = async (step: string) => {
      for (const [windowStart, windowEnd] of windows) {
        for (let partySize = 1; partySize <= 8; partySize++) {
          expect(await viaApp(partySize, windowStart, windowEnd), `${step}: party ${partySize}, ${windowStart}–${windowEnd}`).toEqual(
            await fromScratch(partySize, windowStart, windowEnd),
          );
        }
      }
    };

    await expectCurrent('before any booking');
    const booked: string[] = [];
    // Book the evening's best seat for two again and again: each booking must move every answer at once.
    for (let i = 0; i < 6; i++) {
      const before = (await viaApp(2, '20:00', '23:45'))[0];
      if (!before) break;
      const created = await app.createBooking(
        { ...where, partySize: 2, durationMinutes: 90, windowStart: '20:00', windowEnd: '23:45' },
        ADMIN,
      );
      booked.push(created.body.id);
      await expectCurrent(`after booking ${i + 1}`);
      // The seat just booked is not offered again.
      const after = (await viaApp(2, '20:00', '23:45'))[0];
      expect(after && after.start === before.start && after.tableIds.join() === before.tableIds.join()).toBeFalsy();
    }
    expect(booked.length).toBeGreaterThan(2);
    // Freed seats come back at once too.
    for (const id of booked) {
      await app.cancelBooking(id, ADMIN);
      await expectCurrent(`after cancelling ${id}`);
    }
  });
});
