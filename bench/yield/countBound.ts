import { solve, type Constraint } from 'yalps';
import { gridStarts } from '../../src/domain/availability/startSet.js';
import { SLOT_MINUTES } from '../../src/domain/time/localTime.js';
import type { Instant } from '../../src/domain/time/zone.js';
import type { Day, Layout } from './model.js';

const MINUTE_MS = 60_000;
const SLOT_MS = SLOT_MINUTES * MINUTE_MS;

/** Tables with the same [minSize, maxSize] are interchangeable, so the LP only counts them per kind. */
interface Kind {
  minSize: number;
  maxSize: number;
  count: number;
}

/** How many tables of each kind one booking takes, indexed like its layout's kinds. */
type Pattern = readonly number[];

interface TableSets {
  kinds: readonly Kind[];
  /** Per party size: the inclusion-minimal table sets that seat it (none when no set does). */
  patterns: Map<number, readonly Pattern[]>;
}

export interface CountBound {
  /** No strategy can have more bookings standing at the close. */
  count: number;
  /** No strategy can hold more Σ party × duration (minutes) in the bookings standing at the close. */
  seatMinutes: number;
}

const tableSetsByRoom = new Map<string, TableSets>();

function tableSetsOf(layout: Layout): TableSets {
  const byShape = new Map<string, Kind>();
  for (const table of layout.tables) {
    const shape = `${table.minSize}-${table.maxSize}`;
    const kind = byShape.get(shape);
    if (kind) kind.count++;
    else byShape.set(shape, { minSize: table.minSize, maxSize: table.maxSize, count: 1 });
  }
  const kinds = [...byShape.values()].sort((a, b) => a.minSize - b.minSize || a.maxSize - b.maxSize);
  const room = kinds.map((k) => `${k.count}x${k.minSize}-${k.maxSize}`).join(',');
  let sets = tableSetsByRoom.get(room);
  if (!sets) {
    sets = { kinds, patterns: new Map() };
    tableSetsByRoom.set(room, sets);
  }
  return sets;
}

/**
 * The inclusion-minimal sets of tables, as counts per kind, with Σmin ≤ party ≤ Σmax.
 * Dropping a table only lowers Σmin, so a set is minimal exactly when dropping any
 * one of its tables leaves Σmax < party; then every proper prefix of it (tables in
 * kind order) falls short of the party too, so growing sets in kind order only
 * while Σmax < party meets every minimal set. Larger sets are never needed: the
 * minimal set inside one seats the same party on fewer tables of every kind.
 */
function patternsFor(sets: TableSets, party: number): readonly Pattern[] {
  const known = sets.patterns.get(party);
  if (known) return known;
  const { kinds } = sets;
  const found: Pattern[] = [];
  const taken = kinds.map(() => 0);
  const grow = (from: number, sumMin: number, sumMax: number): void => {
    for (let k = from; k < kinds.length; k++) {
      const kind = kinds[k]!;
      if (taken[k] === kind.count || sumMin + kind.minSize > party) continue;
      taken[k]!++;
      const nextMax = sumMax + kind.maxSize;
      if (nextMax < party) {
        grow(k, sumMin + kind.minSize, nextMax);
      } else if (kinds.every((other, j) => taken[j] === 0 || nextMax - other.maxSize < party)) {
        found.push([...taken]);
      }
      taken[k]!--;
    }
  };
  if (party > 0) grow(0, 0, 0);
  sets.patterns.set(party, found);
  return found;
}

/** Requests that differ only in id are interchangeable: one set of LP columns serves all of them. */
interface Group {
  party: number;
  durationMs: number;
  minutes: number;
  starts: readonly Instant[];
  /** How many non-cancelling requests share party, duration and starts. */
  size: number;
}

function groupsOf(sets: TableSets, day: Day): Group[] {
  const groups = new Map<string, Group>();
  for (const request of day.requests) {
    if (request.cancels || patternsFor(sets, request.partySize).length === 0) continue;
    const durationMs = request.durationMinutes * MINUTE_MS;
    const starts = gridStarts(request.windows, durationMs, SLOT_MS);
    if (starts.length === 0) continue;
    const key = `${request.partySize}|${durationMs}|${starts.join(',')}`;
    const group = groups.get(key);
    if (group) group.size++;
    else groups.set(key, { party: request.partySize, durationMs, minutes: request.durationMinutes, starts, size: 1 });
  }
  return [...groups.values()];
}

