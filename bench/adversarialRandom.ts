import { MAX_PARTY_SIZE } from '../src/application/contracts/fields.js';
import type { SeatBlock } from '../src/domain/availability/seatBlock.js';
import type { StartPreference } from '../src/domain/seating/candidateOrder.js';
import type { BuiltCase } from './adversarialCases.js';
import {
  blocksFromFree,
  busyBlocks,
  frameOf,
  hotFree,
  MIXES,
  request,
  scatterBlocks,
  sizesOf,
  tablesOf,
  type Mix,
  type ServiceName,
} from './adversarialShapes.js';
import { mulberry32, shuffle, weighted } from './prng.js';

/**
 * One input of the random search, small enough to print: every field, and its own
 * seed for the layout, so `npm run bench:adversarial -- --case '<spec>'` rebuilds
 * exactly the same request whatever path the search took to reach it.
 */
export interface RandomSpec {
  seed: number;
  tables: number;
  mix: Mix;
  /** How the blocks are laid: bookings + blackouts, scattered 15-minute blackouts, the hot starts, or none. */
  pattern: Pattern;
  blocks: number;
  /** For `hot`: tables free at each hot start, as a share of the tables (per mille). */
  hotShare: number;
  party: number;
  duration: number;
  service: ServiceName;
  prefer: StartPreference;
  limit: number;
}

const PATTERNS = ['busy', 'scatter', 'hot', 'none'] as const;
type Pattern = (typeof PATTERNS)[number];
const SERVICES = ['demo', 'day', 'noon', 'midnight'] as const;
const LIMITS = [1, 10, 100] as const;

const MAX_TABLES = 200;
const MAX_BLOCKS = 5_000;

export function buildRandom(spec: RandomSpec): BuiltCase {
  const random = mulberry32(spec.seed);
  const frame = frameOf(spec.service, spec.prefer);
  const tables = tablesOf(sizesOf(spec.mix, spec.tables, random));
  const stay = spec.duration / 15;
  let blocks: SeatBlock[];
  switch (spec.pattern) {
    case 'busy':
      blocks = busyBlocks(random, tables, frame, spec.blocks);
      break;
    case 'scatter':
      blocks = scatterBlocks(random, tables, frame, spec.blocks);
      break;
    case 'hot': {
      const perStart = Math.max(1, Math.round((spec.tables * spec.hotShare) / 1000));
      const free = hotFree(random, spec.tables, frame, stay, perStart);
      blocks = shuffle(random, blocksFromFree(frame, tables, free, true)).slice(0, spec.blocks);
      break;
    }
    case 'none':
      blocks = [];
  }
  return { request: request(frame, tables, blocks, spec.party, spec.duration, spec.limit) };
}

export function describeSpec(spec: RandomSpec): string {
  return (
    `seed=${spec.seed},tables=${spec.tables},mix=${spec.mix},pattern=${spec.pattern},blocks=${spec.blocks},hot=${spec.hotShare},` +
    `party=${spec.party},duration=${spec.duration},service=${spec.service},prefer=${spec.prefer},limit=${spec.limit}`
  );
}

export function parseSpec(text: string): RandomSpec {
  const fields = new Map(text.split(',').map((pair) => pair.split('=') as [string, string]));
  const num = (key: string) => {
    const value = Number(fields.get(key));
    if (!Number.isInteger(value)) throw new Error(`--case: ${key} must be an integer`);
    return value;
  };
  const oneOf = <T extends string>(key: string, options: readonly T[]): T => {
    const value = fields.get(key) as T;
    if (!options.includes(value)) throw new Error(`--case: ${key} must be one of ${options.join(', ')}`);
    return value;
  };
  return clamp({
    seed: num('seed'),
    tables: num('tables'),
    mix: oneOf('mix', MIXES),
    pattern: oneOf('pattern', PATTERNS),
    blocks: num('blocks'),
    hotShare: num('hot'),
    party: num('party'),
    duration: num('duration'),
    service: oneOf('service', SERVICES),
    prefer: oneOf('prefer', ['earliest', 'flush'] as const),
    limit: num('limit'),
  });
}

function clamp(spec: RandomSpec): RandomSpec {
  const tables = Math.min(MAX_TABLES, Math.max(1, spec.tables));
  return {
    ...spec,
    seed: spec.seed >>> 0,
    tables,
    blocks: Math.min(MAX_BLOCKS, Math.max(0, spec.blocks)),
    hotShare: Math.min(1000, Math.max(1, spec.hotShare)),
    party: Math.min(MAX_PARTY_SIZE, Math.max(1, spec.party)),
    // 15 minutes to 6 hours: a restaurant may allow any stay on the grid.
    duration: 15 * Math.min(24, Math.max(1, Math.round(spec.duration / 15))),
    limit: Math.min(100, Math.max(1, spec.limit)),
  };
}

