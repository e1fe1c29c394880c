import { solve, type Constraint } from 'yalps';
import type { TableCapacity } from '../seating/table.js';
import type { Interval } from '../time/interval.js';
import type { Instant } from '../time/zone.js';

/** One party that asked for a table, as hindsight sees it. */
export interface HindsightRequest {
  partySize: number;
  /** The whole stays [start, end) it could have taken: one for a party that sat or was booked, every grid start of its window for one that waited. */
  stays: readonly Interval[];
  /**
   * The tables it really sat at, for a party that was seated: that seating is a
   * column of the model, so what happened is a feasible point by construction,
   * whatever tables it took.
   */
  tableIds?: readonly string[] | undefined;
}

export interface HindsightBound {
  /** No seating of these requests on these tables holds more (parties, or Σ weight). */
  bound: number;
  /** Requests some stay and some set of the tables could seat at all: what the bound never exceeds. */
  seatable: number;
  /**
   * How the LP ended: `optimal` (its optimum, rounded down); `stopped`, when the
   * work budget ran out first (a looser bound); `trivial`, when a part was too big
   * to start and counts every request it holds. Each is still a bound.
   */
  lp: 'optimal' | 'stopped' | 'trivial';
}

export interface HindsightOptions {
  /** What a seated request is worth, a whole number (the bound drops fractions): 1, counting parties, unless said otherwise. */
  weight?: (request: HindsightRequest) => number;
  /**
   * The most work one part's LP may take, Σ over its rounds of rows² × variables
   * of the tableau yalps pivots (its simplex costs about that).
   */
  maxWork?: number;
}

/**
 * About two seconds of yalps on a 2-core machine (1e8 of work takes about 0.3 s):
 * days of seated parties and waiting parties with narrow windows converge far
 * within it. Measured on a 40-table sector with 100 seated parties and 60 waiting
 * ones free over the whole five-hour service, the worst case: 12 rounds and 1.5e9
 * to the optimum (134 of 160, 3.8 s); within this budget it stops at 137 after 1.9 s.
 */
const DEFAULT_MAX_WORK = 6e8;

/** Tables with the same [minSize, maxSize] are interchangeable, so the LP only counts them per kind. */
interface Kind {
  minSize: number;
  maxSize: number;
  count: number;
}

/** How many tables of each kind one party takes, indexed like the kinds. */
type Pattern = readonly number[];

/** Requests that differ in nothing the LP sees are one group: one set of columns serves all of them. */
interface Group {
  weight: number;
  stays: readonly Interval[];
  patterns: readonly Pattern[];
  size: number;
}

function kindsOf(tables: readonly TableCapacity[]): { kinds: Kind[]; kindOfTable: Map<string, number> } {
  const sorted = [...tables].sort((a, b) => a.minSize - b.minSize || a.maxSize - b.maxSize);
  const kinds: Kind[] = [];
  const kindOfTable = new Map<string, number>();
  for (const table of sorted) {
    const last = kinds[kinds.length - 1];
    if (last && last.minSize === table.minSize && last.maxSize === table.maxSize) last.count++;
    else kinds.push({ minSize: table.minSize, maxSize: table.maxSize, count: 1 });
    kindOfTable.set(table.id, kinds.length - 1);
  }
  return { kinds, kindOfTable };
}

/**
 * The inclusion-minimal sets of tables, as counts per kind, with Σmin ≤ party ≤ Σmax.
 * Dropping a table only lowers Σmin, so a set is minimal exactly when dropping any
 * one of its tables leaves Σmax < party; then every proper prefix of it (tables in
 * kind order) falls short of the party too, so growing sets in kind order only
 * while Σmax < party meets every minimal set. Larger sets are never needed: the
 * minimal set inside one seats the same party on fewer tables of every kind.
 */
function minimalPatterns(kinds: readonly Kind[], party: number): Pattern[] {
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
  return found;
}

