import { freeGaps } from '../availability/freeGaps.js';
import { groupBlocksByTable, type SeatBlock } from '../availability/seatBlock.js';
import { fitInGaps, gridStarts, startsInsideGaps } from '../availability/startSet.js';
import type { Interval } from '../time/interval.js';
import { formatLocalTime, SLOT_MINUTES } from '../time/localTime.js';
import { localPartsOf, type Instant } from '../time/zone.js';
import { scoreOf, type StartPreference } from './candidateOrder.js';
import { searchSeatings, type FoundSeating } from './combinationSearch.js';
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
  const durationMs = request.durationMinutes * MINUTE_MS;
  const starts = gridStarts(request.windows, durationMs, SLOT_MINUTES * MINUTE_MS);
  if (starts.length === 0 || request.tables.length === 0) return [];
  const busyByTable = groupBlocksByTable(request.blocks);
  const searchTables = request.tables.map((table) => {
    const gaps = freeGaps(request.service, busyByTable.get(table.id) ?? []);
    return { ...table, free: startsInsideGaps(starts, gaps, durationMs), ...fitInGaps(starts, gaps, durationMs) };
  });
  const found = searchSeatings(searchTables, {
    partySize: request.partySize,
    limit: request.limit,
    starts,
    prefer: request.prefer,
    ...(request.nodeBudget === undefined ? {} : { nodeBudget: request.nodeBudget }),
  });
  const fewestTables = found[0]?.tableIds.length ?? 0;
  return found.map((seating) => toCandidate(seating, request, durationMs, starts.length, fewestTables));
}

function toCandidate(
  seating: FoundSeating,
  request: DiscoverRequest,
  durationMs: number,
  startCount: number,
  fewestTables: number,
): Candidate {
  const single = seating.tableIds.length === 1;
  return {
    kind: single ? 'single' : 'combo',
    tableIds: seating.tableIds,
    start: seating.start,
    end: seating.start + durationMs,
    capacity: { min: seating.minSize, max: seating.maxSize },
    score: scoreOf({ ...seating, tableCount: seating.tableIds.length }, startCount, request.prefer),
    rationale: rationaleOf(seating, request, fewestTables),
  };
}

function rationaleOf(seating: FoundSeating, request: DiscoverRequest, fewestTables: number): string {
  const tables = seating.tableIds.length === 1 ? `Table ${seating.tableIds[0]}` : `Tables ${seating.tableIds.join('+')}`;
  const spare = seating.waste === 0 ? 'no seat left empty' : `${seating.waste} seat${seating.waste === 1 ? '' : 's'} left empty`;
  const time = formatLocalTime(localPartsOf(request.zone, seating.start).minute);
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
