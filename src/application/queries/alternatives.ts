import { gridStarts } from '../../domain/availability/startSet.js';
import { windowsOfSector, type Restaurant, type Table } from '../../domain/restaurants/restaurant.js';
import { startPreferenceOf } from '../../domain/seating/candidateOrder.js';
import { addDays, isBookableDate, type CalendarDate } from '../../domain/time/calendarDate.js';
import type { Interval } from '../../domain/time/interval.js';
import { parseLocalTime, SLOT_MINUTES } from '../../domain/time/localTime.js';
import { resolveRequestedWindow, resolveServiceWindows } from '../../domain/time/serviceWindows.js';
import { hasWholeMinuteOffset, type Instant } from '../../domain/time/zone.js';
import { AppError, isAppError } from '../../errors/catalogue.js';
import type { AlternativeView } from '../contracts/bookings.js';
import type { Dependencies } from '../dependencies.js';
import type { ReadModel } from '../ports/readModel.js';
import { alternativeView } from '../views.js';
import {
  readSectorDay,
  requestedArea,
  resolveScope,
  seatingsIn,
  stayLength,
  withLearnedStay,
  type ScopedSector,
  type SeatingRequest,
  type SeatingScope,
  type SeatingSearch,
  type SectorCandidate,
  type SectorDay,
} from './planSeating.js';
import { mergeAcrossSectors, type SectorFindings } from './sectorRanking.js';
import { SeatingLimiter } from './seatingLimits.js';

const MINUTE_MS = 60_000;
const SLOT_MS = SLOT_MINUTES * MINUTE_MS;

/**
 * Engine calls one refusal may spend on alternatives. One sector needs at most 20:
 * on the requested date, per side, 1 + ⌈log₂ n⌉ ≤ 8 (n ≤ 100 grid starts in a day),
 * and at most 2 on each neighbouring date. Several sectors share the budget; once it
 * is spent, what was found is answered.
 */
const ENGINE_CALL_BUDGET = 40;

type Deps = Pick<Dependencies, 'reads' | 'caches' | 'clock'>;

/**
 * Whether some set of the tables has Σ minSize ≤ party ≤ Σ maxSize: whether the party
 * could ever be seated there, whatever the time. Exact, by a knapsack over Σ minSize
 * (0..party) keeping the largest Σ maxSize reachable: O(tables × party).
 */
function couldEverSeat(tables: readonly Table[], partySize: number): boolean {
  let seats = 0;
  for (const table of tables) seats += table.maxSize;
  // The cheap refusals first: more guests than seats, or fewer than any table's minimum.
  if (partySize > seats || !tables.some((table) => table.minSize <= partySize)) return false;
  const mostSeats = new Float64Array(partySize + 1).fill(-1);
  mostSeats[0] = 0;
  for (const table of tables) {
    for (let min = partySize; min >= table.minSize; min--) {
      const before = mostSeats[min - table.minSize]!;
      if (before >= 0 && before + table.maxSize > mostSeats[min]!) mostSeats[min] = before + table.maxSize;
    }
  }
  for (let min = 1; min <= partySize; min++) if (mostSeats[min]! >= partySize) return true;
  return false;
}

/**
 * The scope's sectors whose tables could ever seat the party (combinations stay within
 * a sector): a party above a sector's Σ maxSize, below every minSize there, or between
 * what its table sets hold (3 where only 2-tops stand) never fits it, whatever the
 * time. Reads tables only; no engine call.
 */
export async function sectorsThatCanSeat(reads: ReadModel, scope: SeatingScope, partySize: number): Promise<ScopedSector[]> {
  const tables = await Promise.all(scope.sectors.map((scoped) => reads.tablesOfSector(scoped.sector.id)));
  return scope.sectors.filter((_, index) => couldEverSeat(tables[index]!, partySize));
}

/** A `no_capacity` refusal of the request, with its alternatives; any other error as it was. */
export async function withAlternatives(deps: Deps, error: unknown, request: SeatingRequest): Promise<unknown> {
  if (!isAppError(error) || error.code !== 'no_capacity') return error;
  return new AppError('no_capacity', error.detail, { ...error.extra, alternatives: await findAlternatives(deps, request) });
}

/**
 * What fits nearest outside a request that nothing fits, in its scope (its sector, or
 * every sector of its restaurant), nearest first, at most 4:
 *
 * 1. on the requested date, when the request had a window: the stay with the latest
 *    start before the window's start, and the one with the earliest end after the
 *    window's end, over the date's whole service hours; the nearer of the two first
 *    (by how far the stay moved out of the window; a tie puts the earlier first);
 * 2. the next date, then the previous one: a stay in the requested window on that
 *    date if one fits, else the first candidate over the date's whole service hours
 *    with the earliest start preferred (what a create for that date would book).
 *
 * Each is the best seating (WokiBrain order, across sectors) at its start. None
 * starts before now (the application's clock): an alternative is an offer to book.
 * A party no table of the scope could ever seat gets none, without an engine call.
 */