function groupsOf(tables: readonly TableCapacity[], requests: readonly HindsightRequest[], weightOf: (r: HindsightRequest) => number) {
  const { kinds, kindOfTable } = kindsOf(tables);
  const minimal = new Map<number, Pattern[]>();
  const groups = new Map<string, Group>();
  for (const request of requests) {
    let patterns = minimal.get(request.partySize);
    if (!patterns) minimal.set(request.partySize, (patterns = minimalPatterns(kinds, request.partySize)));
    if (request.tableIds && request.tableIds.length > 0) {
      const actual = kinds.map(() => 0);
      for (const id of request.tableIds) {
        const k = kindOfTable.get(id);
        if (k !== undefined) actual[k]!++;
      }
      if (!patterns.some((pattern) => pattern.every((n, k) => n === actual[k]))) patterns = [...patterns, actual];
    }
    const stays = [...request.stays].filter((stay) => stay.start <= stay.end).sort((a, b) => a.start - b.start || a.end - b.end);
    if (patterns.length === 0 || stays.length === 0) continue;
    const weight = weightOf(request);
    const key = `${weight}|${patterns.map((p) => p.join('.')).join(',')}|${stays.map((s) => `${s.start}-${s.end}`).join(',')}`;
    const group = groups.get(key);
    if (group) group.size++;
    else groups.set(key, { weight, stays, patterns, size: 1 });
  }
  return { kinds, groups: [...groups.values()] };
}

/**
 * Groups whose stays can never share an instant with the others' fall apart into
 * independent LPs (lunch and dinner, at least): smaller tableaus, and each part's
 * optimum can be rounded down on its own.
 */