/**
 * Groups whose stays can never share an instant with the others' fall apart into
 * independent LPs (lunch and dinner, at least): smaller tableaus, and each part's
 * optimum can be rounded down on its own.
 */
function partsOf(groups: readonly Group[]): Group[][] {
  const spans = groups
    .map((group) => ({ group, from: group.starts[0]!, to: group.starts[group.starts.length - 1]! + group.durationMs }))
    .sort((a, b) => a.from - b.from);
  const parts: Group[][] = [];
  let reach = -Infinity;
  for (const span of spans) {
    if (span.from >= reach) parts.push([]);
    parts[parts.length - 1]!.push(span.group);
    reach = Math.max(reach, span.to);
  }
  return parts;
}

/**
 * The instants the kind rows are written at. Stays are half-open intervals, and
 * stays that overlap pairwise all hold the latest of their starts, so rows at the
 * distinct starts cover every instant. A start where no stay ends before the next
 * start is held by no stay the next one is not held by: its rows only repeat the
 * next one's with fewer terms, so it is left out.
 */
function checkpointsOf(groups: readonly Group[]): Instant[] {
  const starts = [...new Set(groups.flatMap((g) => g.starts))].sort((a, b) => a - b);
  const ends = [...new Set(groups.flatMap((g) => g.starts.map((start) => start + g.durationMs)))].sort((a, b) => a - b);
  let e = 0;
  return starts.filter((start, i) => {
    while (e < ends.length && ends[e]! <= start) e++;
    return e < ends.length && ends[e]! <= (starts[i + 1] ?? Infinity);
  });
}

/** The checkpoints inside [start, end), as indices [from, to); never empty for a stay of the part. */
function heldBy(checkpoints: readonly Instant[], start: Instant, end: Instant): { from: number; to: number } {
  let from = 0;
  while (from < checkpoints.length && checkpoints[from]! < start) from++;
  let to = from;
  while (to < checkpoints.length && checkpoints[to]! < end) to++;
  return { from, to };
}

/**
 * The LP optimum of one part, from above. The primal, with w(g) = 1 for the count
 * or party × minutes for seat-minutes:
 *
 *   max Σ w(g)·x[g,s,π]   over x ≥ 0, for starts s of g and minimal table sets π of its party
 *   Σ_{s,π} x[g,s,π] ≤ size(g)                                    price u_g
 *   Σ π_k·x[g,s,π] over the stays [s, s + d) ∋ τ ≤ count of kind k   price v_τk, per checkpoint τ
 *
 * yalps solves its dual, min Σ size(g)·u_g + Σ count_k·v_τk subject to
 * u_g + Σ_{τ ∈ stay} Σ_k π_k·v_τk ≥ w(g) for every column, but only its kind
 * prices v are kept: clipped at 0, and with each u_g set to the shortfall of its
 * group's worst column, they satisfy every dual row as evaluated here, so by weak
 * duality their cost bounds the primal from above. The bound thus never rests on
 * the solver reaching the optimum, nor on its tolerances (nor on the rows left out
 * above): a poor answer only loosens it.
 */