async function findAlternatives(deps: Deps, request: SeatingRequest): Promise<AlternativeView[]> {
  const scope = await resolveScope(deps.reads, request.restaurantId, request.sectorId);
  const holders = await sectorsThatCanSeat(deps.reads, scope, request.partySize);
  if (holders.length === 0) return [];
  const { restaurant } = scope;
  const durationMinutes = stayLength(restaurant, await withLearnedStay(deps.reads, deps.caches, restaurant, scope.sectors, request));
  // The same tables and pacing caps as the request (its channel): an alternative is an offer to book.
  const limiter = new SeatingLimiter(deps.reads, restaurant, request);
  const search = new AlternativeSearch(deps, restaurant, holders, limiter, {
    partySize: request.partySize,
    durationMinutes,
    prefer: startPreferenceOf(request),
    limit: 1,
  });
  // Without a window the whole date was searched: nothing lies outside it.
  const hasWindow = request.windowStart !== undefined || request.windowEnd !== undefined;
  const found = hasWindow ? await search.outsideWindow(request) : [];
  for (const date of [addDays(request.date, 1), addDays(request.date, -1)]) {
    if (!isBookableDate(date)) continue;
    const first = await search.firstOn(date, request);
    if (first) found.push(first);
  }
  return found;
}

interface Nearest {
  day: SectorDay;
  candidate: SectorCandidate;
  /** How far the stay lies outside the requested window, in ms. */
  distance: number;
}

class AlternativeSearch {
  private engineCalls = 0;
  private readonly days = new Map<string, Promise<SectorDay>>();
  private readonly now: Instant;
  private readonly durationMs: number;

  constructor(
    private readonly deps: Deps,
    private readonly restaurant: Restaurant,
    private readonly sectors: readonly ScopedSector[],
    private readonly limiter: SeatingLimiter,
    private readonly search: SeatingSearch,
  ) {
    this.now = deps.clock.now();
    this.durationMs = search.durationMinutes * MINUTE_MS;
  }

  /** Step 1: the nearest stay before the requested window and the nearest after it, on its date. */
  async outsideWindow(request: SeatingRequest): Promise<AlternativeView[]> {
    const windowStart = request.windowStart === undefined ? undefined : parseLocalTime(request.windowStart)!;
    const windowEnd = request.windowEnd === undefined ? undefined : parseLocalTime(request.windowEnd)!;
    const found: Nearest[] = [];
    for (const side of ['before', 'after'] as const) {
      let best: Nearest[] = [];
      for (const scoped of this.sectors) {
        const service = this.serviceOf(scoped, request.date);
        if (!service) continue;
        const requested = resolveRequestedWindow(
          this.restaurant.timezone,
          request.date,
          windowsOfSector(this.restaurant, scoped.sector),
          windowStart,
          windowEnd,
        );
        // How far a stay starting at t lies outside the window; a later sector only looks as near as the nearest yet.
        const distance = (t: Instant) => (side === 'before' ? requested.start - t : t + this.durationMs - requested.end);
        const bound = best[0]?.distance ?? Number.POSITIVE_INFINITY;
        const near = this.startsFromNow(service)
          .filter((t) => distance(t) > 0 && distance(t) <= bound)
          .sort((a, b) => distance(a) - distance(b));
        if (near.length === 0) continue;
        const day = await this.dayOf(scoped, request.date, service);
        const candidate = await this.nearestIn(day, near);
        if (!candidate) continue;
        const nearest = { day, candidate, distance: distance(candidate.start) };
        if (best.length > 0 && nearest.distance === best[0]!.distance) best.push(nearest);
        else if (best.length === 0 || nearest.distance < best[0]!.distance) best = [nearest];
      }
      const chosen = this.bestOf(best);
      if (chosen) found.push(chosen);
    }
    found.sort((a, b) => a.distance - b.distance || a.candidate.start - b.candidate.start);
    return found.map(({ candidate }) => alternativeView(candidate, request.date, this.restaurant.timezone));
  }

