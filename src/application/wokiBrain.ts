import {
  bookingResource,
  mayAccess,
  requireAccess,
  requireAccessTo,
  requireBookingAccess,
  restaurantTarget,
  targetOf,
  waitlistResource,
} from './access/accessControl.js';
import { authenticate, type PresentedCredentials } from './access/authenticate.js';
import { addMember, createApiKey, createUser, listApiKeys, listMembers, removeMember, revokeApiKey } from './access/management.js';
import type { Action } from './access/policy.js';
import { login, logout, me, refresh } from './access/sessions.js';
import { liftBlackout, placeBlackout, resizeBlackout } from './commands/blackouts.js';
import { cancelBooking } from './commands/cancelBooking.js';
import { createBooking, readBeforeQueuing, type Booked, type CreatedBooking, type Presenter } from './commands/createBooking.js';
import { answerHold, expireHolds } from './commands/holds.js';
import { finishBooking, markDueNoShows, markNoShow, seatBooking, undoStep } from './commands/floor.js';
import { seatWalkIn } from './commands/walkIns.js';
import type { FloorQuery, SeatOptions, WalkInInput } from './contracts/floor.js';
import { floorView } from './queries/floorView.js';
import { repackSector } from './commands/repack.js';
import { seedDemo } from './commands/seedDemo.js';
import { addSector, addTable, registerRestaurant } from './commands/setup.js';
import { getWaitlistEntry, leaveWaitlist, promoteAllWaitlists } from './commands/waitlist.js';
import type { ApiKeyBody, CreateUserBody, LoginBody, MemberBody } from './contracts/access.js';
import type { BlackoutInput, BlackoutResize, BlackoutsQuery } from './contracts/blackouts.js';
import type { BookingView, CreateBookingInput, DayQuery, DiscoverQuery } from './contracts/bookings.js';
import type { RepackQuery } from './contracts/repack.js';
import type { RestaurantInput, SectorInput, TableInput } from './contracts/setup.js';
import type { WaitlistEntryView } from './contracts/waitlist.js';
import type { Caller, Dependencies } from './dependencies.js';
import { adminInfo } from './queries/adminInfo.js';
import { listBlackouts } from './queries/blackoutQueries.js';
import { bookingHistory } from './queries/bookingHistory.js';
import { getBooking, listDay } from './queries/bookingQueries.js';
import { discover } from './queries/discover.js';
import { pinSector, readsKnowing } from './caches.js';
import { updateRestaurant, updateSector, updateTable } from './commands/settings.js';
import type { RestaurantPatch, SectorPatch, TablePatch } from './contracts/settings.js';
import { channelOfCaller } from './access/channel.js';
import type { DayReportQuery } from './contracts/reports.js';
import { dayReport } from './queries/dayReport.js';
import { turnTimesReport } from './queries/turnTimes.js';
import type { TurnTimesQuery } from './contracts/turnTimes.js';

import type { GuestMergeBody, GuestPatch, GuestSearchQuery } from './contracts/guests.js';
import type { GuestProfile } from '../domain/guests/guestProfile.js';
import { getGuest, searchGuests } from './queries/guests.js';
import { eraseGuest, mergeGuests, updateGuest } from './commands/guests.js';

/** In-process callers (sweeper, CLI, tests) act for the platform. */
const SYSTEM: Caller = { actor: 'system' };

type GuestFields = 'guestId' | 'guestName' | 'guestEmail' | 'guestPhone' | 'notes';

function withoutGuestData<T extends Partial<Record<GuestFields, unknown>>>(view: T): T {
  const { guestId: _g, guestName: _n, guestEmail: _e, guestPhone: _p, notes: _o, ...rest } = view;
  return rest as T;
}

/**
 * Every use case, bound to its dependencies and guarded by the one policy table:
 * what each protocol adapter calls, with the caller its credentials resolved to.
 */