function partBound(sets: TableSets, groups: readonly Group[], weight: (group: Group) => number): number {
  const { kinds } = sets;
  const checkpoints = checkpointsOf(groups);
  const held = groups.map((group) => group.starts.map((start) => heldBy(checkpoints, start, start + group.durationMs)));

  const constraints = new Map<string, Constraint>();
  const groupColumns = groups.map((group) => new Map<string, number>([['cost', group.size]]));
  const kindColumns = checkpoints.map(() => kinds.map((kind) => new Map<string, number>([['cost', kind.count]])));
  groups.forEach((group, g) => {
    // A start holding every checkpoint another start of the group holds is never
    // the cheaper one: its dual rows follow from the other's. Of equal ones, the first stays.
    const spans = held[g]!.filter((span, s, all) =>
      all.every((other, o) => {
        const inside = span.from <= other.from && other.to <= span.to;
        const same = span.from === other.from && span.to === other.to;
        return o === s || !inside || (same && o > s);
      }),
    );
    patternsFor(sets, group.party).forEach((pattern, p) => {
      for (const span of spans) {
        const row = `${g}:${span.from}:${p}`;
        constraints.set(row, { min: weight(group) });
        groupColumns[g]!.set(row, 1);
        for (let i = span.from; i < span.to; i++) {
          pattern.forEach((n, k) => {
            if (n > 0) kindColumns[i]![k]!.set(row, n);
          });
        }
      }
    });
  });
  const variables: [string, Map<string, number>][] = groupColumns.map((column, g) => [`u${g}`, column]);
  kindColumns.forEach((columns, i) => columns.forEach((column, k) => variables.push([`v${i}:${k}`, column])));
  const solution = solve({ direction: 'minimize', objective: 'cost', constraints, variables }, { maxPivots: 100_000 });
  const price = new Map<string, number>();
  for (const [name, value] of solution.variables) price.set(name, Number.isFinite(value) && value > 0 ? value : 0);

  const v = checkpoints.map((_, i) => kinds.map((_, k) => price.get(`v${i}:${k}`) ?? 0));
  let bound = 0;
  v.forEach((prices) => prices.forEach((value, k) => (bound += kinds[k]!.count * value)));
  groups.forEach((group, g) => {
    let u = 0;
    for (const pattern of patternsFor(sets, group.party)) {
      for (const span of held[g]!) {
        let charged = 0;
        for (let i = span.from; i < span.to; i++) pattern.forEach((n, k) => (charged += n * v[i]![k]!));
        u = Math.max(u, weight(group) - charged);
      }
    }
    bound += group.size * u;
  });
  return bound;
}

/** Any seating reaches an integer, so a bound may drop its fraction; the slack absorbs float rounding. */
function floorBound(value: number): number {
  return Math.floor(value + 1e-9 * Math.max(1, Math.abs(value)));
}

/**
 * A true upper bound on how many bookings any strategy, online or offline, can
 * have standing at the close, and on their seat-minutes: the optimum of an LP
 * relaxation of seating as many of the day's requests as possible.
 *
 * Only requests that do not cancel can stand at the close, and only those that
 * some set of the layout's tables seats (Σmin ≤ party ≤ Σmax). A standing booking
 * takes one grid start whose stay lies in its windows and one set of tables, which
 * can be shrunk to a minimal one π; x[r,s,π] ∈ [0, 1] with Σ_{s,π} x ≤ 1 per
 * request. It blocks all its tables for its whole stay, so at any instant the
 * standing bookings sit on pairwise disjoint tables and take, of each kind k, at
 * most the room's count of k: the per-checkpoint kind rows. A real seating is an
 * integer point of these rows, so its count (seat-minutes) is at most the LP
 * optimum, and being an integer at most its floor, per independent part.
 *
 * The kind rows imply the pooled ones, Σ seats(p)·x ≤ Σ maxSize and
 * Σ tables(p)·x ≤ number of tables, where seats(p) and tables(p) are the least
 * Σ maxSize and the fewest tables of a set seating p: weigh each kind row by
 * maxSize, or by 1, and add them up. They are stronger where
 * minSize bites (a couple never takes a 6–8 table, however many are free), and
 * are the whole story otherwise: tables of a kind are interchangeable and any set
 * combines, so bookings sorted by start can always be handed free tables when no
 * kind is over-used at any instant; an integer x that meets them is a seating.
 */
export function seatedCountBound(layout: Layout, day: Day): CountBound {
  const sets = tableSetsOf(layout);
  let count = 0;
  let seatMinutes = 0;
  for (const part of partsOf(groupsOf(sets, day))) {
    count += floorBound(partBound(sets, part, () => 1));
    seatMinutes += floorBound(partBound(sets, part, (group) => group.party * group.minutes));
  }
  return { count, seatMinutes };
}