function partsOf(groups: readonly Group[]): Group[][] {
  const spans = groups
    .map((group) => ({
      group,
      from: Math.min(...group.stays.map((s) => s.start)),
      to: Math.max(...group.stays.map((s) => s.end)),
    }))
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
 * The instants the kind rows are written at: the distinct starts of the stays,
 * wherever they lie (walk-ins and early seats are off the grid). Stays are
 * half-open, and stays that overlap pairwise all hold the latest of their starts,
 * so rows at the starts cover every instant. A start where no stay ends before
 * the next start is held by no stay the next one is not held by: its rows only
 * repeat the next one's with fewer terms, so it is left out.
 */
function checkpointsOf(groups: readonly Group[]): Instant[] {
  const starts = [...new Set(groups.flatMap((g) => g.stays.map((s) => s.start)))].sort((a, b) => a - b);
  const ends = [...new Set(groups.flatMap((g) => g.stays.map((s) => s.end)))].sort((a, b) => a - b);
  let e = 0;
  return starts.filter((start, i) => {
    while (e < ends.length && ends[e]! <= start) e++;
    return e < ends.length && ends[e]! <= (starts[i + 1] ?? Infinity);
  });
}

/** The checkpoints inside [start, end), as indices [from, to); empty only for an empty stay. */
function heldBy(checkpoints: readonly Instant[], stay: Interval): { from: number; to: number } {
  let from = 0;
  while (from < checkpoints.length && checkpoints[from]! < stay.start) from++;
  let to = from;
  while (to < checkpoints.length && checkpoints[to]! < stay.end) to++;
  return { from, to };
}

type Span = { from: number; to: number };

/** One column of the seating LP (a row of its dual): group g at the checkpoints `span`, on table pattern p. */
interface Column {
  g: number;
  span: Span;
  p: number;
}

interface PartLp {
  groups: readonly Group[];
  checkpoints: Instant[];
  /** Per group, the checkpoints each of its stays holds. */
  held: Span[][];
}

function lpOf(groups: readonly Group[]): PartLp {
  const checkpoints = checkpointsOf(groups);
  return { groups, checkpoints, held: groups.map((group) => group.stays.map((stay) => heldBy(checkpoints, stay))) };
}

const keyOf = (column: Column) => `${column.g}:${column.span.from}:${column.span.to}:${column.p}`;

/**
 * The dual restricted to `columns`, as yalps takes it, and the work solving it
 * costs (rows² × variables). Kind prices no column touches are 0 and left out.
 */
function dualOf(kinds: readonly Kind[], lp: PartLp, columns: readonly Column[]) {
  const constraints = new Map<string, Constraint>();
  const groupVariables = new Map<number, Map<string, number>>();
  const kindVariables = new Map<string, Map<string, number>>();
  for (const column of columns) {
    const group = lp.groups[column.g]!;
    const row = keyOf(column);
    constraints.set(row, { min: group.weight });
    let u = groupVariables.get(column.g);
    if (!u) groupVariables.set(column.g, (u = new Map([['cost', group.size]])));
    u.set(row, 1);
    for (let i = column.span.from; i < column.span.to; i++) {
      group.patterns[column.p]!.forEach((n, k) => {
        if (n === 0) return;
        const name = `v${i}:${k}`;
        let v = kindVariables.get(name);
        if (!v) kindVariables.set(name, (v = new Map([['cost', kinds[k]!.count]])));
        v.set(row, n);
      });
    }
  }
  const variables: [string, Map<string, number>][] = [...groupVariables].map(([g, column]) => [`u${g}`, column]);
  variables.push(...kindVariables);
  return { constraints, variables, work: constraints.size * constraints.size * variables.length };
}

/** yalps's prices for the restricted dual: kind prices v (clipped at 0) and group prices u. */
function solveDual(kinds: readonly Kind[], lp: PartLp, dual: ReturnType<typeof dualOf>) {
  const { constraints, variables } = dual;
  const solution = solve({ direction: 'minimize', objective: 'cost', constraints, variables }, { maxPivots: 100_000 });
  const price = new Map<string, number>();
  for (const [name, value] of solution.variables) price.set(name, Number.isFinite(value) && value > 0 ? value : 0);
  return {
    v: lp.checkpoints.map((_, i) => kinds.map((_, k) => price.get(`v${i}:${k}`) ?? 0)),
    u: lp.groups.map((_, g) => price.get(`u${g}`) ?? 0),
  };
}

/**
 * What the kind prices v certify, over every column of the part, not only those
 * the solver saw: with each u_g set to the shortfall of its group's cheapest
 * column, (u, v) is feasible for the whole dual, so by weak duality its cost
 * bounds the LP, and so every seating, from above. Also, per group, its cheapest
 * column when the solver's own u_g leaves it short: the columns to add next.
 */
function certify(kinds: readonly Kind[], lp: PartLp, v: readonly number[][], solverU: readonly number[]) {
  let bound = 0;
  v.forEach((prices) => prices.forEach((value, k) => (bound += kinds[k]!.count * value)));
  const missing: Column[] = [];
  lp.groups.forEach((group, g) => {
    let cheapest: Column | null = null;
    let least = Infinity;
    group.patterns.forEach((pattern, p) => {
      for (const span of lp.held[g]!) {
        let charged = 0;
        for (let i = span.from; i < span.to; i++) pattern.forEach((n, k) => (charged += n * v[i]![k]!));
        if (charged < least) [least, cheapest] = [charged, { g, span, p }];
      }
    });
    bound += group.size * Math.max(0, group.weight - least);
    if (cheapest && solverU[g]! + least < group.weight - 1e-7) missing.push(cheapest);
  });
  return { bound, missing };
}

/** Rounds of column generation one part may take; each adds at most one column per group. */
const MAX_ROUNDS = 60;

/**
 * The LP optimum of one part, from above, by column generation. The primal:
 *
 *   max Σ w(g)·x[g,s,π]   over x ≥ 0, for stays s of g and table patterns π of g
 *   Σ_{s,π} x[g,s,π] ≤ size(g)                                    price u_g
 *   Σ π_k·x[g,s,π] over the stays s ∋ τ ≤ count of kind k          price v_τk, per checkpoint τ
 *
 * Its dual is min Σ size(g)·u_g + Σ count_k·v_τk subject to
 * u_g + Σ_{τ ∈ s} Σ_k π_k·v_τk ≥ w(g) for every column. A waiting party's window
 * gives it dozens of stays, times its patterns: too many rows for yalps at once.
 * So yalps solves the dual with one column per group first, then with the
 * columns the last prices left short added, until none is short (the full LP's
 * optimum) or the rounds or the work budget run out. Every round's prices are
 * certified over all columns (`certify`), so each round gives a true bound and
 * the least of them is kept: it never rests on the solver reaching the optimum,
 * nor on its tolerances; stopping early only loosens it. `null` when even the
 * first round is over the budget.
 */
function partBound(kinds: readonly Kind[], lp: PartLp, maxWork: number): { bound: number; optimal: boolean } | null {
  const columns: Column[] = lp.groups.map((group, g) => ({ g, span: lp.held[g]![group.stays.length >> 1]!, p: 0 }));
  const known = new Set(columns.map(keyOf));
  let best = Infinity;
  let spent = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const dual = dualOf(kinds, lp, columns);
    spent += dual.work;
    if (spent > maxWork) break;
    const prices = solveDual(kinds, lp, dual);
    const { bound, missing } = certify(kinds, lp, prices.v, prices.u);
    best = Math.min(best, bound);
    const fresh = missing.filter((column) => !known.has(keyOf(column)));
    if (fresh.length === 0) return { bound: best, optimal: true };
    for (const column of fresh) {
      known.add(keyOf(column));
      columns.push(column);
    }
  }
  return best === Infinity ? null : { bound: best, optimal: false };
}