export function createWokiBrain(deps: Dependencies) {
  const startedAt = deps.clock.now();

  const requireSectorAccess = async (caller: Caller, action: Action, id: string) =>
    requireAccessTo(deps, caller, action, await deps.reads.sector(id), `sector ${id}`);
  const requireEntryAccess = async (caller: Caller, action: Action, id: string) =>
    requireAccessTo(deps, caller, action, (await deps.reads.waitlistEntry(id))?.value, `waitlist entry ${id}`, waitlistResource(id));
  const requireBlackoutAccess = async (caller: Caller, id: string) =>
    requireAccessTo(deps, caller, 'manageService', (await deps.reads.blackout(id))?.value, `blackout ${id}`);

  async function requireGuestAccess(caller: Caller, action: Action, id: string): Promise<GuestProfile> {
    const profile = await deps.guests.guest(id);
    await requireAccessTo(deps, caller, action, profile, `guest ${id}`);
    return profile!;
  }

  async function requireRestaurantAccess(caller: Caller, action: Action, restaurantId: string): Promise<void> {
    requireAccess(deps, caller, action, await restaurantTarget(deps, restaurantId));
  }

  /** A guest's contact fields go only to who may read the booking or waitlist entry (`resource`). */
  function shownTo<V extends { restaurantId: string } & Partial<Record<GuestFields, unknown>>>(
    caller: Caller,
    view: V,
    resource: string,
  ): V {
    return mayAccess(deps, caller, 'readBooking', { restaurantId: view.restaurantId, resource }) ? view : withoutGuestData(view);
  }

  /** What the maker of a booking or waitlist entry sees: guest fields only if it may read them, and its manage token. */
  function presenterFor(caller: Caller): Omit<Presenter, 'alternatives'> {
    const present = <V extends { id: string; restaurantId: string }>(view: V, resource: string) => ({
      ...shownTo(caller, view, resource),
      manageToken: deps.credentials.manageToken(resource),
    });
    return {
      booking: (view: BookingView) => present(view, bookingResource(view.id)),
      entry: (view: WaitlistEntryView) => present(view, waitlistResource(view.id)),
    };
  }

  /** Without `waitlist: true` the outcome is always a booking (or an error). */
  function bookOrWait(input: CreateBookingInput & { waitlist?: false }, caller?: Caller, idempotencyKey?: string): Promise<Booked>;
  function bookOrWait(input: CreateBookingInput, caller?: Caller, idempotencyKey?: string): Promise<CreatedBooking>;
  async function bookOrWait(input: CreateBookingInput, caller: Caller = SYSTEM, idempotencyKey?: string): Promise<CreatedBooking> {
    // With a sector named, it comes with the restaurant (and likely its seats) in one read; see `readBeforeQueuing`.
    const { restaurant, early } = await readBeforeQueuing(deps, input);
    const target = targetOf(input.restaurantId, restaurant);
    requireAccess(deps, caller, 'book', target);
    // A refusal's alternatives are availability: only for who may discover here (an API key may book without availability:read).
    const present = { ...presenterFor(caller), alternatives: mayAccess(deps, caller, 'discover', target) };
    if (!restaurant) return createBooking(deps, input, caller, idempotencyKey, present);
    // What was just read serves the command too: the restaurant always, the sector on its first attempt if still current.
    return createBooking({ ...deps, reads: readsKnowing(deps.reads, restaurant) }, input, caller, idempotencyKey, present, early);
  }

  return {
    authenticate: (presented: PresentedCredentials) => authenticate(deps, presented),
    login: (body: LoginBody) => login(deps, body),
    refresh: (refreshToken: string) => refresh(deps, refreshToken),
    logout: (refreshToken: string | undefined) => logout(deps, refreshToken),
    me: (caller: Caller) => me(deps, caller),
    createUser: (body: CreateUserBody, caller: Caller = SYSTEM) => createUser(deps, body, caller),
    addMember: (restaurantId: string, body: MemberBody, caller: Caller = SYSTEM) => addMember(deps, restaurantId, body, caller),
    listMembers: (restaurantId: string, caller: Caller = SYSTEM) => listMembers(deps, restaurantId, caller),
    removeMember: (restaurantId: string, userId: string, caller: Caller = SYSTEM) => removeMember(deps, restaurantId, userId, caller),
    createApiKey: (restaurantId: string, body: ApiKeyBody, caller: Caller = SYSTEM) => createApiKey(deps, restaurantId, body, caller),
    listApiKeys: (restaurantId: string, caller: Caller = SYSTEM) => listApiKeys(deps, restaurantId, caller),
    revokeApiKey: (restaurantId: string, keyId: string, caller: Caller = SYSTEM) => revokeApiKey(deps, restaurantId, keyId, caller),

    discover: async (query: DiscoverQuery, caller: Caller = SYSTEM) => {
      // No sector: every sector of the restaurant, under the same restaurant-level check.
      if (query.sectorId === undefined) {
        await requireRestaurantAccess(caller, 'discover', query.restaurantId);
        return discover(deps, query, channelOfCaller(caller, query.restaurantId));
      }
      // One read of the store for a known sector: its revision; the restaurant (for the check) and the sector come from the memo.
      const pinned =
        query.sectorId === undefined ? undefined : await pinSector(deps.reads, deps.caches.sectors, query.restaurantId, query.sectorId);
      if (!pinned) {
        await requireRestaurantAccess(caller, 'discover', query.restaurantId);
        return discover(deps, query, channelOfCaller(caller, query.restaurantId));
      }
      requireAccess(deps, caller, 'discover', { restaurantId: query.restaurantId, publicBooking: pinned.restaurant.publicBooking });
      return discover({ ...deps, reads: pinned.reads }, query, channelOfCaller(caller, query.restaurantId));
    },
    createBooking: bookOrWait,
    searchGuests: async (query: GuestSearchQuery, caller: Caller = SYSTEM) => {
      await requireRestaurantAccess(caller, 'serveFloor', query.restaurantId);
      return searchGuests(deps, query);
    },
    getGuest: async (id: string, caller: Caller = SYSTEM) => getGuest(deps, await requireGuestAccess(caller, 'serveFloor', id)),
    updateGuest: async (id: string, patch: GuestPatch, caller: Caller = SYSTEM) =>
      updateGuest(deps, await requireGuestAccess(caller, 'serveFloor', id), patch),
    mergeGuests: async (id: string, body: GuestMergeBody, caller: Caller = SYSTEM) =>
      mergeGuests(deps, await requireGuestAccess(caller, 'serveFloor', id), body.from),
    eraseGuest: async (id: string, caller: Caller = SYSTEM) =>
      eraseGuest(deps, await requireGuestAccess(caller, 'configureRestaurant', id)),
    listDay: async (query: DayQuery, caller: Caller = SYSTEM) => {
      await requireRestaurantAccess(caller, 'readBookings', query.restaurantId);
      return listDay(deps, query);
    },
    getBooking: async (id: string, caller: Caller = SYSTEM) => {
      await requireBookingAccess(deps, caller, 'readBooking', id);
      return getBooking(deps, id);
    },
    bookingHistory: async (id: string, caller: Caller = SYSTEM) => {
      await requireBookingAccess(deps, caller, 'readBookings', id);
      return bookingHistory(deps, id);
    },
    cancelBooking: async (id: string, caller: Caller = SYSTEM) => {
      await requireBookingAccess(deps, caller, 'cancelBooking', id);
      return cancelBooking(deps, id, caller);
    },
    approveHold: async (id: string, caller: Caller = SYSTEM) => {
      await requireBookingAccess(deps, caller, 'serveFloor', id);
      return shownTo(caller, await answerHold(deps, id, 'approve', caller), bookingResource(id));
    },
    rejectHold: async (id: string, caller: Caller = SYSTEM) => {
      await requireBookingAccess(deps, caller, 'serveFloor', id);
      return shownTo(caller, await answerHold(deps, id, 'reject', caller), bookingResource(id));
    },
    expireHolds: () => expireHolds(deps),
    seatBooking: async (id: string, options: SeatOptions = {}, caller: Caller = SYSTEM) => {
      const booking = await requireBookingAccess(deps, caller, 'serveFloor', id);
      return shownTo(caller, await seatBooking(deps, booking, options, caller), bookingResource(id));
    },
    finishBooking: async (id: string, caller: Caller = SYSTEM) => {
      const booking = await requireBookingAccess(deps, caller, 'serveFloor', id);
      return shownTo(caller, await finishBooking(deps, booking, caller), bookingResource(id));
    },
    markNoShow: async (id: string, caller: Caller = SYSTEM) => {
      const booking = await requireBookingAccess(deps, caller, 'serveFloor', id);
      return shownTo(caller, await markNoShow(deps, booking, caller), bookingResource(id));
    },
    undoFloorStep: async (id: string, caller: Caller = SYSTEM) => {
      const booking = await requireBookingAccess(deps, caller, 'serveFloor', id);
      return shownTo(caller, await undoStep(deps, booking, caller), bookingResource(id));
    },
    markDueNoShows: () => markDueNoShows(deps),
    seatWalkIn: async (input: WalkInInput, caller: Caller = SYSTEM) => {
      await requireRestaurantAccess(caller, 'serveFloor', input.restaurantId);
      const view = await seatWalkIn(deps, input, caller);
      return shownTo(caller, view, bookingResource(view.id));
    },
    floorView: async (query: FloorQuery, caller: Caller = SYSTEM) => {
      await requireRestaurantAccess(caller, 'readBookings', query.restaurantId);
      return floorView(deps, query);
    },
    getWaitlistEntry: async (id: string, caller: Caller = SYSTEM) => {
      await requireEntryAccess(caller, 'readBooking', id);
      return getWaitlistEntry(deps, id);
    },
    leaveWaitlist: async (id: string, caller: Caller = SYSTEM) => {
      await requireEntryAccess(caller, 'cancelBooking', id);
      return leaveWaitlist(deps, id, caller);
    },
    promoteWaitlists: () => promoteAllWaitlists(deps),
    repackSector: async (sectorId: string, query: RepackQuery, caller: Caller = SYSTEM) => {
      await requireSectorAccess(caller, 'manageService', sectorId);
      return repackSector(deps, sectorId, query, caller);
    },
    placeBlackout: async (input: BlackoutInput, caller: Caller = SYSTEM) => {
      await requireRestaurantAccess(caller, 'manageService', input.restaurantId);
      return placeBlackout(deps, input, caller);
    },
    resizeBlackout: async (id: string, input: BlackoutResize, caller: Caller = SYSTEM) => {
      await requireBlackoutAccess(caller, id);
      return resizeBlackout(deps, id, input, caller);
    },
    liftBlackout: async (id: string, caller: Caller = SYSTEM) => {
      await requireBlackoutAccess(caller, id);
      return liftBlackout(deps, id, caller);
    },
    turnTimes: async (restaurantId: string, query: TurnTimesQuery, caller: Caller = SYSTEM) => {
      await requireRestaurantAccess(caller, 'manageService', restaurantId);
      return turnTimesReport(deps, restaurantId, query);
    },
    dayReport: async (query: DayReportQuery, caller: Caller = SYSTEM) => {
      await requireRestaurantAccess(caller, 'manageService', query.restaurantId);
      return dayReport(deps, query);
    },
    listBlackouts: async (query: BlackoutsQuery, caller: Caller = SYSTEM) => {
      await requireRestaurantAccess(caller, 'readBookings', query.restaurantId);
      return listBlackouts(deps, query);
    },
    registerRestaurant: (input: RestaurantInput, caller: Caller = SYSTEM) => {
      requireAccess(deps, caller, 'administerPlatform', {});
      return registerRestaurant(deps, input, caller);
    },
    addSector: async (input: SectorInput, caller: Caller = SYSTEM) => {
      await requireRestaurantAccess(caller, 'configureRestaurant', input.restaurantId);
      return addSector(deps, input, caller);
    },
    addTable: async (input: TableInput, caller: Caller = SYSTEM) => {
      await requireSectorAccess(caller, 'configureRestaurant', input.sectorId);
      return addTable(deps, input, caller);
    },
    updateRestaurant: async (id: string, patch: RestaurantPatch, caller: Caller = SYSTEM) => {
      const restaurant = await deps.reads.restaurant(id);
      await requireAccessTo(deps, caller, 'manageService', restaurant && { restaurantId: id }, `restaurant ${id}`);
      return updateRestaurant(deps, id, patch, caller);
    },
    updateSector: async (id: string, patch: SectorPatch, caller: Caller = SYSTEM) => {
      await requireSectorAccess(caller, 'manageService', id);
      return updateSector(deps, id, patch, caller);
    },
    updateTable: async (id: string, patch: TablePatch, caller: Caller = SYSTEM) => {
      const table = await deps.reads.table(id);
      const sector = table && (await deps.reads.sector(table.sectorId));
      await requireAccessTo(deps, caller, 'manageService', sector, `table ${id}`);
      return updateTable(deps, id, patch, caller);
    },
    seedDemo: (caller: Caller = SYSTEM) => {
      requireAccess(deps, caller, 'administerPlatform', {});
      return seedDemo(deps, caller);
    },
    info: (caller: Caller = SYSTEM) => {
      requireAccess(deps, caller, 'administerPlatform', {});
      return adminInfo(deps, startedAt);
    },
    /** Operational endpoints (metrics) answer the platform admin only. */
    requireOperator: (caller: Caller) => requireAccess(deps, caller, 'administerPlatform', {}),
    purgeExpiredIdempotencyKeys: () => deps.idempotency.purgeExpired(deps.clock.now()),
  };
}

export type WokiBrain = ReturnType<typeof createWokiBrain>;
