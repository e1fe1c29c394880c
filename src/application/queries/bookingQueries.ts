import { AppError } from '../../errors/catalogue.js';
import type { BookingView, DayQuery, DayResponse } from '../contracts/bookings.js';
import type { Dependencies } from '../dependencies.js';
import { requireRestaurant, requireSectorOf } from '../lookups.js';
import { bookingView } from '../views.js';
import { listDayAsOf } from './bookingHistory.js';

export async function listDay(deps: Dependencies, query: DayQuery): Promise<DayResponse> {
  if (query.asOf !== undefined) return listDayAsOf(deps, query, Date.parse(query.asOf));
  const { restaurant } = await requireSectorOf(deps.reads, query.restaurantId, query.sectorId);
  const bookings = await deps.reads.bookingsOfDay(query.restaurantId, query.sectorId, query.date);
  return { date: query.date, items: bookings.map((booking) => bookingView(booking, restaurant.timezone)) };
}

export async function getBooking(deps: Dependencies, id: string): Promise<BookingView> {
  const found = await deps.reads.booking(id);
  if (!found) throw new AppError('not_found', `booking ${id} does not exist`);
  const restaurant = await requireRestaurant(deps.reads, found.value.restaurantId);
  return bookingView(found.value, restaurant.timezone);
}
