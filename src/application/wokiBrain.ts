import { liftBlackout, placeBlackout, resizeBlackout } from './commands/blackouts.js';
import { cancelBooking } from './commands/cancelBooking.js';
import { createBooking, type Booked, type CreatedBooking } from './commands/createBooking.js';
import { answerHold, expireHolds } from './commands/holds.js';
import { repackSector } from './commands/repack.js';
import { getWaitlistEntry, leaveWaitlist, promoteAllWaitlists } from './commands/waitlist.js';
import { seedDemo } from './commands/seedDemo.js';
import { addSector, addTable, registerRestaurant } from './commands/setup.js';
import type { BlackoutInput, BlackoutResize, BlackoutsQuery } from './contracts/blackouts.js';
import type { CreateBookingInput, DayQuery, DiscoverQuery } from './contracts/bookings.js';
import type { RepackQuery } from './contracts/repack.js';
import type { RestaurantInput, SectorInput, TableInput } from './contracts/setup.js';
import type { Caller, Dependencies } from './dependencies.js';
import { adminInfo } from './queries/adminInfo.js';
import { listBlackouts } from './queries/blackoutQueries.js';
import { bookingHistory } from './queries/bookingHistory.js';
import { getBooking, listDay } from './queries/bookingQueries.js';
import { discover } from './queries/discover.js';

/** Every use case, bound to its dependencies: what each protocol adapter calls. */
export function createWokiBrain(deps: Dependencies) {
  const startedAt = deps.clock.now();
  /** Without `waitlist: true` the outcome is always a booking (or an error). */
  function bookOrWait(input: CreateBookingInput & { waitlist?: false }, caller: Caller, idempotencyKey?: string): Promise<Booked>;
  function bookOrWait(input: CreateBookingInput, caller: Caller, idempotencyKey?: string): Promise<CreatedBooking>;
  function bookOrWait(input: CreateBookingInput, caller: Caller, idempotencyKey?: string): Promise<CreatedBooking> {
    return createBooking(deps, input, caller, idempotencyKey);
  }
  return {
    discover: (query: DiscoverQuery) => discover(deps, query),
    createBooking: bookOrWait,
    listDay: (query: DayQuery) => listDay(deps, query),
    getBooking: (id: string) => getBooking(deps, id),
    bookingHistory: (id: string) => bookingHistory(deps, id),
    cancelBooking: (id: string, caller: Caller) => cancelBooking(deps, id, caller),
    approveHold: (id: string, caller: Caller) => answerHold(deps, id, 'approve', caller),
    rejectHold: (id: string, caller: Caller) => answerHold(deps, id, 'reject', caller),
    expireHolds: () => expireHolds(deps),
    getWaitlistEntry: (id: string) => getWaitlistEntry(deps, id),
    leaveWaitlist: (id: string, caller: Caller) => leaveWaitlist(deps, id, caller),
    promoteWaitlists: () => promoteAllWaitlists(deps),
    repackSector: (sectorId: string, query: RepackQuery, caller: Caller) => repackSector(deps, sectorId, query, caller),
    placeBlackout: (input: BlackoutInput, caller: Caller) => placeBlackout(deps, input, caller),
    resizeBlackout: (id: string, input: BlackoutResize, caller: Caller) => resizeBlackout(deps, id, input, caller),
    liftBlackout: (id: string, caller: Caller) => liftBlackout(deps, id, caller),
    listBlackouts: (query: BlackoutsQuery) => listBlackouts(deps, query),
    registerRestaurant: (input: RestaurantInput, caller: Caller) => registerRestaurant(deps, input, caller),
    addSector: (input: SectorInput, caller: Caller) => addSector(deps, input, caller),
    addTable: (input: TableInput, caller: Caller) => addTable(deps, input, caller),
    seedDemo: (caller: Caller) => seedDemo(deps, caller),
    info: () => adminInfo(deps, startedAt),
    purgeExpiredIdempotencyKeys: () => deps.idempotency.purgeExpired(deps.clock.now()),
  };
}

export type WokiBrain = ReturnType<typeof createWokiBrain>;
