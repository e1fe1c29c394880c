import { mulberry32, shuffle } from '../prng.js';
import type { TableCapacity } from '../../src/domain/seating/table.js';
import type { Layout } from './model.js';

export const ZONE = 'America/Argentina/Buenos_Aires';
export const FIRST_DATE = '2025-10-22';

const SERVICE = [
  { start: '12:00', end: '15:00' },
  { start: '19:00', end: '23:30' },
] as const;

/** The SPEC demo sector S1: T1 2–2, T2 2–4, T3 2–4, T4 4–6, T5 2–2. */
const demo: TableCapacity[] = [
  { id: 'T1', minSize: 2, maxSize: 2 },
  { id: 'T2', minSize: 2, maxSize: 4 },
  { id: 'T3', minSize: 2, maxSize: 4 },
  { id: 'T4', minSize: 4, maxSize: 6 },
  { id: 'T5', minSize: 2, maxSize: 2 },
];

/**
 * `count` tables of each [min, max], ids numbered by floor position: sizes are
 * shuffled over the ids (fixed seed), as in a real room where T07 may be a six-top.
 */
function mixedRoom(prefix: string, kinds: readonly (readonly [number, number, number])[], seed: number): TableCapacity[] {
  const sizes: [number, number][] = [];
  for (const [count, minSize, maxSize] of kinds) {
    for (let i = 0; i < count; i++) sizes.push([minSize, maxSize]);
  }
  shuffle(mulberry32(seed), sizes);
  return sizes.map(([minSize, maxSize], i) => ({ id: `${prefix}${String(i + 1).padStart(2, '0')}`, minSize, maxSize }));
}

export const LAYOUTS: readonly Layout[] = [
  { name: 'demo S1 (5 tables)', tables: demo, service: SERVICE },
  {
    name: 'bistro (20 tables)',
    tables: mixedRoom(
      'B',
      [
        [6, 1, 2],
        [10, 2, 4],
        [4, 4, 6],
      ],
      2020,
    ),
    service: SERVICE,
  },
  {
    name: 'hall (40 tables)',
    tables: mixedRoom(
      'H',
      [
        [10, 1, 2],
        [16, 2, 4],
        [8, 4, 6],
        [6, 6, 8],
      ],
      4040,
    ),
    service: SERVICE,
  },
];

export function seatsOf(layout: Layout): number {
  return layout.tables.reduce((sum, table) => sum + table.maxSize, 0);
}
