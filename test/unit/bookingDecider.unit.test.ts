import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Booking } from '../../src/domain/bookings/booking.js';
import {
  decideCancel,
  decideCreate,
  decideExpiry,
  decideHold,
  decideReassign,
  type CreateBooking,
  type HoldDecision,
} from '../../src/domain/bookings/bookingDecisions.js';
import { evolveBooking, type BookingConfirmed, type BookingEvent, type BookingHeld } from '../../src/domain/bookings/bookingEvents.js';
import { holdMinutesFor } from '../../src/domain/restaurants/stayLength.js';
import type { Candidate } from '../../src/domain/seating/discoverSeatings.js';
import { AppError } from '../../src/errors/catalogue.js';
import { given } from '../support/decider.js';

const MINUTE = 60_000;
/** When the booking was made; every later decision is measured from here. */
const T0 = Date.parse('2025-06-15T12:00:00Z');
const DINNER = Date.parse('2025-06-15T20:00:00Z');
const HOLD_ENDS = T0 + 30 * MINUTE;

function candidate(tableIds: string[], start = DINNER, minutes = 90): Candidate {
  return {
    kind: tableIds.length > 1 ? 'combo' : 'single',
    tableIds,
    start,
    end: start + minutes * MINUTE,
    capacity: { min: 2, max: 4 },
    score: 0,
    rationale: 'test',
    flush: 0,
    slack: 0,
  };
}

function createCommand(overrides: Partial<CreateBooking> = {}): CreateBooking {
  return {
    bookingId: 'b1',
    restaurantId: 'r1',
    sectorId: 's1',
    date: '2025-06-15',
    partySize: 4,
    durationMinutes: 90,
    guestName: 'Ada',
    guestEmail: 'ada@example.com',
    now: T0,
    source: 'online',
    noShowAfterMinutes: 15,
    ...overrides,
  };
}

