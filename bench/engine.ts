import type { Dependencies } from '../src/application/dependencies.js';
import { windowsOfSector } from '../src/domain/restaurants/restaurant.js';
import { startPreferenceOf } from '../src/domain/seating/candidateOrder.js';
import { discoverSeatings, type DiscoverRequest } from '../src/domain/seating/discoverSeatings.js';
import { searchWindows, spanOf } from '../src/domain/seating/searchWindow.js';
import { parseLocalTime } from '../src/domain/time/localTime.js';
import { DATE } from './fixtures.js';
import { percentile } from './stats.js';

export interface DiscoverCase {
  restaurantId: string;
  sectorId: string;
  partySize: number;
  durationMinutes: number;
  windowStart?: string;
  windowEnd?: string;
  limit?: number;
}

export interface EngineResult {
  calls: number;
  medianMs: number;
  p99Ms: number;
  maxMs: number;
  /** Candidates returned (at most the limit); 0 means nothing fits. */
  found: number;
}

/**
 * Builds the engine's input exactly as `planSeating` does (service windows clipped
 * to the request, the sector's tables, blocks of seat-taking bookings), once: the
 * timed part is `discoverSeatings` alone.
 */
export async function engineRequest(deps: Dependencies, c: DiscoverCase): Promise<DiscoverRequest> {
  const restaurant = await deps.reads.restaurant(c.restaurantId);
  const sector = await deps.reads.sector(c.sectorId);
  if (!restaurant || !sector) throw new Error(`unknown sector ${c.restaurantId}/${c.sectorId}`);
  const area = searchWindows({
    zone: restaurant.timezone,
    date: DATE,
    serviceWindows: windowsOfSector(restaurant, sector),
    windowStart: c.windowStart === undefined ? undefined : parseLocalTime(c.windowStart)!,
    windowEnd: c.windowEnd === undefined ? undefined : parseLocalTime(c.windowEnd)!,
  });
  if (!area) throw new Error('the requested window misses service hours');
  const [tables, blocks] = await Promise.all([
    deps.reads.tablesOfSector(sector.id),
    deps.reads.seatBlocks(sector.id, spanOf(area.service)),
  ]);
  return {
    zone: restaurant.timezone,
    windows: area.windows,
    service: area.service,
    prefer: startPreferenceOf(c),
    partySize: c.partySize,
    durationMinutes: c.durationMinutes,
    tables,
    blocks,
    limit: c.limit ?? 10,
  };
}

/** Times `calls` calls of `discoverSeatings` after `warmup` untimed ones. */
export function timeDiscover(request: DiscoverRequest, calls: number, warmup: number): EngineResult {
  let found = 0;
  for (let i = 0; i < warmup; i++) found = discoverSeatings(request).length;
  const samples = new Float64Array(calls);
  for (let i = 0; i < calls; i++) {
    const started = process.hrtime.bigint();
    const candidates = discoverSeatings(request);
    samples[i] = Number(process.hrtime.bigint() - started) / 1e6;
    found = candidates.length;
  }
  samples.sort();
  return {
    calls,
    medianMs: percentile(samples, 50),
    p99Ms: percentile(samples, 99),
    maxMs: samples[calls - 1] ?? Number.NaN,
    found,
  };
}
