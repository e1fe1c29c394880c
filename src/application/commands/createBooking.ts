import { AppError, isAppError } from '../../errors/catalogue.js';
import { handleCommand, sectorLock, type AnswerInWrite } from '../commandHandling/handleCommand.js';
import type { BookingView, CreateBookingInput } from '../contracts/bookings.js';
import type { WaitlistEntryView } from '../contracts/waitlist.js';
import { idempotencyScopeOf, type Caller, type Dependencies } from '../dependencies.js';
import { runIdempotently, type IdempotentOutcome, type ResponseKeeping } from '../idempotency.js';
import { personalFieldsOf, withoutPersonalFields } from '../personalData.js';
import { bookingView } from '../views.js';
import { sectorsThatCanSeat, withAlternatives } from '../queries/alternatives.js';
import { planSeating, requestedArea, resolveScope } from '../queries/planSeating.js';
import { spanOf } from '../../domain/seating/searchWindow.js';
import type { Interval } from '../../domain/time/interval.js';
import { planBooking, type BookingRequest } from './planBooking.js';
import { bookingChannel } from '../access/channel.js';
import { joinWaitlist } from './waitlist.js';
import { readsKnowing } from '../caches.js';
import type { SectorSeats, SectorWithRevision } from '../ports/readModel.js';
import type { Restaurant } from '../../domain/restaurants/restaurant.js';
import { matchGuest } from './matchGuest.js';

export type Booked = IdempotentOutcome & { status: 201; body: BookingView };
type Waiting = IdempotentOutcome & { status: 202; body: WaitlistEntryView };
export type CreatedBooking = Booked | Waiting;

/** What the caller is shown of what it made: kept as the idempotent answer, so replays show the same. */
export interface Presenter {
  booking(view: BookingView): BookingView;
  entry(view: WaitlistEntryView): WaitlistEntryView;
  /** Whether a `no_capacity` refusal shows the alternatives: they are availability, for who may discover. */
  alternatives: boolean;
}

const asIs: Presenter = { booking: (view) => view, entry: (view) => view, alternatives: true };

/**
 * The restaurant and the sector (with its revision, and maybe its seats over the span
 * planning will read) that the caller read before the create queued on the sector's
 * lock, and the lock manager's mark taken just before.
 */
export interface EarlyRead extends SectorWithRevision {
  restaurant: Restaurant;
  seats?: SectorSeats | undefined;
  mark: number;
}

/**
 * What a create reads before it queues on the sector's lock: the restaurant (for the
 * access check), and with a sector named, the sector and its revision in the same
 * statement, with the sector's seats over the span its planning will read when the
 * sector memo lets that span be guessed. Under the lock, the command plans on this
 * read if no writer of this process has left the lock since the mark: then a create
 * on PostgreSQL makes two round trips, this read and the append.
 */
export async function readBeforeQueuing(
  deps: Dependencies,
  input: CreateBookingInput,
): Promise<{ restaurant: Restaurant | null; early?: EarlyRead | undefined }> {
  const { sectorId } = input;
  if (sectorId === undefined) return { restaurant: await deps.reads.restaurant(input.restaurantId) };
  const mark = deps.locks.mark();
  const found = await deps.reads.restaurantAndSector(input.restaurantId, sectorId, likelySeatSpan(deps, input, sectorId));
  const { restaurant, sector, seats } = found;
  if (!restaurant || sector?.sector.restaurantId !== restaurant.id) return { restaurant };
  // Read in one statement, as `pinSector` reads them: the memo serves the next discover, and the next create's guess.
  deps.caches.sectors.set(sectorId, sector.revision, { restaurant, sector: sector.sector });
  return { restaurant, early: { restaurant, ...sector, seats, mark } };
}

/**
 * The span planning will read the sector's seats over (its service hours on the date),
 * worked out from the sector and restaurant as last read. Only a guess: planning uses
 * the seats read over it only if the restaurant and sector read with them give the
 * same span. None when the lock manager could not vouch for a read made before the
 * lock (Redis: other processes' holders), which would then be read again anyway.
 */
function likelySeatSpan(deps: Dependencies, input: CreateBookingInput, sectorId: string): Interval | undefined {
  if (deps.locks.releasedSince(sectorLock(sectorId), deps.locks.mark())) return undefined;
  const seen = deps.caches.sectors.latest(sectorId);
  // Equal window ends are refused by planning, with its own error.
  if (!seen || seen.restaurant.id !== input.restaurantId || (input.windowStart !== undefined && input.windowStart === input.windowEnd))
    return undefined;
  const area = requestedArea(seen.restaurant, seen.sector, input);
  return area ? spanOf(area.service) : undefined;
}

/**
 * Books the first candidate still free, in the sector named or, without one, across
 * every sector of the restaurant. The sector lock narrows contention; the store is
 * what refuses an overlap, and then the choice is made again on fresh state. Nothing
 * free: with `waitlist: true` the party waits (202), otherwise 409 `no_capacity` with
 * alternatives.
 */