/** Largest seats a table of the mix can hold, to aim parties where the search has to work. */
function seatsOf(mix: Mix, tables: number): number {
  const perTable: Record<Mix, number> = {
    one: 1,
    pairs: 2,
    bench: 4,
    types: 7,
    wide: 12,
    evenFixed: tables + 1,
    threeFixed: 1.5 * (tables + 1),
    huge: 800,
  };
  return Math.round(perTable[mix] * tables);
}

/** A party around where the floor's capacity makes the search work: small, a few tables, or a large share of all seats (odd or even). */
function partyFor(random: () => number, mix: Mix, tables: number): number {
  const seats = Math.max(1, seatsOf(mix, tables));
  return weighted(random, [
    [1 + Math.floor(random() * 12), 2],
    [1 + Math.floor(random() * 60), 3],
    [1 + Math.floor(random() * seats * 0.3), 3],
    [Math.max(1, Math.floor(seats * (0.3 + random() * 0.7))), 2],
  ] as const);
}

export function randomSpec(random: () => number): RandomSpec {
  const tables = weighted(random, [
    [8 + Math.floor(random() * 60), 2],
    [40 + Math.floor(random() * 161), 3],
    [MAX_TABLES, 3],
  ] as const);
  const mix = MIXES[Math.floor(random() * MIXES.length)]!;
  const pattern = weighted(random, [
    ['busy', 4],
    ['scatter', 2],
    ['hot', 3],
    ['none', 1],
  ] as const);
  const hotShare = 200 + Math.floor(random() * 600);
  // On the layout the trap is a party one above what a hot start seats: every start nearly fits.
  const nearlyFits = Math.round((tables * hotShare) / 1000) * (mix === 'one' ? 1 : mix === 'pairs' ? 1.5 : 1) + 1;
  return clamp({
    seed: Math.floor(random() * 2 ** 32),
    tables,
    mix,
    pattern,
    blocks: weighted(random, [
      [MAX_BLOCKS, 3],
      [Math.floor(random() * MAX_BLOCKS), 2],
    ] as const),
    hotShare,
    party: pattern === 'hot' && random() < 0.5 ? Math.round(nearlyFits) : partyFor(random, mix, tables),
    duration: weighted(random, [
      [30, 3],
      [15 * (2 + Math.floor(random() * 11)), 4],
      [15 * (1 + Math.floor(random() * 24)), 1],
    ] as const),
    service: SERVICES[Math.floor(random() * SERVICES.length)]!,
    prefer: random() < 0.5 ? 'earliest' : 'flush',
    limit: weighted(random, [
      [1, 2],
      [10, 3],
      [100, 1],
    ] as const),
  });
}

/** One small change: a neighbour of the input in the search space. */
export function mutate(random: () => number, spec: RandomSpec): RandomSpec {
  const nudge = (value: number, spread: number) => Math.round(value + (random() * 2 - 1) * spread);
  const next = { ...spec };
  switch (Math.floor(random() * 11)) {
    case 0:
      next.party = nudge(spec.party, 3);
      break;
    case 1:
      next.party = Math.round(spec.party * (0.5 + random()));
      break;
    case 2:
      next.party = spec.party + (random() < 0.5 ? -1 : 1);
      break;
    case 3:
      next.tables = random() < 0.3 ? MAX_TABLES : nudge(spec.tables, Math.max(4, spec.tables * 0.15));
      break;
    case 4:
      next.blocks = random() < 0.3 ? MAX_BLOCKS : nudge(spec.blocks, 800);
      break;
    case 5:
      next.hotShare = nudge(spec.hotShare, 80);
      break;
    case 6:
      next.duration = nudge(spec.duration, 45);
      break;
    case 7:
      next.seed = Math.floor(random() * 2 ** 32);
      break;
    case 8:
      next.prefer = spec.prefer === 'flush' ? 'earliest' : 'flush';
      next.limit = LIMITS[Math.floor(random() * LIMITS.length)]!;
      break;
    case 9:
      next.pattern = PATTERNS[Math.floor(random() * PATTERNS.length)]!;
      next.service = SERVICES[Math.floor(random() * SERVICES.length)]!;
      break;
    default:
      next.mix = MIXES[Math.floor(random() * MIXES.length)]!;
      next.party = partyFor(random, next.mix, next.tables);
  }
  return clamp(next);
}
