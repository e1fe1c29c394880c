import { freeGaps } from '../availability/freeGaps.js';
import { groupBlocksByTable, type SeatBlock } from '../availability/seatBlock.js';
import { gridStarts, stayFit } from '../availability/startSet.js';
import type { Interval } from '../time/interval.js';
import { formatLocalTime, SLOT_MINUTES } from '../time/localTime.js';
import { localMinuteOf, type Instant } from '../time/zone.js';
import { scoreOf, type StartPreference } from './candidateOrder.js';
import { searchSeatingsInSteps, type FoundSeating, type SearchTable } from './combinationSearch.js';
import { allSteps, type Steps } from './steps.js';
import type { TableCapacity } from './table.js';

const MINUTE_MS = 60_000;

export interface Candidate {
  kind: 'single' | 'combo';
  tableIds: string[];
  start: Instant;
  end: Instant;
  /** Σ minSize – Σ maxSize of the tables. */
  capacity: { min: number; max: number };
  score: number;
  rationale: string;
  /** How many of the tables hold the stay flush against a neighbour (see `fitInGaps`): what the order ranks it by. */
  flush: number;
  /** Σ over the tables of idle time left in the free gap holding the stay, in ms (see `fitInGaps`). */
  slack: number;
}

export interface DiscoverRequest {
  zone: string;
  /** Where the stay may lie, from `searchWindows`. */
  windows: readonly Interval[];
  /**
   * The day's service windows, unclipped, holding `windows`: free gaps (and so
   * flush stays) are judged against service hours, not the guest's window.
   * `blocks` must hold every block overlapping them.
   */
  service: readonly Interval[];
  /** How to weigh the clock against packing the day; see `candidateOrder`. */
  prefer: StartPreference;
  partySize: number;
  durationMinutes: number;
  tables: readonly TableCapacity[];
  blocks: readonly SeatBlock[];
  limit: number;
  nodeBudget?: number;
}

/** Candidates in WokiBrain order; empty when nothing fits. Pure and order-independent. */
export function discoverSeatings(request: DiscoverRequest): Candidate[] {
  return seatingsOnGrid(
    stayGrid(seatingDay(request.service, request.tables, request.blocks), request.windows, request.durationMinutes),
    request,
  );
}

/**
 * One sector's service day as the engine reads it, whatever the party, stay or
 * window: each table's free gaps in service hours. Depends only on its three
 * inputs, so a caller may keep it for as long as they stand.
 */
export interface SeatingDay {
  service: readonly Interval[];
  tables: readonly TableCapacity[];
  /** gaps[i]: the free gaps of tables[i], sorted. */
  gaps: readonly (readonly Interval[])[];
}

export function seatingDay(service: readonly Interval[], tables: readonly TableCapacity[], blocks: readonly SeatBlock[]): SeatingDay {
  const busyByTable = groupBlocksByTable(blocks);
  return { service, tables, gaps: tables.map((table) => freeGaps(service, busyByTable.get(table.id) ?? [])) };
}

/**
 * The day seen by stays of one length starting inside the windows: the grid
 * starts and, per table, the starts at which it is free for the whole stay and how
 * each sits in its gap. Depends on the day, the windows and the duration only:
 * every party size reuses it.
 */
export interface StayGrid {
  starts: readonly Instant[];
  durationMs: number;
  tables: readonly SearchTable[];
}

export function stayGrid(day: SeatingDay, windows: readonly Interval[], durationMinutes: number): StayGrid {
  return stayGridAt(day, gridStarts(windows, durationMinutes * MINUTE_MS, SLOT_MINUTES * MINUTE_MS), durationMinutes);
}

/** The same, for starts given (ascending, distinct): a walk-in's start is now, off the grid. */
export function stayGridAt(day: SeatingDay, starts: readonly Instant[], durationMinutes: number): StayGrid {
  const durationMs = durationMinutes * MINUTE_MS;
  const tables =
    starts.length === 0
      ? []
      : day.tables.map(({ id, minSize, maxSize }, i): SearchTable => ({
          id,
          minSize,
          maxSize,
          ...stayFit(starts, day.gaps[i]!, durationMs),
        }));
  return { starts, durationMs, tables };
}

/** What a search asks of a grid. */
export type GridSearch = Pick<DiscoverRequest, 'zone' | 'prefer' | 'partySize' | 'limit' | 'nodeBudget'>;

/** `discoverSeatings` on a grid already built: the same candidates, in the same order. */
export function seatingsOnGrid(grid: StayGrid, request: GridSearch): Candidate[] {
  return allSteps(seatingsOnGridInSteps(grid, request));
}

/** The same, pausing between units of the search (see `searchSeatingsInSteps`). */
export function* seatingsOnGridInSteps(grid: StayGrid, request: GridSearch): Steps<Candidate[]> {
  const { starts, durationMs } = grid;
  if (starts.length === 0 || grid.tables.length === 0) return [];
  const found = yield* searchSeatingsInSteps(grid.tables, {
    partySize: request.partySize,
    limit: request.limit,
    starts,
    prefer: request.prefer,
    ...(request.nodeBudget === undefined ? {} : { nodeBudget: request.nodeBudget }),
  });
  const fewestTables = found[0]?.tableIds.length ?? 0;
  // Candidates often share a start: its local time is worked out once per call.
  const localTimes = new Map<number, string>();
  const localTime = (start: Instant) => {
    let text = localTimes.get(start);
    if (text === undefined) {
      text = formatLocalTime(localMinuteOf(request.zone, start));
      localTimes.set(start, text);
    }
    return text;
  };
  return found.map((seating) => toCandidate(seating, request, durationMs, starts.length, fewestTables, localTime(seating.start)));
}

function toCandidate(
  seating: FoundSeating,
  request: GridSearch,
  durationMs: number,
  startCount: number,
  fewestTables: number,
  time: string,
): Candidate {
  const single = seating.tableIds.length === 1;
  return {
    kind: single ? 'single' : 'combo',
    tableIds: seating.tableIds,
    start: seating.start,
    end: seating.start + durationMs,
    capacity: { min: seating.minSize, max: seating.maxSize },
    score: scoreOf(
      { tableCount: seating.tableIds.length, waste: seating.waste, flush: seating.flush, startIndex: seating.startIndex },
      startCount,
      request.prefer,
    ),
    rationale: rationaleOf(seating, request, fewestTables, time),
    flush: seating.flush,
    slack: seating.slack,
  };
}

/** `time`: the start's local time of day, `HH:MM`. */
function rationaleOf(seating: FoundSeating, request: GridSearch, fewestTables: number, time: string): string {
  const tables = seating.tableIds.length === 1 ? `Table ${seating.tableIds[0]}` : `Tables ${seating.tableIds.join('+')}`;
  const spare = seating.waste === 0 ? 'no seat left empty' : `${seating.waste} seat${seating.waste === 1 ? '' : 's'} left empty`;
  const when = seating.startIndex === 0 ? `${time}, the first start in the window` : `${time}`;
  const count = seating.tableIds.length;
  const fit =
    seating.flush === count
      ? 'flush with the booking, blackout or service edge beside it'
      : seating.flush === 0
        ? 'in the middle of a free gap'
        : `flush on ${seating.flush} of ${count} tables`;
  const why = count > 1 && count === fewestTables ? `; no set of fewer tables is free for ${request.partySize} in the window` : '';
  return `${tables} seats ${seating.minSize}–${seating.maxSize}: ${spare} for ${request.partySize}; starts ${when}, ${fit}${why}`;
}