export async function createBooking(
  deps: Dependencies,
  input: CreateBookingInput,
  caller: Caller,
  idempotencyKey?: string,
  present: Presenter = asIs,
  early?: EarlyRead,
): Promise<CreatedBooking> {
  // Whose seats and whose pace (SPEC §9): an online caller's `override` is refused before anything is written.
  const channel = bookingChannel(caller, input.restaurantId, input.override);
  const outcome = await runIdempotently(
    deps,
    idempotencyScopeOf(caller),
    idempotencyKey,
    input,
    async (inWrite) => {
      const guestId = await matchGuest(deps, input.restaurantId, input);
      const request = { ...input, ...channel, guestId };
      const answer = inWrite?.answering((view: BookingView) => ({ status: 201, body: present.booking(view) }));
      try {
        return { status: 201, body: present.booking(await book(deps, request, caller, idempotencyKey, early, answer)) };
      } catch (error) {
        if (!isAppError(error) || error.code !== 'no_capacity') throw error;
        // Asked to wait rather than be refused: the party joins the sector's waitlist.
        const waitIn = input.waitlist ? (input.sectorId ?? (await waitlistSectorOf(deps, input))) : undefined;
        if (waitIn !== undefined)
          return { status: 202, body: present.entry(await joinWaitlist(deps, { ...input, guestId, sectorId: waitIn }, caller)) };
        throw present.alternatives ? await withAlternatives(deps, error, request) : error;
      }
    },
    withoutKeepingPersonalData(deps, present),
  );
  return outcome as CreatedBooking;
}

/** A replay reads the guest's fields from the booking or entry as it stands: after an erasure, they are gone. */
function withoutKeepingPersonalData(deps: Dependencies, present: Presenter): ResponseKeeping {
  return {
    keep: (response) => ({ ...response, body: withoutPersonalFields(response.body as object) }),
    replay: async (response) => {
      if (response.status === 201) {
        const body = response.body as BookingView;
        const found = await deps.reads.booking(body.id);
        return { ...response, body: present.booking({ ...body, ...(found ? personalFieldsOf(found.value) : {}) }) };
      }
      const body = response.body as WaitlistEntryView;
      const found = await deps.reads.waitlistEntry(body.id);
      return { ...response, body: present.entry({ ...body, ...(found ? personalFieldsOf(found.value) : {}) }) };
    },
  };
}

/**
 * Without a sector, the create queues on the lock of the sector whose candidate is
 * best right now, and under it chooses again across every sector: usually the same
 * one. When another sector's candidate has become the best, it books that one
 * without its lock, which is still safe: the store refuses any overlap, whatever
 * lock the writer held, and the choice is then made again.
 */
async function book(
  deps: Dependencies,
  input: BookingRequest,
  caller: Caller,
  idempotencyKey: string | undefined,
  early: EarlyRead | undefined,
  answer: AnswerInWrite<BookingView> | undefined,
): Promise<BookingView> {
  const sectorId = input.sectorId ?? (await planSeating(deps.reads, input, 1, deps.caches)).candidates[0]!.sectorId;
  const lock = sectorLock(sectorId);
  let attempts = 0;
  return handleCommand(deps, caller, {
    lock,
    idempotencyKey,
    answer,
    decide: async (_state, now) => {
      // What was read before queuing is what a read now would see, if no writer of this process has left the lock since:
      // one round trip less. Only on the first attempt: a retry follows a lost race, and reads afresh.
      const current = attempts++ === 0 && early?.sector.id === sectorId && !deps.locks.releasedSince(lock, early.mark);
      const { event, restaurant } = current
        ? await planOnEarlyRead(deps, input, now, caller.actor, early)
        : await planBooking(deps, input, now, caller.actor);
      return { events: [event], result: bookingView(event.data.booking, restaurant.timezone) };
    },
    exhausted: () => new AppError('no_capacity', 'the seats were taken by concurrent bookings; try again'),
  });
}

/**
 * Plans on what was read before the lock. Writers that only free seats (a cancel, a
 * lapsed hold) or change a table do not take the sector lock, so that read may miss
 * seats freed meanwhile: a refusal made on it is checked on a fresh read before it
 * stands. (A seat taken meanwhile is the store's to refuse, and the command retries.)
 */
async function planOnEarlyRead(
  deps: Dependencies,
  input: BookingRequest,
  now: number,
  actor: string,
  early: EarlyRead,
): ReturnType<typeof planBooking> {
  try {
    return await planBooking({ ...deps, reads: readsKnowing(deps.reads, early.restaurant, early) }, input, now, actor);
  } catch (error) {
    if (!isAppError(error) || error.code !== 'no_capacity') throw error;
    return planBooking(deps, input, now, actor);
  }
}

/** A create without a sector waits in the first sector, by id, whose tables could ever seat the party; none: it is refused. */
async function waitlistSectorOf(deps: Dependencies, input: CreateBookingInput): Promise<string | undefined> {
  const scope = await resolveScope(deps.reads, input.restaurantId, undefined);
  return (await sectorsThatCanSeat(deps.reads, scope, input.partySize))[0]?.sector.id;
}