function booking(overrides: Partial<Booking> = {}): Booking {
  return {
    id: 'b1',
    restaurantId: 'r1',
    sectorId: 's1',
    date: '2025-06-15',
    tableIds: ['t1', 't2'],
    partySize: 4,
    start: DINNER,
    end: DINNER + 90 * MINUTE,
    durationMinutes: 90,
    status: 'CONFIRMED',
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

const confirmed = (overrides: Partial<Booking> = {}): BookingConfirmed => ({
  type: 'BookingConfirmed',
  data: { booking: booking(overrides) },
});
const held = (overrides: Partial<Booking> = {}): BookingHeld => ({
  type: 'BookingHeld',
  data: { booking: booking({ status: 'PENDING', holdExpiresAt: HOLD_ENDS, ...overrides }) },
});
const change = <Type extends 'BookingCancelled' | 'BookingApproved' | 'BookingRejected' | 'HoldExpired'>(type: Type, at: number) =>
  ({ type, data: { bookingId: 'b1', at } }) as const;
const reassigned = (tableIds: string[], at: number) => ({ type: 'BookingReassigned', data: { bookingId: 'b1', tableIds, at } }) as const;

describe('decideCreate', () => {
  const largeGroups = { largeGroups: { threshold: 8, holdMinutes: 20 } };

  it('confirms a party below the hold threshold on the first candidate', () => {
    const holdMinutes = holdMinutesFor(largeGroups, 7);
    expect(holdMinutes).toBeUndefined();
    given(evolveBooking)
      .when(() => decideCreate(createCommand({ partySize: 7, holdMinutes }), [candidate(['t3', 't1']), candidate(['t9'])]))
      .then([
        {
          type: 'BookingConfirmed',
          data: {
            booking: {
              id: 'b1',
              restaurantId: 'r1',
              sectorId: 's1',
              date: '2025-06-15',
              tableIds: ['t3', 't1'],
              partySize: 7,
              start: DINNER,
              end: DINNER + 90 * MINUTE,
              durationMinutes: 90,
              status: 'CONFIRMED',
              source: 'online',
              noShowDueAt: DINNER + 15 * MINUTE,
              guestName: 'Ada',
              guestEmail: 'ada@example.com',
              createdAt: T0,
              updatedAt: T0,
            },
          },
        },
      ]);
  });

  it('holds a party at the threshold: PENDING until now + holdMinutes', () => {
    const holdMinutes = holdMinutesFor(largeGroups, 8);
    expect(holdMinutes).toBe(20);
    given(evolveBooking)
      .when(() => decideCreate(createCommand({ partySize: 8, holdMinutes }), [candidate(['t1', 't2'])]))
      .then([
        {
          type: 'BookingHeld',
          data: {
            booking: {
              ...booking({ partySize: 8, guestName: 'Ada', guestEmail: 'ada@example.com' }),
              status: 'PENDING',
              source: 'online',
              noShowDueAt: DINNER + 15 * MINUTE,
              holdExpiresAt: T0 + 20 * MINUTE,
            },
          },
        },
      ]);
  });

  it('confirms at once when the restaurant holds no one', () => {
    expect(holdMinutesFor({}, 40)).toBeUndefined();
    const [event] = [decideCreate(createCommand({ holdMinutes: holdMinutesFor({}, 40) }), [candidate(['t1'])])];
    expect(event.type).toBe('BookingConfirmed');
    expect(event.data.booking.holdExpiresAt).toBeUndefined();
  });

  it('copies the tables rather than sharing the candidate’s array', () => {
    const chosen = candidate(['t1']);
    const event = decideCreate(createCommand(), [chosen]);
    chosen.tableIds.push('t2');
    expect(event.data.booking.tableIds).toEqual(['t1']);
  });

  it('refuses with no_capacity when nothing fits', () => {
    given(evolveBooking)
      .when(() => decideCreate(createCommand(), []))
      .thenThrows('no_capacity', { status: 409 });
  });
});

describe('decideCancel', () => {
  it('cancels a confirmed booking', () => {
    given(evolveBooking, [confirmed()])
      .when((b) => decideCancel(b, T0 + MINUTE))
      .then([change('BookingCancelled', T0 + MINUTE)]);
  });

  it('cancels a hold', () => {
    given(evolveBooking, [held()])
      .when((b) => decideCancel(b, T0 + MINUTE))
      .then([change('BookingCancelled', T0 + MINUTE)]);
  });

  it('decides nothing the second time', () => {
    given(evolveBooking, [confirmed(), change('BookingCancelled', T0 + MINUTE)])
      .when((b) => decideCancel(b, T0 + 2 * MINUTE))
      .thenNothing();
  });

  it.each([
    ['rejected', change('BookingRejected', T0 + MINUTE)],
    ['expired', change('HoldExpired', HOLD_ENDS)],
  ] as const)('decides nothing for a %s hold', (_reason, ended) => {
    given(evolveBooking, [held(), ended])
      .when((b) => decideCancel(b, HOLD_ENDS + MINUTE))
      .thenNothing();
  });
});

describe('decideHold', () => {
  it.each([
    ['approve', 'BookingApproved'],
    ['reject', 'BookingRejected'],
  ] as const)('%s on a live hold decides %s', (decision, type) => {
    given(evolveBooking, [held()])
      .when((b) => decideHold(b, decision, HOLD_ENDS - 1))
      .then([change(type, HOLD_ENDS - 1)]);
  });

  it.each(['approve', 'reject'] as const)('%s at or after the hold’s end decides HoldExpired', (decision) => {
    for (const at of [HOLD_ENDS, HOLD_ENDS + 1, HOLD_ENDS + 60 * MINUTE]) {
      given(evolveBooking, [held()])
        .when((b) => decideHold(b, decision, at))
        .then([change('HoldExpired', at)]);
    }
  });

  it('approves a PENDING booking with no end to its hold, whenever asked', () => {
    given(evolveBooking, [held({ holdExpiresAt: undefined })])
      .when((b) => decideHold(b, 'approve', T0 + 365 * 24 * 60 * MINUTE))
      .then([change('BookingApproved', T0 + 365 * 24 * 60 * MINUTE)]);
  });

  it('refuses a confirmed booking with not_pending, naming its status', () => {
    given(evolveBooking, [confirmed()])
      .when((b) => decideHold(b, 'approve', T0 + MINUTE))
      .thenThrows('not_pending', { status: 409, detail: 'booking b1 is CONFIRMED, not a hold waiting for approval' });
  });

  it.each([
    ['approved', [held(), change('BookingApproved', T0 + MINUTE)], 'CONFIRMED'],
    ['rejected', [held(), change('BookingRejected', T0 + MINUTE)], 'CANCELLED'],
    ['expired', [held(), change('HoldExpired', HOLD_ENDS)], 'CANCELLED'],
    ['cancelled', [held(), change('BookingCancelled', T0 + MINUTE)], 'CANCELLED'],
  ] as const)('refuses an already %s hold with not_pending', (_what, history, status) => {
    for (const decision of ['approve', 'reject'] as const) {
      given(evolveBooking, history)
        .when((b) => decideHold(b, decision, T0 + 2 * MINUTE))
        .thenThrows('not_pending', { detail: `booking b1 is ${status}, not a hold waiting for approval` });
    }
  });
});

describe('decideExpiry', () => {
  it('leaves a hold alone before its end', () => {
    given(evolveBooking, [held()])
      .when((b) => decideExpiry(b, HOLD_ENDS - 1))
      .thenNothing();
  });

  it('expires a hold at its end', () => {
    given(evolveBooking, [held()])
      .when((b) => decideExpiry(b, HOLD_ENDS))
      .then([change('HoldExpired', HOLD_ENDS)]);
  });

  it('expires a hold after its end, at the time of the sweep', () => {
    given(evolveBooking, [held()])
      .when((b) => decideExpiry(b, HOLD_ENDS + 5 * MINUTE))
      .then([change('HoldExpired', HOLD_ENDS + 5 * MINUTE)]);
  });

  it.each([
    ['a confirmed booking', [confirmed()]],
    ['an approved hold', [held(), change('BookingApproved', T0 + MINUTE)]],
    ['an expired hold', [held(), change('HoldExpired', HOLD_ENDS)]],
    ['a cancelled hold', [held(), change('BookingCancelled', T0 + MINUTE)]],
    ['a hold with no end', [held({ holdExpiresAt: undefined })]],
  ] as const)('leaves %s alone', (_what, history) => {
    given(evolveBooking, history)
      .when((b) => decideExpiry(b, HOLD_ENDS + 60 * MINUTE))
      .thenNothing();
  });
});

describe('decideReassign', () => {
  it('moves the booking to other tables, in the order asked', () => {
    given(evolveBooking, [confirmed()])
      .when((b) => decideReassign(b, ['t4', 't3'], T0 + MINUTE))
      .then([reassigned(['t4', 't3'], T0 + MINUTE)]);
  });

  it('moves a hold too, keeping it a hold', () => {
    const events: BookingEvent[] = [held(), reassigned(['t5'], T0 + MINUTE)];
    expect(events.reduce(evolveBooking, null)).toMatchObject({
      status: 'PENDING',
      holdExpiresAt: HOLD_ENDS,
      tableIds: ['t5'],
      start: DINNER,
    });
    given(evolveBooking, [held()])
      .when((b) => decideReassign(b, ['t5'], T0 + MINUTE))
      .then([reassigned(['t5'], T0 + MINUTE)]);
  });

  it.each([
    ['a table fewer', ['t1']],
    ['a table more', ['t1', 't2', 't3']],
  ])('counts %s as other tables', (_what, tableIds) => {
    given(evolveBooking, [confirmed()])
      .when((b) => decideReassign(b, tableIds, T0 + MINUTE))
      .then([reassigned(tableIds, T0 + MINUTE)]);
  });

  it('decides nothing for a booking that no longer takes seats', () => {
    given(evolveBooking, [confirmed(), { type: 'BookingCancelled', data: { bookingId: 'b1', at: T0 + 1 } }])
      .when((b) => decideReassign(b, ['t4'], T0 + MINUTE))
      .thenNothing();
  });

  it.each([
    ['in the same order', ['t1', 't2']],
    ['in another order', ['t2', 't1']],
  ])('decides nothing for the same tables %s', (_what, tableIds) => {
    given(evolveBooking, [confirmed()])
      .when((b) => decideReassign(b, tableIds, T0 + MINUTE))
      .thenNothing();
  });

  it('compares with the tables of the last move', () => {
    given(evolveBooking, [confirmed(), reassigned(['t7'], T0 + MINUTE)])
      .when((b) => decideReassign(b, ['t7'], T0 + 2 * MINUTE))
      .thenNothing();
  });
});

describe('the updatedAt rule: a decision never at or before updatedAt', () => {
  const UPDATED = T0 + 10 * MINUTE;
  /** A live hold last touched at UPDATED (by a move), whose end is far off. */
  const history = [held({ holdExpiresAt: T0 + 120 * MINUTE }), reassigned(['t3'], UPDATED)] as const;
  const decisions: [string, (b: Booking, at: number) => BookingEvent | BookingEvent[], (at: number) => BookingEvent][] = [
    ['cancel', (b, at) => decideCancel(b, at), (at) => change('BookingCancelled', at)],
    ['approve', (b, at) => decideHold(b, 'approve', at), (at) => change('BookingApproved', at)],
    ['reject', (b, at) => decideHold(b, 'reject', at), (at) => change('BookingRejected', at)],
    ['reassign', (b, at) => decideReassign(b, ['t4'], at), (at) => reassigned(['t4'], at)],
  ];

  for (const [name, decide, expected] of decisions) {
    it.each([
      ['in the same millisecond', UPDATED],
      ['when the clock stepped back', UPDATED - 5 * MINUTE],
    ])(`${name} %s moves updatedAt on by 1 ms`, (_when, at) => {
      given(evolveBooking, history)
        .when((b) => decide(b, at))
        .then([expected(UPDATED + 1)]);
    });
  }

  it('a later decision keeps its own time', () => {
    given(evolveBooking, history)
      .when((b) => decideCancel(b, UPDATED + 1234))
      .then([change('BookingCancelled', UPDATED + 1234)]);
  });

  it('expiry of a hold touched after its end moves updatedAt on by 1 ms', () => {
    given(evolveBooking, [held(), reassigned(['t3'], HOLD_ENDS + MINUTE)])
      .when((b) => decideExpiry(b, HOLD_ENDS + MINUTE))
      .then([change('HoldExpired', HOLD_ENDS + MINUTE + 1)]);
  });

  it('an answer to an expired hold moves updatedAt on by 1 ms', () => {
    given(evolveBooking, [held(), reassigned(['t3'], HOLD_ENDS)])
      .when((b) => decideHold(b, 'approve', HOLD_ENDS))
      .then([change('HoldExpired', HOLD_ENDS + 1)]);
  });
});

describe('any sequence of decisions, folded with evolveBooking', () => {
  type Step =
    | { kind: 'cancel'; at: number }
    | { kind: 'hold'; decision: HoldDecision; at: number }
    | { kind: 'expire'; at: number }
    | { kind: 'reassign'; tableIds: string[]; at: number };

  /** Times around the hold's end, stepping back as well as forward. */
  const atArb = fc.integer({ min: T0 - 5 * MINUTE, max: T0 + 45 * MINUTE });
  const stepArb: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ kind: fc.constant('cancel' as const), at: atArb }),
    fc.record({ kind: fc.constant('hold' as const), decision: fc.constantFrom<HoldDecision>('approve', 'reject'), at: atArb }),
    fc.record({ kind: fc.constant('expire' as const), at: atArb }),
    fc.record({
      kind: fc.constant('reassign' as const),
      tableIds: fc.uniqueArray(fc.constantFrom('t1', 't2', 't3', 't4'), { minLength: 1, maxLength: 3 }),
      at: atArb,
    }),
  );

  function decide(state: Booking, step: Step): BookingEvent[] {
    switch (step.kind) {
      case 'cancel':
        return decideCancel(state, step.at);
      case 'hold':
        return [decideHold(state, step.decision, step.at)];
      case 'expire':
        return decideExpiry(state, step.at);
      case 'reassign':
        return decideReassign(state, step.tableIds, step.at);
    }
  }

  it('keeps updatedAt strictly increasing, a CANCELLED booking cancelled, and a hold’s end only on holds', () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
        fc.array(stepArb, { maxLength: 12 }),
        (holdMinutes, steps) => {
          let state = evolveBooking(null, decideCreate(createCommand({ holdMinutes }), [candidate(['t1', 't2'])]))!;
          const opened = state;
          for (const step of steps) {
            let events: BookingEvent[];
            try {
              events = decide(state, step);
            } catch (error) {
              // Only answering something that is not a hold is refused.
              expect(step.kind).toBe('hold');
              expect(error).toBeInstanceOf(AppError);
              expect((error as AppError).code).toBe('not_pending');
              expect(state.status).not.toBe('PENDING');
              continue;
            }
            const before = state;
            for (const event of events) {
              const next = evolveBooking(state, event)!;
              expect(next.updatedAt).toBeGreaterThan(state.updatedAt);
              expect(next.updatedAt).toBeGreaterThanOrEqual(step.at);
              state = next;
            }
            if (before.status === 'CANCELLED') {
              expect(state.status).toBe('CANCELLED');
              expect(state.statusReason).toBe(before.statusReason);
            }
            expect(state.holdExpiresAt !== undefined).toBe(state.status === 'PENDING');
            expect(state.statusReason !== undefined).toBe(state.status === 'CANCELLED');
            // Nothing but tables and status ever moves: never the booking in time.
            expect({ start: state.start, end: state.end, createdAt: state.createdAt }).toEqual({
              start: opened.start,
              end: opened.end,
              createdAt: opened.createdAt,
            });
          }
        },
      ),
    );
  });
});
