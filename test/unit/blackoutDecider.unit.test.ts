import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evolveBlackout, type Blackout, type BlackoutEvent, type BlackoutPlaced } from '../../src/domain/blackouts/blackout.js';
import { decideLift, decidePlace, decideResize, type InTheWay, type PlaceBlackout } from '../../src/domain/blackouts/blackoutDecisions.js';
import type { Booking } from '../../src/domain/bookings/booking.js';
import type { BookingCancelled } from '../../src/domain/bookings/bookingEvents.js';
import { AppError } from '../../src/errors/catalogue.js';
import { given } from '../support/decider.js';

const MINUTE = 60_000;
const T0 = Date.parse('2025-06-15T12:00:00Z');
const START = Date.parse('2025-06-15T18:00:00Z');
const END = START + 120 * MINUTE;

const NOTHING: InTheWay = { bookings: [], blackoutIds: [] };

function placeCommand(overrides: Partial<PlaceBlackout> = {}): PlaceBlackout {
  return {
    blackout: {
      id: 'bo1',
      restaurantId: 'r1',
      sectorId: 's1',
      tableIds: ['t1', 't2'],
      wholeSector: false,
      start: START,
      end: END,
      reason: 'maintenance',
    },
    cancelConflicting: false,
    now: T0,
    ...overrides,
  };
}

function blackout(overrides: Partial<Blackout> = {}): Blackout {
  return { ...placeCommand().blackout, status: 'ACTIVE', createdAt: T0, updatedAt: T0, ...overrides };
}

function booking(id: string, updatedAt = T0 - 60 * MINUTE): Booking {
  return {
    id,
    restaurantId: 'r1',
    sectorId: 's1',
    date: '2025-06-15',
    tableIds: ['t1'],
    partySize: 2,
    start: START,
    end: START + 90 * MINUTE,
    durationMinutes: 90,
    status: 'CONFIRMED',
    createdAt: T0 - 60 * MINUTE,
    updatedAt,
  };
}

const placed = (overrides: Partial<Blackout> = {}): BlackoutPlaced => ({ type: 'BlackoutPlaced', data: { blackout: blackout(overrides) } });
const resized = (start: number, end: number, at: number) =>
  ({ type: 'BlackoutResized', data: { blackoutId: 'bo1', start, end, at } }) as const;
const lifted = (at: number) => ({ type: 'BlackoutLifted', data: { blackoutId: 'bo1', at } }) as const;
const cancelled = (bookingId: string, at: number): BookingCancelled => ({ type: 'BookingCancelled', data: { bookingId, at } });

describe('decidePlace', () => {
  it('places a blackout over nothing, ACTIVE from now', () => {
    given(evolveBlackout)
      .when((existing) => decidePlace(placeCommand(), existing, NOTHING))
      .then([placed()]);
  });

  it('copies the tables rather than sharing the command’s array', () => {
    const command = placeCommand();
    const [event] = decidePlace(command, null, NOTHING);
    command.blackout.tableIds.push('t9');
    expect(event).toEqual(placed());
  });

  it('refuses over bookings without cancelConflicting, listing them in id order', () => {
    given(evolveBlackout)
      .when((existing) => decidePlace(placeCommand(), existing, { bookings: [booking('b2'), booking('b1')], blackoutIds: [] }))
      .thenThrows('seats_taken', {
        status: 409,
        detail: '2 booking(s) and 0 blackout(s) hold those tables then; send cancelConflicting: true to cancel the bookings',
        extra: { bookings: ['b1', 'b2'], blackouts: [] },
      });
  });

  it('with cancelConflicting cancels the bookings, in id order, then places the blackout', () => {
    given(evolveBlackout)
      .when((existing) =>
        decidePlace(placeCommand({ cancelConflicting: true }), existing, { bookings: [booking('b2'), booking('b1')], blackoutIds: [] }),
      )
      .then([cancelled('b1', T0), cancelled('b2', T0), placed()]);
  });

  it('cancels a booking listed twice in the way once', () => {
    given(evolveBlackout)
      .when((existing) =>
        decidePlace(placeCommand({ cancelConflicting: true }), existing, { bookings: [booking('b1'), booking('b1')], blackoutIds: [] }),
      )
      .then([cancelled('b1', T0), placed()]);
  });

  it('cancels a booking touched at or after now 1 ms after its updatedAt', () => {
    given(evolveBlackout)
      .when((existing) =>
        decidePlace(placeCommand({ cancelConflicting: true }), existing, {
          bookings: [booking('b1', T0), booking('b2', T0 + 5)],
          blackoutIds: [],
        }),
      )
      .then([cancelled('b1', T0 + 1), cancelled('b2', T0 + 6), placed()]);
  });

  it.each([false, true])('refuses over another blackout even when cancelConflicting is %s', (cancelConflicting) => {
    given(evolveBlackout)
      .when((existing) =>
        decidePlace(placeCommand({ cancelConflicting }), existing, { bookings: [booking('b1')], blackoutIds: ['bo9', 'bo0'] }),
      )
      .thenThrows('seats_taken', {
        detail: '1 booking(s) and 2 blackout(s) hold those tables then',
        extra: { bookings: ['b1'], blackouts: ['bo0', 'bo9'] },
      });
  });

  it.each([
    ['an active', [placed()]],
    ['a lifted', [placed(), lifted(T0 + MINUTE)]],
  ] as const)('refuses an id %s blackout has with already_exists', (_what, history) => {
    given(evolveBlackout, history)
      .when((existing) => decidePlace(placeCommand({ now: T0 + 2 * MINUTE }), existing, NOTHING))
      .thenThrows('already_exists', { detail: 'blackout bo1 already exists' });
  });
});