  /** Step 2: on another date, a stay in the requested window if one fits, else the first over the whole service hours. */
  async firstOn(date: CalendarDate, request: SeatingRequest): Promise<AlternativeView | undefined> {
    const inWindow = request.windowStart !== undefined || request.windowEnd !== undefined;
    const attempts = inWindow ? (['window', 'day'] as const) : (['day'] as const);
    for (const attempt of attempts) {
      const prefer = attempt === 'window' ? this.search.prefer : 'earliest';
      const found: SectorFindings[] = [];
      for (const scoped of this.sectors) {
        const service = this.serviceOf(scoped, date);
        if (!service) continue;
        const area = attempt === 'window' ? requestedArea(this.restaurant, scoped.sector, { ...request, date })?.windows : service;
        const windows = area && this.fromNow(area);
        if (!windows) continue;
        const day = await this.dayOf(scoped, date, service);
        const candidates = await this.engine(day, windows, prefer);
        if (candidates.length > 0) found.push({ day, windows, candidates });
      }
      const chosen = mergeAcrossSectors(found, { ...this.search, prefer })[0];
      if (chosen) return alternativeView(chosen, date, this.restaurant.timezone);
    }
    return undefined;
  }

  /**
   * The best seating at the nearest start of `near` (starts ordered nearest first,
   * forming one stretch of time) at which anything fits: a first call over the whole
   * stretch, then a binary search towards the near end, each call over the nearer
   * half of what is left. At most 1 + ⌈log₂ n⌉ calls.
   */
  private async nearestIn(day: SectorDay, near: readonly Instant[]): Promise<SectorCandidate | undefined> {
    const within = async (i: number, j: number) => {
      const from = Math.min(near[i]!, near[j]!);
      const to = Math.max(near[i]!, near[j]!);
      return (await this.engine(day, clip(day.service, from, to, this.durationMs), this.search.prefer))[0];
    };
    let found = await within(0, near.length - 1);
    if (!found) return undefined;
    let low = 0;
    let high = near.indexOf(found.start);
    while (low < high) {
      const middle = (low + high) >>> 1;
      const nearer = await within(low, middle);
      if (nearer) {
        found = nearer;
        high = near.indexOf(nearer.start);
      } else {
        low = middle + 1;
      }
    }
    return found;
  }

  /** Of the sectors' best seatings at one start, the first in WokiBrain order. */
  private bestOf(entries: readonly Nearest[]): Nearest | undefined {
    const first = mergeAcrossSectors(
      entries.map(({ day, candidate }) => ({ day, windows: [], candidates: [candidate] })),
      this.search,
    )[0];
    return first && entries.find((entry) => entry.candidate.sectorId === first.sectorId);
  }

  private async engine(day: SectorDay, windows: readonly Interval[], prefer: SeatingSearch['prefer']): Promise<SectorCandidate[]> {
    if (windows.length === 0 || this.engineCalls >= ENGINE_CALL_BUDGET) return [];
    this.engineCalls++;
    return seatingsIn(day, windows, { ...this.search, prefer }, false);
  }

  /** The sector's service windows on the date, or `null` when the zone's offset there is not whole minutes (never a slot). */
  private serviceOf(scoped: ScopedSector, date: CalendarDate): Interval[] | null {
    const service = resolveServiceWindows(this.restaurant.timezone, date, windowsOfSector(this.restaurant, scoped.sector));
    const usable = service.length > 0 && service.every((window) => hasWholeMinuteOffset(this.restaurant.timezone, window.start));
    return usable ? service : null;
  }

  private dayOf(scoped: ScopedSector, date: CalendarDate, service: Interval[]): Promise<SectorDay> {
    const key = `${scoped.sector.id}|${date}`;
    let day = this.days.get(key);
    if (!day) {
      day = readSectorDay(this.deps.reads, this.deps.caches, this.restaurant, scoped, service).then(async (read) => ({
        ...read,
        limits: await this.limiter.limitsOf(scoped.sector, read.tables, date),
      }));
      this.days.set(key, day);
    }
    return day;
  }

  /** The grid starts of the service windows, from now on. */
  private startsFromNow(windows: readonly Interval[]): Instant[] {
    return gridStarts(windows, this.durationMs, SLOT_MS).filter((t) => t >= this.now);
  }

  /** The windows cut to the starts from now on; `null` when none is left. */
  private fromNow(windows: readonly Interval[]): Interval[] | null {
    const starts = this.startsFromNow(windows);
    return starts.length === 0 ? null : clip(windows, starts[0]!, starts[starts.length - 1]!, this.durationMs);
  }
}

/** The windows cut so that exactly their grid starts from `from` to `to` remain (both grid starts of the windows). */
function clip(windows: readonly Interval[], from: Instant, to: Instant, durationMs: number): Interval[] {
  return windows
    .map((window) => ({ start: Math.max(window.start, from), end: Math.min(window.end, to + durationMs) }))
    .filter((window) => window.end - window.start >= durationMs);
}
