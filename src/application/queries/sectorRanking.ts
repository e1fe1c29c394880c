import { gridStarts } from '../../domain/availability/startSet.js';
import { compareSeatings, scoreOf, type RankedSeating } from '../../domain/seating/candidateOrder.js';
import type { Interval } from '../../domain/time/interval.js';
import { SLOT_MINUTES } from '../../domain/time/localTime.js';
import type { SectorCandidate, SectorDay, SeatingSearch } from './planSeating.js';

const MINUTE_MS = 60_000;

/** One sector's answer: its candidates in the engine's order, and what the engine searched. */
export interface SectorFindings {
  day: SectorDay;
  /** Where the stays were allowed to lie. */
  windows: readonly Interval[];
  candidates: readonly SectorCandidate[];
}

interface Ranked {
  candidate: SectorCandidate;
  rank: RankedSeating;
}

/**
 * The candidates of several sectors in one WokiBrain order, at most `search.limit`:
 * `compareSeatings` (fewest tables, least waste, flush/start by preference, snuggest
 * gap, table ids) on what the engine measured of each candidate in its own sector
 * (its flush count and gap slack), then the sector id as the final tie-break. Each
 * sector's list keeps the engine's order (a merge of sorted lists), so the first
 * `limit` of each sector are enough.
 *
 * The score is recomputed over the starts of every sector searched, so that it
 * still never rises along the list (when the sectors share their service hours it
 * is the engine's own), and the rationale names the sector, since "no set of fewer
 * tables" speaks of that sector.
 */
export function mergeAcrossSectors(found: readonly SectorFindings[], search: SeatingSearch): SectorCandidate[] {
  const durationMs = search.durationMinutes * MINUTE_MS;
  const lists = found.map((findings) =>
    findings.candidates.map((candidate): Ranked => ({ candidate, rank: rankOf(candidate, search.partySize) })),
  );
  const before = (a: Ranked, b: Ranked): boolean => {
    const order = compareSeatings(a.rank, b.rank, search.prefer);
    return order < 0 || (order === 0 && a.candidate.sectorId < b.candidate.sectorId);
  };
  const heads = lists.map(() => 0);
  const merged: Ranked[] = [];
  while (merged.length < search.limit) {
    let next = -1;
    for (let i = 0; i < lists.length; i++) {
      const head = lists[i]![heads[i]!];
      if (head && (next < 0 || before(head, lists[next]![heads[next]!]!))) next = i;
    }
    if (next < 0) break;
    merged.push(lists[next]![heads[next]!]!);
    heads[next]!++;
  }
  const starts = gridStarts(
    found.flatMap((findings) => findings.windows),
    durationMs,
    SLOT_MINUTES * MINUTE_MS,
  );
  const sectorName = new Map(found.map((findings) => [findings.day.sector.id, findings.day.sector.name]));
  return merged.map(({ candidate, rank }) => ({
    ...candidate,
    score: scoreOf(
      { tableCount: rank.tableIds.length, waste: rank.waste, flush: rank.flush, startIndex: Math.max(0, starts.indexOf(rank.start)) },
      starts.length,
      search.prefer,
    ),
    rationale: `${sectorName.get(candidate.sectorId)}: ${candidate.rationale}`,
  }));
}

/** What `compareSeatings` reads of a candidate, as the engine ranked it in its sector. */
function rankOf(candidate: SectorCandidate, partySize: number): RankedSeating {
  const { tableIds, start, flush, slack } = candidate;
  return { tableIds, waste: candidate.capacity.max - partySize, flush, start, slack };
}
