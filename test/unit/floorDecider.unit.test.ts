import { describe, expect, it } from 'vitest';
import { occupancyOf, type Booking } from '../../src/domain/bookings/booking.js';
import { evolveBooking, type BookingEvent } from '../../src/domain/bookings/bookingEvents.js';
import {
  decideAutomaticNoShow,
  decideFinish,
  decideNoShow,
  decideSeat,
  decideUndo,
  EARLIEST_SEAT_MINUTES,
} from '../../src/domain/bookings/floorDecisions.js';
import { seatingDay } from '../../src/domain/seating/discoverSeatings.js';
import { planWalkIn, WAIT_HORIZON_MS } from '../../src/domain/seating/walkInSeating.js';
import { isAppError } from '../../src/errors/catalogue.js';

const MINUTE = 60_000;
const START = Date.parse('2025-11-03T22:00:00Z');
const at = (minutes: number) => START + minutes * MINUTE;

function booking(overrides: Partial<Booking> = {}): Booking {
  return {
    id: 'b1',
    restaurantId: 'r1',
    sectorId: 's1',
    date: '2025-11-03',
    tableIds: ['t1'],
    partySize: 2,
    start: at(0),
    end: at(90),
    durationMinutes: 90,
    status: 'CONFIRMED',
    noShowDueAt: at(15),
    createdAt: at(-600),
    updatedAt: at(-600),
    ...overrides,
  };
}

const after = (state: Booking, ...events: BookingEvent[]) => events.reduce<Booking>((b, e) => evolveBooking(b, e)!, state);
const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return isAppError(error) ? error.code : 'not an AppError';
  }
  return 'no error';
};

describe('floor steps', () => {
  it('seats late keeping the booked end, early from the moment of seating, extended for a whole stay', () => {
    expect(occupancyOf(after(booking(), decideSeat(booking(), at(10), false)))).toEqual({ start: at(0), end: at(90) });
    expect(occupancyOf(after(booking(), decideSeat(booking(), at(-30), false)))).toEqual({ start: at(-30), end: at(90) });
    expect(occupancyOf(after(booking(), decideSeat(booking(), at(40), true)))).toEqual({ start: at(0), end: at(130) });
    expect(codeOf(() => decideSeat(booking(), at(-EARLIEST_SEAT_MINUTES - 1), false))).toBe('invalid_transition');
    expect(codeOf(() => decideSeat(booking(), at(90), false))).toBe('invalid_transition');
    expect(codeOf(() => decideSeat(booking({ status: 'PENDING' }), at(0), false))).toBe('invalid_transition');
  });

  it('frees the table from a finish or a no-show, never beyond what was kept', () => {
    const seated = after(booking(), decideSeat(booking(), at(5), false));
    expect(occupancyOf(after(seated, decideFinish(seated, at(50))))).toEqual({ start: at(0), end: at(50) });
    expect(occupancyOf(after(seated, decideFinish(seated, at(120))))).toEqual({ start: at(0), end: at(90) });
    expect(occupancyOf(after(booking(), decideNoShow(booking(), at(20))))).toEqual({ start: at(0), end: at(20) });
    expect(occupancyOf(after(booking(), decideNoShow(booking(), at(0))))).toBeNull();
    expect(codeOf(() => decideFinish(booking(), at(50)))).toBe('invalid_transition');
    expect(codeOf(() => decideNoShow(booking(), at(-1)))).toBe('invalid_transition');
    expect(codeOf(() => decideNoShow(seated, at(30)))).toBe('invalid_transition');
  });

  it('marks a no-show automatically only once its grace ran out, and only a confirmed booking', () => {
    expect(decideAutomaticNoShow(booking(), at(14))).toEqual([]);
    expect(decideAutomaticNoShow(booking(), at(15))).toEqual([
      { type: 'BookingMarkedNoShow', data: { bookingId: 'b1', at: at(15), automatic: true } },
    ]);
    expect(decideAutomaticNoShow(booking({ noShowDueAt: undefined }), at(600))).toEqual([]);
    expect(decideAutomaticNoShow(booking({ status: 'SEATED' }), at(600))).toEqual([]);
  });

  it('undoes the last step while the service lasts, back to what it was', () => {
    const seated = after(booking(), decideSeat(booking(), at(-30), true));
    const unseated = after(seated, decideUndo(seated, at(1), at(300)));
    expect(unseated.status).toBe('CONFIRMED');
    expect(Object.keys(unseated)).not.toContain('seatedAt');
    expect(Object.keys(unseated)).not.toContain('seatedUntil');
    const finished = after(seated, decideFinish(seated, at(40)));
    const back = after(finished, decideUndo(finished, at(45), at(300)));
    expect(back.status).toBe('SEATED');
    expect(Object.keys(back)).not.toContain('finishedAt');
    expect(occupancyOf(back)).toEqual(occupancyOf(seated));
    const missed = after(booking(), decideNoShow(booking(), at(20)));
    expect(occupancyOf(after(missed, decideUndo(missed, at(25), at(300))))).toEqual({ start: at(0), end: at(90) });
    expect(codeOf(() => decideUndo(missed, at(300), at(300)))).toBe('invalid_transition');
    expect(codeOf(() => decideUndo(booking(), at(1), at(300)))).toBe('invalid_transition');
    expect(codeOf(() => decideUndo(booking({ status: 'SEATED', source: 'walk_in', seatedAt: at(0) }), at(1), at(300)))).toBe(
      'invalid_transition',
    );
  });
});

describe('planWalkIn', () => {
  const tables = [
    { id: 'a', minSize: 1, maxSize: 2 },
    { id: 'b', minSize: 2, maxSize: 4 },
  ];
  const now = at(7);
  const dayWith = (blocks: { tableId: string; start: number; end: number }[]) =>
    seatingDay(
      [{ start: now, end: now + WAIT_HORIZON_MS + 180 * MINUTE }],
      tables,
      blocks.map((b) => ({ ...b, source: { kind: 'booking', id: `x-${b.tableId}` } })),
    );
  const search = { zone: 'America/Argentina/Buenos_Aires', partySize: 3, start: now, durationMinutes: 90, allowShort: false };

  it('seats from now for the whole stay, off the grid', () => {
    expect(planWalkIn(dayWith([]), search)).toMatchObject({
      kind: 'full',
      seating: { tableIds: ['b'], start: now, end: now + 90 * MINUTE },
    });
  });

  it('quotes the soonest fit, or seats short up to the next booking when allowed', () => {
    const day = dayWith([
      { tableId: 'b', start: at(60), end: at(120) },
      { tableId: 'a', start: at(0), end: at(200) },
    ]);
    expect(planWalkIn(day, search)).toEqual({ kind: 'none', nextFreeAt: at(120) });
    expect(planWalkIn(day, { ...search, allowShort: true })).toMatchObject({ kind: 'short', seating: { tableIds: ['b'], end: at(60) } });
    const full = dayWith([{ tableId: 'b', start: at(0), end: now + WAIT_HORIZON_MS + 60 * MINUTE }]);
    expect(planWalkIn(full, search)).toEqual({ kind: 'none', nextFreeAt: null });
  });
});