/** Any seating reaches an integer, so a bound may drop its fraction; the slack absorbs float rounding. */
function floorBound(value: number): number {
  return Math.floor(value + 1e-9 * Math.max(1, Math.abs(value)));
}

/**
 * With hindsight, a true upper bound on how many of `requests` (or how much Σ
 * weight) any seating on one sector's `tables` could hold: the optimum of an LP
 * relaxation of seating them.
 *
 * A seated request takes one of its stays and a set of tables with
 * Σmin ≤ party ≤ Σmax, which can be shrunk to an inclusion-minimal one π (or its
 * real tables, for a party that sat); x[r,s,π] ∈ [0, 1], Σ_{s,π} x ≤ 1 per
 * request. It holds all its tables for its whole stay, so at any instant the
 * seated requests sit on pairwise disjoint tables and take, of each kind k, at
 * most the sector's count of k: the per-checkpoint kind rows. Any real seating
 * (the one that happened included) is an integer point of these rows, so its
 * count is at most the LP optimum, and being an integer at most its floor, per
 * independent part. Kinds pool tables of one [min, max], and any set of a sector's
 * tables combines (SPEC §3), so nothing else limits a seating.
 */
export function hindsightBound(
  tables: readonly TableCapacity[],
  requests: readonly HindsightRequest[],
  options: HindsightOptions = {},
): HindsightBound {
  const { weight = () => 1, maxWork = DEFAULT_MAX_WORK } = options;
  const { kinds, groups } = groupsOf(tables, requests, weight);
  let bound = 0;
  let seatable = 0;
  let lp: HindsightBound['lp'] = 'optimal';
  for (const part of partsOf(groups)) {
    const everything = part.reduce((sum, group) => sum + group.size * group.weight, 0);
    seatable += part.reduce((sum, group) => sum + group.size, 0);
    const solved = partBound(kinds, lpOf(part), maxWork);
    if (solved === null) lp = 'trivial';
    else if (!solved.optimal && lp === 'optimal') lp = 'stopped';
    bound += solved === null ? everything : Math.min(everything, floorBound(solved.bound));
  }
  return { bound, seatable, lp };
}
