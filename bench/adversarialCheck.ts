import { gridStarts } from '../src/domain/availability/startSet.js';
import type { Candidate, DiscoverRequest } from '../src/domain/seating/discoverSeatings.js';
import { SLOT_MS } from './adversarialShapes.js';

/** What a crafted case knows its answer must be. */
export type Expectation =
  | { kind: 'none' }
  /**
   * The only seating with the least waste: the first `leading` candidates seat exactly
   * these tables (at `start`, if given), and no later one does; `count`, if given, is
   * how many candidates there are in all.
   */
  | { kind: 'tables'; tableIds: readonly string[]; leading: number; count?: number; start?: number }
  /** The first candidate uses `tables` tables and leaves `waste` seats empty. */
  | { kind: 'first'; tables: number; waste: number };

/**
 * Why the engine's answer is wrong, or null. Checks what is cheap to know for sure:
 * every candidate is a valid seating (known tables, capacity holds the party, a grid
 * start inside one window, no block overlapped), the list is in order of table count
 * and waste, and no greedy witness shows a seating with fewer tables (or any, when
 * the engine found none). Then the case's own expectation, if it has one.
 */
export function verdict(request: DiscoverRequest, candidates: readonly Candidate[], expect?: Expectation): string | null {
  return validity(request, candidates) ?? witness(request, candidates) ?? (expect ? expected(request.partySize, candidates, expect) : null);
}

function validity(request: DiscoverRequest, candidates: readonly Candidate[]): string | null {
  const durationMs = request.durationMinutes * 60_000;
  const starts = new Set(gridStarts(request.windows, durationMs, SLOT_MS));
  const tables = new Map(request.tables.map((t) => [t.id, t]));
  const blocks = blocksByTable(request);
  if (candidates.length > request.limit) return `${candidates.length} candidates for limit ${request.limit}`;
  const seen = new Set<string>();
  let previous: Candidate | undefined;
  for (const c of candidates) {
    const ids = new Set(c.tableIds);
    if (ids.size !== c.tableIds.length || ids.size === 0) return `candidate with repeated or no tables ${c.tableIds.join('+')}`;
    let min = 0;
    let max = 0;
    for (const id of c.tableIds) {
      const table = tables.get(id);
      if (!table) return `unknown table ${id}`;
      min += table.minSize;
      max += table.maxSize;
      for (const b of blocks.get(id) ?? []) if (b.start < c.end && c.start < b.end) return `${id} is blocked at the candidate's time`;
    }
    if (min > request.partySize || max < request.partySize)
      return `${c.tableIds.length} tables seat ${min}–${max}, not ${request.partySize}`;
    if (c.capacity.min !== min || c.capacity.max !== max) return `capacity ${c.capacity.min}–${c.capacity.max} reported for ${min}–${max}`;
    if (c.kind !== (ids.size === 1 ? 'single' : 'combo')) return `kind ${c.kind} for ${ids.size} tables`;
    if (c.end - c.start !== durationMs || !starts.has(c.start))
      return `start ${new Date(c.start).toISOString()} is not a start of the window`;
    const key = `${[...c.tableIds].sort().join('+')}@${c.start}`;
    if (seen.has(key)) return `candidate ${key} twice`;
    seen.add(key);
    if (previous) {
      const more = c.tableIds.length - previous.tableIds.length;
      if (more < 0 || (more === 0 && c.capacity.max < previous.capacity.max)) return 'candidates out of order (tables, then waste)';
    }
    previous = c;
  }
  return null;
}

function blocksByTable(request: DiscoverRequest): Map<string, { start: number; end: number }[]> {
  const byTable = new Map<string, { start: number; end: number }[]>();
  for (const b of request.blocks) {
    const list = byTable.get(b.tableId) ?? [];
    list.push(b);
    byTable.set(b.tableId, list);
  }
  return byTable;
}

/**
 * The fewest tables a simple greedy finds at some start: the free tables by maxSize
 * (largest first) until they hold the party, kept if their Σ minSize does not exceed
 * it. Any such set is a real seating, so the engine must find one with no more tables.
 */
function witness(request: DiscoverRequest, candidates: readonly Candidate[]): string | null {
  const durationMs = request.durationMinutes * 60_000;
  const blocks = blocksByTable(request);
  const party = request.partySize;
  const ordered = [...request.tables].sort((a, b) => b.maxSize - a.maxSize || a.minSize - b.minSize);
  let best: { count: number; start: number; ids: string[] } | null = null;
  for (const start of gridStarts(request.windows, durationMs, SLOT_MS)) {
    const end = start + durationMs;
    const free = ordered.filter((t) => !(blocks.get(t.id) ?? []).some((b) => b.start < end && start < b.end));
    const single = free.find((t) => t.minSize <= party && party <= t.maxSize);
    if (single) {
      best = { count: 1, start, ids: [single.id] };
      break;
    }
    let min = 0;
    let max = 0;
    const ids: string[] = [];
    for (const t of free) {
      if (max >= party) break;
      min += t.minSize;
      max += t.maxSize;
      ids.push(t.id);
    }
    if (max >= party && min <= party && (!best || ids.length < best.count)) best = { count: ids.length, start, ids };
  }
  if (!best) return null;
  const found = candidates[0];
  const at = new Date(best.start).toISOString();
  if (!found) return `no candidate, but ${best.count} table(s) seat ${party} at ${at} (${best.ids.slice(0, 6).join('+')}…)`;
  if (found.tableIds.length > best.count) return `${found.tableIds.length} tables, but ${best.count} seat ${party} at ${at}`;
  return null;
}

function expected(party: number, candidates: readonly Candidate[], expect: Expectation): string | null {
  switch (expect.kind) {
    case 'none':
      return candidates.length === 0
        ? null
        : `${candidates.length} candidates where none exists (${candidates[0]!.tableIds.length} tables)`;
    case 'tables': {
      const want = [...expect.tableIds].sort().join('+');
      if (candidates.length === 0) return `none found; ${expect.tableIds.length} tables fit`;
      if (expect.count !== undefined && candidates.length !== expect.count)
        return `${candidates.length} candidates, expected ${expect.count}`;
      if (candidates.length < expect.leading) return `${candidates.length} candidates, expected at least ${expect.leading}`;
      for (const [i, c] of candidates.entries()) {
        const same = [...c.tableIds].sort().join('+') === want;
        if (i < expect.leading && !same)
          return `candidate ${i + 1}: ${c.tableIds.length} tables, not the ${expect.tableIds.length} that fit best`;
        if (i >= expect.leading && same) return `candidate ${i + 1} repeats the best tables at another start`;
        if (i < expect.leading && expect.start !== undefined && c.start !== expect.start) return 'the only free start was not chosen';
      }
      return null;
    }
    case 'first': {
      const first = candidates[0];
      if (!first) return `none found; ${expect.tables} tables fit`;
      if (first.tableIds.length !== expect.tables) return `${first.tableIds.length} tables first, expected ${expect.tables}`;
      const waste = first.capacity.max - party;
      return waste === expect.waste ? null : `${waste} seats left empty first, expected ${expect.waste}`;
    }
  }
}