describe('decideResize', () => {
  const LATER = START + 60 * MINUTE;

  it('gives an active blackout new bounds', () => {
    given(evolveBlackout, [placed()])
      .when((b) => decideResize(b, { start: START, end: LATER }, false, NOTHING, T0 + MINUTE))
      .then([resized(START, LATER, T0 + MINUTE)]);
  });

  it('refuses to grow over bookings without cancelConflicting', () => {
    given(evolveBlackout, [placed()])
      .when((b) =>
        decideResize(b, { start: START, end: END + 60 * MINUTE }, false, { bookings: [booking('b1')], blackoutIds: [] }, T0 + MINUTE),
      )
      .thenThrows('seats_taken', { extra: { bookings: ['b1'], blackouts: [] } });
  });

  it('with cancelConflicting cancels the bookings at the resize’s time, then resizes', () => {
    given(evolveBlackout, [placed()])
      .when((b) =>
        decideResize(
          b,
          { start: START, end: END + 60 * MINUTE },
          true,
          { bookings: [booking('b3'), booking('b1')], blackoutIds: [] },
          T0 + MINUTE,
        ),
      )
      .then([cancelled('b1', T0 + MINUTE), cancelled('b3', T0 + MINUTE), resized(START, END + 60 * MINUTE, T0 + MINUTE)]);
  });

  it('refuses to grow over another blackout even with cancelConflicting', () => {
    given(evolveBlackout, [placed()])
      .when((b) => decideResize(b, { start: START, end: END + 60 * MINUTE }, true, { bookings: [], blackoutIds: ['bo2'] }, T0 + MINUTE))
      .thenThrows('seats_taken', { extra: { bookings: [], blackouts: ['bo2'] } });
  });

  it('resizes again after a resize', () => {
    given(evolveBlackout, [placed(), resized(START, LATER, T0 + MINUTE)])
      .when((b) => decideResize(b, { start: START - 30 * MINUTE, end: LATER }, false, NOTHING, T0 + 2 * MINUTE))
      .then([resized(START - 30 * MINUTE, LATER, T0 + 2 * MINUTE)]);
  });

  it('refuses a lifted blackout with not_found', () => {
    given(evolveBlackout, [placed(), lifted(T0 + MINUTE)])
      .when((b) => decideResize(b, { start: START, end: LATER }, true, NOTHING, T0 + 2 * MINUTE))
      .thenThrows('not_found', { status: 404, detail: 'blackout bo1 was lifted' });
  });
});

describe('decideLift', () => {
  it('lifts an active blackout', () => {
    given(evolveBlackout, [placed()])
      .when((b) => decideLift(b, T0 + MINUTE))
      .then([lifted(T0 + MINUTE)]);
  });

  it('lifts a resized blackout', () => {
    given(evolveBlackout, [placed(), resized(START, END + MINUTE, T0 + MINUTE)])
      .when((b) => decideLift(b, T0 + 2 * MINUTE))
      .then([lifted(T0 + 2 * MINUTE)]);
  });

  it('decides nothing the second time', () => {
    given(evolveBlackout, [placed(), lifted(T0 + MINUTE)])
      .when((b) => decideLift(b, T0 + 2 * MINUTE))
      .thenNothing();
  });
});

