import { weighted } from '../prng.js';
import { searchWindows } from '../../src/domain/seating/searchWindow.js';
import { parseLocalTime, SLOT_MINUTES } from '../../src/domain/time/localTime.js';
import { seatsOf, ZONE } from './layouts.js';
import type { Day, DayEvent, Layout, Request } from './model.js';

/** Party sizes and weights: mostly 2–4, a tail up to 12 (mean ≈ 3.5). */
const PARTY_MIX: readonly (readonly [number, number])[] = [
  [1, 3],
  [2, 34],
  [3, 16],
  [4, 24],
  [5, 6],
  [6, 7],
  [7, 3],
  [8, 3],
  [9, 1.2],
  [10, 1.2],
  [11, 0.8],
  [12, 0.8],
];

/** Lunch takes this share of the requests; each service has a normal peak of desired starts. */
const PEAKS = [
  { share: 0.4, peak: '13:15', spreadMinutes: 35 },
  { share: 0.6, peak: '21:00', spreadMinutes: 45 },
] as const;

/** The guest accepts any start within this many minutes of the desired one. */
export const FLEX_MINUTES = 30;
export const CANCEL_SHARE = 0.1;

function durationFor(partySize: number): number {
  if (partySize <= 2) return 75;
  if (partySize <= 4) return 90;
  if (partySize <= 8) return 120;
  return 150;
}

/** Mean seat-minutes (party × duration) of one request under the mix. */
function meanSeatMinutes(): number {
  const total = PARTY_MIX.reduce((sum, [, weight]) => sum + weight, 0);
  return PARTY_MIX.reduce((sum, [party, weight]) => sum + (weight / total) * party * durationFor(party), 0);
}

/**
 * Requests a day: `demand` × the seat-minutes the room holds over all service
 * hours, ±15%. Since desired times bunch at the peaks, demand 1.0 over-subscribes
 * the peaks well beyond capacity while the edges of service stay quiet.
 */
function requestsPerDay(layout: Layout, demand: number, random: () => number): number {
  const serviceMinutes = layout.service.reduce((sum, w) => sum + parseLocalTime(w.end)! - parseLocalTime(w.start)!, 0);
  const mean = (demand * seatsOf(layout) * serviceMinutes) / meanSeatMinutes();
  return Math.max(1, Math.round(mean * (0.85 + 0.3 * random())));
}

function normal(random: () => number): number {
  const u = Math.max(random(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

function snap(minute: number): number {
  return Math.round(minute / SLOT_MINUTES) * SLOT_MINUTES;
}

function makeRequest(layout: Layout, date: string, index: number, random: () => number): Request {
  const serviceIndex = random() < PEAKS[0].share ? 0 : 1;
  const peak = PEAKS[serviceIndex]!;
  const window = layout.service[serviceIndex]!;
  const open = parseLocalTime(window.start)!;
  const close = parseLocalTime(window.end)!;
  const partySize = weighted(random, PARTY_MIX);
  const durationMinutes = durationFor(partySize);
  const wanted = snap(parseLocalTime(peak.peak)! + peak.spreadMinutes * normal(random));
  const desiredMinute = Math.min(Math.max(wanted, open), close - durationMinutes);
  const windowStart = Math.max(open, desiredMinute - FLEX_MINUTES);
  const windowEnd = Math.min(close, desiredMinute + durationMinutes + FLEX_MINUTES);
  const windows = searchWindows({ zone: ZONE, date, serviceWindows: layout.service, windowStart, windowEnd })?.windows;
  if (!windows) throw new Error(`request window ${windowStart}–${windowEnd} misses service`);
  return {
    id: `R${String(index + 1).padStart(4, '0')}`,
    partySize,
    durationMinutes,
    desiredMinute,
    windows,
    serviceIndex,
    cancels: random() < CANCEL_SHARE,
  };
}

/** One service day: requests arrive in random order; a cancelling guest cancels at a random later point. */
export function makeDay(layout: Layout, date: string, demand: number, random: () => number): Day {
  const service = searchWindows({ zone: ZONE, date, serviceWindows: layout.service })?.service;
  if (!service || service.length !== layout.service.length) throw new Error(`service windows of ${date} do not resolve`);
  const count = requestsPerDay(layout, demand, random);
  const requests = Array.from({ length: count }, (_, i) => makeRequest(layout, date, i, random));
  // Arrival order: a random permutation, by random keys; a cancellation sorts after its arrival.
  const keyed: { key: number; event: DayEvent }[] = [];
  for (const request of requests) {
    const arrival = random() * count;
    keyed.push({ key: arrival, event: { kind: 'request', request } });
    if (request.cancels) {
      keyed.push({ key: arrival + random() * (count - arrival), event: { kind: 'cancel', requestId: request.id } });
    }
  }
  keyed.sort((a, b) => a.key - b.key);
  return { date, service, requests, events: keyed.map((entry) => entry.event) };
}
