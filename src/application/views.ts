import type { Booking } from '../domain/bookings/booking.js';
import type { Restaurant, Sector, Table } from '../domain/restaurants/restaurant.js';
import type { Candidate } from '../domain/seating/discoverSeatings.js';
import { formatInstant } from '../domain/time/zone.js';
import type { Blackout } from '../domain/blackouts/blackout.js';
import type { BlackoutView } from './contracts/blackouts.js';
import type { AlternativeView, BookingView } from './contracts/bookings.js';
import type { WaitlistEntryView } from './contracts/waitlist.js';
import type { WaitlistEntry } from '../domain/waitlist/waitlistEntry.js';

/** Instants leave the application in the restaurant's offset; audit times keep milliseconds. */
export function bookingView(booking: Booking, zone: string): BookingView {
  const view: BookingView = {
    id: booking.id,
    restaurantId: booking.restaurantId,
    sectorId: booking.sectorId,
    date: booking.date,
    tableIds: [...booking.tableIds],
    partySize: booking.partySize,
    start: formatInstant(zone, booking.start),
    end: formatInstant(zone, booking.end),
    durationMinutes: booking.durationMinutes,
    status: booking.status,
    source: booking.source ?? 'online',
    createdAt: formatInstant(zone, booking.createdAt, true),
    updatedAt: formatInstant(zone, booking.updatedAt, true),
  };
  for (const field of ['guestId', 'guestName', 'guestEmail', 'guestPhone', 'notes'] as const) {
    if (booking[field] !== undefined) view[field] = booking[field];
  }
  if (booking.statusReason !== undefined) view.statusReason = booking.statusReason;
  if (booking.holdExpiresAt !== undefined) view.holdExpiresAt = formatInstant(zone, booking.holdExpiresAt, true);
  for (const field of ['seatedAt', 'seatedUntil', 'finishedAt', 'noShowAt'] as const) {
    if (booking[field] !== undefined) view[field] = formatInstant(zone, booking[field], true);
  }
  if (booking.noShowAutomatic !== undefined) view.noShowAutomatic = booking.noShowAutomatic;
  if (booking.pacingOverride !== undefined) view.pacingOverride = { ...booking.pacingOverride };
  return view;
}

export function blackoutView(blackout: Blackout, zone: string): BlackoutView {
  const view: BlackoutView = {
    id: blackout.id,
    restaurantId: blackout.restaurantId,
    sectorId: blackout.sectorId,
    tableIds: [...blackout.tableIds],
    wholeSector: blackout.wholeSector,
    start: formatInstant(zone, blackout.start),
    end: formatInstant(zone, blackout.end),
    status: blackout.status,
    createdAt: formatInstant(zone, blackout.createdAt, true),
    updatedAt: formatInstant(zone, blackout.updatedAt, true),
  };
  if (blackout.reason !== undefined) view.reason = blackout.reason;
  return view;
}

export function waitlistView(entry: WaitlistEntry, zone: string): WaitlistEntryView {
  const { createdAt, updatedAt, ...rest } = entry;
  return { ...rest, createdAt: formatInstant(zone, createdAt, true), updatedAt: formatInstant(zone, updatedAt, true) };
}

/** Grid instants as text, per zone: candidates fall on a few hundred quarter hours a day, formatted again and again. */
const gridTimes = new Map<string, Map<number, string>>();
const GRID_TIMES_PER_ZONE = 10_000;

/** `formatInstant` of a stay's start or end, remembered (it is a pure function of the two). */
function gridTime(zone: string, instant: number): string {
  let times = gridTimes.get(zone);
  if (!times) {
    times = new Map();
    gridTimes.set(zone, times);
  }
  let text = times.get(instant);
  if (text === undefined) {
    if (times.size >= GRID_TIMES_PER_ZONE) times.clear();
    text = formatInstant(zone, instant);
    times.set(instant, text);
  }
  return text;
}

export function candidateView(candidate: Candidate & { sectorId: string }, zone: string) {
  return {
    sectorId: candidate.sectorId,
    kind: candidate.kind,
    tableIds: candidate.tableIds,
    start: gridTime(zone, candidate.start),
    end: gridTime(zone, candidate.end),
    score: candidate.score,
    rationale: candidate.rationale,
  };
}

export function alternativeView(candidate: Candidate & { sectorId: string }, date: string, zone: string): AlternativeView {
  return {
    date,
    start: formatInstant(zone, candidate.start),
    end: formatInstant(zone, candidate.end),
    sectorId: candidate.sectorId,
    tableIds: [...candidate.tableIds],
    kind: candidate.kind,
  };
}

const audit = (entity: { createdAt: number; updatedAt: number }, zone: string) => ({
  createdAt: formatInstant(zone, entity.createdAt, true),
  updatedAt: formatInstant(zone, entity.updatedAt, true),
});

export function restaurantView(restaurant: Restaurant) {
  const { createdAt: _c, updatedAt: _u, ...rest } = restaurant;
  return { ...rest, ...audit(restaurant, restaurant.timezone) };
}

export function sectorView(sector: Sector, zone: string) {
  const { createdAt: _c, updatedAt: _u, ...rest } = sector;
  return { ...rest, ...audit(sector, zone) };
}

export function tableView(table: Table, zone: string) {
  const { createdAt: _c, updatedAt: _u, ...rest } = table;
  return { ...rest, ...audit(table, zone) };
}