describe('the updatedAt rule: a decision never at or before updatedAt', () => {
  const UPDATED = T0 + 10 * MINUTE;
  const history = [placed(), resized(START, END, UPDATED)] as const;

  it.each([
    ['in the same millisecond', UPDATED],
    ['when the clock stepped back', UPDATED - 5 * MINUTE],
  ])('resize %s moves updatedAt on by 1 ms, and so do its cancellations', (_when, now) => {
    given(evolveBlackout, history)
      .when((b) => decideResize(b, { start: START, end: END + MINUTE }, true, { bookings: [booking('b1')], blackoutIds: [] }, now))
      .then([cancelled('b1', UPDATED + 1), resized(START, END + MINUTE, UPDATED + 1)]);
  });

  it.each([
    ['in the same millisecond', UPDATED],
    ['when the clock stepped back', UPDATED - 5 * MINUTE],
  ])('lift %s moves updatedAt on by 1 ms', (_when, now) => {
    given(evolveBlackout, history)
      .when((b) => decideLift(b, now))
      .then([lifted(UPDATED + 1)]);
  });
});

describe('any sequence of decisions, folded with evolveBlackout', () => {
  type Step =
    | { kind: 'resize'; start: number; minutes: number; cancelConflicting: boolean; inTheWay: InTheWay; now: number }
    | { kind: 'lift'; now: number };

  const nowArb = fc.integer({ min: T0 - 5 * MINUTE, max: T0 + 30 * MINUTE });
  const inTheWayArb: fc.Arbitrary<InTheWay> = fc.record({
    bookings: fc
      .uniqueArray(fc.constantFrom('b1', 'b2', 'b3', 'b4'), { maxLength: 3 })
      .chain((ids) => fc.tuple(...ids.map((id) => nowArb.map((updatedAt) => booking(id, updatedAt))))),
    blackoutIds: fc.uniqueArray(fc.constantFrom('bo2', 'bo3'), { maxLength: 1 }),
  });
  const stepArb: fc.Arbitrary<Step> = fc.oneof(
    fc.record({
      kind: fc.constant('resize' as const),
      start: fc.integer({ min: -8, max: 8 }).map((quarters) => START + quarters * 15 * MINUTE),
      minutes: fc.integer({ min: 1, max: 16 }).map((quarters) => quarters * 15),
      cancelConflicting: fc.boolean(),
      inTheWay: inTheWayArb,
      now: nowArb,
    }),
    fc.record({ kind: fc.constant('lift' as const), now: nowArb }),
  );

  it('keeps updatedAt strictly increasing and a LIFTED blackout lifted; refuses only what is in the way or lifted', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 10 }), (steps) => {
        let state = evolveBlackout(null, decidePlace(placeCommand(), null, NOTHING)[0] as BlackoutEvent)!;
        for (const step of steps) {
          const before = state;
          let events: (BookingCancelled | BlackoutEvent)[];
          try {
            events =
              step.kind === 'lift'
                ? decideLift(state, step.now)
                : decideResize(
                    state,
                    { start: step.start, end: step.start + step.minutes * MINUTE },
                    step.cancelConflicting,
                    step.inTheWay,
                    step.now,
                  );
          } catch (error) {
            expect(error).toBeInstanceOf(AppError);
            expect(step.kind).toBe('resize');
            if (step.kind !== 'resize') continue;
            const code = (error as AppError).code;
            if (state.status === 'LIFTED') expect(code).toBe('not_found');
            else {
              expect(code).toBe('seats_taken');
              expect(step.inTheWay.blackoutIds.length > 0 || (step.inTheWay.bookings.length > 0 && !step.cancelConflicting)).toBe(true);
            }
            continue;
          }
          for (const event of events) {
            if (event.type === 'BookingCancelled') {
              const target = step.kind === 'resize' ? step.inTheWay.bookings.find((b) => b.id === event.data.bookingId) : undefined;
              expect(target).toBeDefined();
              expect(event.data.at).toBeGreaterThan(target!.updatedAt);
              continue;
            }
            const next = evolveBlackout(state, event)!;
            expect(next.updatedAt).toBeGreaterThan(state.updatedAt);
            expect(next.updatedAt).toBeGreaterThanOrEqual(step.now);
            state = next;
          }
          if (before.status === 'LIFTED') expect(events).toEqual([]);
          expect(state.createdAt).toBe(T0);
          expect(state.tableIds).toEqual(['t1', 't2']);
        }
      }),
    );
  });
});
