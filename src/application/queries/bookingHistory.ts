import type { Booking } from '../../domain/bookings/booking.js';
import { evolveBooking, type BookingEvent } from '../../domain/bookings/bookingEvents.js';
import { formatInstant } from '../../domain/time/zone.js';
import { AppError } from '../../errors/catalogue.js';
import type { DayQuery, DayResponse } from '../contracts/bookings.js';
import type { BookingHistory } from '../contracts/history.js';
import type { Dependencies } from '../dependencies.js';
import { requireRestaurant, requireSectorOf } from '../lookups.js';
import { streams, type StoredEvent } from '../ports/eventStore.js';
import { bookingView } from '../views.js';
import { allAsOf, bookingAsOf } from './stateAsOf.js';

const asBookingEvent = (stored: StoredEvent) => ({ type: stored.type, data: stored.data }) as BookingEvent;

/** The booking's events, oldest first, each with the booking as it stood after it. */
export async function bookingHistory(deps: Dependencies, id: string): Promise<BookingHistory> {
  const events = await deps.events.readStream(streams.booking(id));
  if (events.length === 0) throw new AppError('not_found', `booking ${id} does not exist`);
  let state: Booking | null = null;
  let zone: string | null = null;
  const items = [];
  for (const stored of events) {
    state = evolveBooking(state, asBookingEvent(stored));
    zone ??= (await requireRestaurant(deps.reads, state!.restaurantId)).timezone;
    items.push({
      position: stored.position,
      version: stored.version,
      type: stored.type,
      recordedAt: formatInstant(zone, stored.recordedAt, true),
      actor: stored.metadata.actor,
      requestId: stored.metadata.requestId,
      booking: bookingView(state!, zone),
    });
  }
  return { bookingId: id, events: items };
}

/** The day's listing as it stood at `asOf`: each booking folded from its events recorded by then. */
export async function listDayAsOf(deps: Dependencies, query: DayQuery, asOf: number): Promise<DayResponse> {
  const { restaurant } = await requireSectorOf(deps.reads, query.restaurantId, query.sectorId);
  const current = await deps.reads.bookingsOfDay(query.restaurantId, query.sectorId, query.date);
  const past = await allAsOf(current, asOf, (id, at) => bookingAsOf(deps, id, at));
  return { date: query.date, items: past.map((booking) => bookingView(booking, restaurant.timezone)) };
}
