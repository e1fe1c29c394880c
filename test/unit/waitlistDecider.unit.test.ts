import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideJoin, decideLeave, decidePromote, type JoinWaitlist } from '../../src/domain/waitlist/waitlistDecisions.js';
import { evolveEntry, type WaitlistEntry, type WaitlistEvent } from '../../src/domain/waitlist/waitlistEntry.js';
import { given } from '../support/decider.js';

const MINUTE = 60_000;
const T0 = Date.parse('2025-06-15T12:00:00Z');

const request: JoinWaitlist = {
  id: 'w1',
  restaurantId: 'r1',
  sectorId: 's1',
  date: '2025-06-15',
  partySize: 4,
  durationMinutes: 90,
  windowStart: '20:00',
  windowEnd: '22:00',
  guestName: 'Ada',
};

const entry = (overrides: Partial<WaitlistEntry> = {}): WaitlistEntry => ({
  ...request,
  status: 'WAITING',
  createdAt: T0,
  updatedAt: T0,
  ...overrides,
});
const joined = (overrides: Partial<WaitlistEntry> = {}): WaitlistEvent => ({ type: 'WaitlistJoined', data: { entry: entry(overrides) } });
const promoted = (bookingId: string, at: number): WaitlistEvent => ({ type: 'WaitlistPromoted', data: { entryId: 'w1', bookingId, at } });
const left = (at: number): WaitlistEvent => ({ type: 'WaitlistLeft', data: { entryId: 'w1', at } });

describe('decideJoin', () => {
  it('joins WAITING from now, keeping the request', () => {
    given(evolveEntry)
      .when(() => decideJoin(request, T0))
      .then([joined()]);
  });

  it('folds into a waiting entry with no booking', () => {
    expect(decideJoin(request, T0).reduce(evolveEntry, null)).toEqual(entry());
    expect(entry().bookingId).toBeUndefined();
  });
});

describe('decideLeave', () => {
  it('a waiting entry leaves', () => {
    given(evolveEntry, [joined()])
      .when((e) => decideLeave(e, T0 + MINUTE))
      .then([left(T0 + MINUTE)]);
  });

  it('decides nothing the second time', () => {
    given(evolveEntry, [joined(), left(T0 + MINUTE)])
      .when((e) => decideLeave(e, T0 + 2 * MINUTE))
      .thenNothing();
  });

  it('decides nothing once the entry is booked', () => {
    given(evolveEntry, [joined(), promoted('b1', T0 + MINUTE)])
      .when((e) => decideLeave(e, T0 + 2 * MINUTE))
      .thenNothing();
  });
});

describe('decidePromote', () => {
  it('promotes a waiting entry to its booking', () => {
    given(evolveEntry, [joined()])
      .when((e) => decidePromote(e, 'b1', T0 + MINUTE))
      .then([promoted('b1', T0 + MINUTE)]);
  });

  it('decides nothing for an entry already booked, even to another booking', () => {
    given(evolveEntry, [joined(), promoted('b1', T0 + MINUTE)])
      .when((e) => decidePromote(e, 'b2', T0 + 2 * MINUTE))
      .thenNothing();
  });

  it('decides nothing for an entry that left', () => {
    given(evolveEntry, [joined(), left(T0 + MINUTE)])
      .when((e) => decidePromote(e, 'b1', T0 + 2 * MINUTE))
      .thenNothing();
  });
});

describe('the updatedAt rule: a decision never at or before updatedAt', () => {
  const UPDATED = T0 + 10 * MINUTE;

  it.each([
    ['in the same millisecond', UPDATED],
    ['when the clock stepped back', UPDATED - 5 * MINUTE],
  ])('leave %s moves updatedAt on by 1 ms', (_when, now) => {
    given(evolveEntry, [joined({ updatedAt: UPDATED })])
      .when((e) => decideLeave(e, now))
      .then([left(UPDATED + 1)]);
  });

  it.each([
    ['in the same millisecond', UPDATED],
    ['when the clock stepped back', UPDATED - 5 * MINUTE],
  ])('promote %s moves updatedAt on by 1 ms', (_when, now) => {
    given(evolveEntry, [joined({ updatedAt: UPDATED })])
      .when((e) => decidePromote(e, 'b1', now))
      .then([promoted('b1', UPDATED + 1)]);
  });
});

describe('any sequence of decisions, folded with evolveEntry', () => {
  type Step = { kind: 'leave'; now: number } | { kind: 'promote'; bookingId: string; now: number };
  const nowArb = fc.integer({ min: T0 - 5 * MINUTE, max: T0 + 30 * MINUTE });
  const stepArb: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ kind: fc.constant('leave' as const), now: nowArb }),
    fc.record({ kind: fc.constant('promote' as const), bookingId: fc.constantFrom('b1', 'b2', 'b3'), now: nowArb }),
  );

  it('keeps updatedAt strictly increasing, decides at most once, and points at a booking exactly when BOOKED', () => {
    fc.assert(
      fc.property(nowArb, fc.array(stepArb, { maxLength: 10 }), (joinedAt, steps) => {
        let state = decideJoin(request, joinedAt).reduce(evolveEntry, null)!;
        let decided = 0;
        for (const step of steps) {
          const before = state;
          const events = step.kind === 'leave' ? decideLeave(state, step.now) : decidePromote(state, step.bookingId, step.now);
          for (const event of events) {
            const next = evolveEntry(state, event)!;
            expect(next.updatedAt).toBeGreaterThan(state.updatedAt);
            expect(next.updatedAt).toBeGreaterThanOrEqual(step.now);
            state = next;
          }
          decided += events.length;
          if (before.status !== 'WAITING') expect(state).toEqual(before);
          expect(state.bookingId !== undefined).toBe(state.status === 'BOOKED');
          if (step.kind === 'promote' && before.status === 'WAITING') expect(state.bookingId).toBe(step.bookingId);
        }
        expect(decided).toBeLessThanOrEqual(1);
        expect(decided === 0).toBe(state.status === 'WAITING');
      }),
    );
  });
});
