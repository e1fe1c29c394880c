import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bookableStay,
  bucketOf,
  learnedCell,
  learnTurnTimes,
  predictionError,
  serviceKeyOf,
  weekdayOf,
  type TurnSample,
} from '../../src/domain/insight/turnTimes.js';

const sample = (partySize: number, weekday: number, service: string, minutes: number, bookedMinutes = 90): TurnSample => ({
  partySize,
  weekday,
  service,
  minutes,
  bookedMinutes,
});

describe('turn times', () => {
  it('buckets parties, names weekdays and services', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 40].map(bucketOf)).toEqual(['1-2', '1-2', '3-4', '3-4', '5-6', '5-6', '7-8', '7-8', '9+', '9+']);
    expect(['2025-11-03', '2025-11-08', '2025-11-09', '2024-02-29'].map(weekdayOf)).toEqual([1, 6, 7, 4]);
    const windows = [
      { start: '12:00', end: '16:00' },
      { start: '20:00', end: '01:00' },
    ];
    expect(serviceKeyOf(windows, 12 * 60)).toBe('12:00');
    expect(serviceKeyOf(windows, 16 * 60)).toBeNull();
    expect(serviceKeyOf(windows, 23 * 60 + 59)).toBe('20:00');
    expect(serviceKeyOf(windows, 30)).toBe('20:00');
    expect(serviceKeyOf(undefined, 30)).toBe('00:00');
  });

  it('takes medians per cell (the mean of the middle two for an even count), with counts', () => {
    const model = learnTurnTimes([
      sample(2, 5, '20:00', 80),
      sample(2, 5, '20:00', 100),
      sample(1, 5, '20:00', 60),
      sample(2, 6, '20:00', 130),
      sample(2, 6, '12:00', 45),
    ]);
    // Friday dinner: 60, 80, 100 → 80. Any dinner: 60, 80, 100, 130 → 90. The bucket: 45, 60, 80, 100, 130 → 80.
    expect(model.get('1-2|5|20:00')).toEqual({
      bucket: '1-2',
      weekday: 5,
      service: '20:00',
      samples: 3,
      medianMinutes: 80,
      meanMinutes: 80,
    });
    expect(model.get('1-2|*|20:00')).toMatchObject({ samples: 4, medianMinutes: 90, meanMinutes: 92.5 });
    expect(model.get('1-2|6|*')).toMatchObject({ samples: 2, medianMinutes: 87.5 });
    expect(model.get('1-2|*|*')).toMatchObject({ samples: 5, medianMinutes: 80 });

    // The finest cell with at least minSamples, else a coarser one, else none.
    expect(learnedCell(model, { partySize: 2, weekday: 5, service: '20:00' }, 3)?.medianMinutes).toBe(80);
    expect(learnedCell(model, { partySize: 2, weekday: 5, service: '20:00' }, 4)?.medianMinutes).toBe(90);
    expect(learnedCell(model, { partySize: 2, weekday: 6, service: '12:00' }, 2)?.medianMinutes).toBe(87.5);
    expect(learnedCell(model, { partySize: 2, weekday: 6 }, 2)?.medianMinutes).toBe(87.5);
    expect(learnedCell(model, { partySize: 2, weekday: 1 }, 5)?.medianMinutes).toBe(80);
    expect(learnedCell(model, { partySize: 2, weekday: 1 }, 6)).toBeNull();
    expect(learnedCell(model, { partySize: 4, weekday: 5, service: '20:00' }, 1)).toBeNull();
  });

  it('measures a prediction against the actual stays', () => {
    const samples = [sample(2, 1, '20:00', 70, 90), sample(2, 1, '20:00', 120, 90)];
    expect(predictionError(samples)).toEqual({ samples: 2, meanAbsoluteMinutes: 25, meanSignedMinutes: 5 });
    expect(predictionError(samples, () => 95)).toEqual({ samples: 2, meanAbsoluteMinutes: 25, meanSignedMinutes: 0 });
    expect(predictionError([])).toEqual({ samples: 0, meanAbsoluteMinutes: 0, meanSignedMinutes: 0 });
  });

  it('a learned stay is always bookable: on the grid, within the range, never shorter than learned unless the range caps it', () => {
    const range = fc
      .tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 12 }))
      .map(([low, extra]) => ({ min: low * 15, max: (low + extra) * 15 }));
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1000, noNaN: true }), range, (minutes, limits) => {
        const stay = bookableStay(minutes, limits);
        expect(stay % 15).toBe(0);
        expect(stay).toBeGreaterThanOrEqual(limits.min);
        expect(stay).toBeLessThanOrEqual(limits.max);
        if (stay < limits.max) expect(stay).toBeGreaterThanOrEqual(minutes);
      }),
    );
  });

  it('the cell chosen always has at least minSamples samples, and its median lies among them', () => {
    const samples = fc.array(
      fc.record({
        partySize: fc.integer({ min: 1, max: 12 }),
        weekday: fc.integer({ min: 1, max: 7 }),
        service: fc.constantFrom('12:00', '20:00'),
        minutes: fc.integer({ min: 10, max: 300 }),
        bookedMinutes: fc.constant(90),
      }),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(
        samples,
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 7 }),
        (all, min, party, day) => {
          const cell = learnedCell(learnTurnTimes(all), { partySize: party, weekday: day, service: '20:00' }, min);
          const sameBucket = all.filter((s) => bucketOf(s.partySize) === bucketOf(party)).map((s) => s.minutes);
          if (cell === null) {
            expect(sameBucket.length).toBeLessThan(min);
            return;
          }
          expect(cell.samples).toBeGreaterThanOrEqual(min);
          expect(cell.medianMinutes).toBeGreaterThanOrEqual(Math.min(...sameBucket));
          expect(cell.medianMinutes).toBeLessThanOrEqual(Math.max(...sameBucket));
        },
      ),
    );
  });
});
