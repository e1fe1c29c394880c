import type { SeatBlock } from '../src/domain/availability/seatBlock.js';
import type { StartPreference } from '../src/domain/seating/candidateOrder.js';
import type { DiscoverRequest } from '../src/domain/seating/discoverSeatings.js';
import { searchWindows } from '../src/domain/seating/searchWindow.js';
import type { TableCapacity } from '../src/domain/seating/table.js';
import type { Interval } from '../src/domain/time/interval.js';
import { parseLocalTime } from '../src/domain/time/localTime.js';
import type { LocalWindow } from '../src/domain/time/serviceWindows.js';
import { shuffle, weighted } from './prng.js';

/**
 * Building blocks of the adversarial inputs: engine requests made directly (no
 * store, no HTTP), on a 15-minute slot grid counted from the first service opening.
 */

const ZONE = 'America/Argentina/Buenos_Aires';
const DATE = '2025-10-22';
export const SLOT_MS = 15 * 60_000;

export type ServiceName = 'demo' | 'day' | 'noon' | 'midnight';

const SERVICE_WINDOWS: Record<ServiceName, LocalWindow[] | undefined> = {
  demo: [
    { start: '12:00', end: '16:00' },
    { start: '20:00', end: '23:45' },
  ],
  // No windows: the whole local day.
  day: undefined,
  noon: [{ start: '12:00', end: '00:00' }],
  midnight: [
    { start: '12:00', end: '15:00' },
    { start: '19:00', end: '03:00' },
  ],
};

/** windowStart/windowEnd spanning the whole service: a guest who bounds both ends, so the engine ranks flush first. */
const WHOLE_SERVICE: Record<ServiceName, readonly [string, string]> = {
  demo: ['12:00', '23:45'],
  day: ['00:00', '23:45'],
  noon: ['12:00', '00:00'],
  midnight: ['12:00', '03:00'],
};

/** The service of the date on the slot grid. */
export interface Frame {
  name: ServiceName;
  prefer: StartPreference;
  service: Interval[];
  windows: Interval[];
  /** Instant of slot 0: the first service opening. */
  origin: number;
  slots: number;
  /** 1 where slot i lies inside a service window. */
  inService: Uint8Array;
}

export function frameOf(name: ServiceName, prefer: StartPreference): Frame {
  const [windowStart, windowEnd] = WHOLE_SERVICE[name];
  const area = searchWindows({
    zone: ZONE,
    date: DATE,
    serviceWindows: SERVICE_WINDOWS[name],
    ...(prefer === 'flush' ? { windowStart: parseLocalTime(windowStart)!, windowEnd: parseLocalTime(windowEnd)! } : {}),
  });
  if (!area) throw new Error(`no service for ${name}`);
  const origin = area.service[0]!.start;
  const slots = (area.service[area.service.length - 1]!.end - origin) / SLOT_MS;
  const inService = new Uint8Array(slots);
  for (const window of area.service) {
    for (let t = window.start; t < window.end; t += SLOT_MS) inService[(t - origin) / SLOT_MS] = 1;
  }
  return { name, prefer, service: area.service, windows: area.windows, origin, slots, inService };
}

/** Runs of consecutive service slots `[from, to)`: where a stay or a block can matter. */
function serviceRuns(frame: Frame): [number, number][] {
  const runs: [number, number][] = [];
  for (let i = 0; i < frame.slots; i++) {
    if (!frame.inService[i]) continue;
    const from = i;
    while (i < frame.slots && frame.inService[i]) i++;
    runs.push([from, i]);
  }
  return runs;
}

export function request(
  frame: Frame,
  tables: readonly TableCapacity[],
  blocks: readonly SeatBlock[],
  partySize: number,
  durationMinutes: number,
  limit: number,
): DiscoverRequest {
  return {
    zone: ZONE,
    windows: frame.windows,
    service: frame.service,
    prefer: frame.prefer,
    partySize,
    durationMinutes,
    tables,
    blocks,
    limit,
  };
}

function tableId(i: number): string {
  return `T${String(i + 1).padStart(3, '0')}`;
}

export function tablesOf(sizes: readonly (readonly [number, number])[]): TableCapacity[] {
  return sizes.map(([minSize, maxSize], i) => ({ id: tableId(i), minSize, maxSize }));
}

function block(frame: Frame, table: string, from: number, to: number, kind: 'booking' | 'blackout', id: string): SeatBlock {
  return { tableId: table, start: frame.origin + from * SLOT_MS, end: frame.origin + to * SLOT_MS, source: { kind, id } };
}

/** Size distributions of the random search, each a plausible (or plausibly hostile) floor. */
export const MIXES = ['one', 'pairs', 'bench', 'types', 'wide', 'evenFixed', 'threeFixed', 'huge'] as const;
export type Mix = (typeof MIXES)[number];

export function sizesOf(mix: Mix, n: number, random: () => number): [number, number][] {
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const each = (make: (i: number) => [number, number]) => Array.from({ length: n }, (_, i) => make(i));
  switch (mix) {
    case 'one':
      return each(() => [1, 1]);
    case 'pairs':
      return each(() => (random() < 0.5 ? [1, 2] : [2, 2]));
    case 'bench':
      return each(() => {
        const [min, max] = weighted(random, [
          [[1, 2], 30],
          [[2, 4], 40],
          [[4, 6], 20],
          [[6, 8], 10],
        ] as const);
        return [min, max];
      });
    case 'types':
      return each(() => {
        const min = int(1, 8);
        return [min, min + int(0, 6)];
      });
    case 'wide':
      return each(() => {
        const min = int(1, 3);
        return [min, min + int(1, 19)];
      });
    // Distinct fixed sizes, shuffled over the ids: subset-sum in disguise.
    case 'evenFixed':
      return shuffle(
        random,
        each((i) => [2 * (i + 1), 2 * (i + 1)]),
      );
    case 'threeFixed':
      return shuffle(
        random,
        each((i) => [3 * (i + 1), 3 * (i + 1)]),
      );
    case 'huge':
      return shuffle(
        random,
        each((i) => [1000 - 2 * i, 1000 - 2 * i]),
      );
  }
}

/**
 * A busy floor: bookings of 30–180 min (a fifth of them on 2–4 tables at once, as
 * combinations are booked) laid without overlap inside service, then 15–60 min
 * blackouts, most of them on a quarter of the tables, up to `count` blocks in all.
 */
export function busyBlocks(random: () => number, tables: readonly TableCapacity[], frame: Frame, count: number, fill = 0.7): SeatBlock[] {
  const n = tables.length;
  const taken = tables.map(() => new Uint8Array(frame.slots));
  const blocks: SeatBlock[] = [];
  const runs = serviceRuns(frame);
  const bookingCap = Math.round(count * 0.6);
  let bookings = 0;
  const free = (t: number, from: number, to: number) => {
    for (let s = from; s < to; s++) if (taken[t]![s]) return false;
    return true;
  };
  const book = (ts: number[], from: number, to: number) => {
    const id = `B${++bookings}`;
    for (const t of ts) {
      taken[t]!.fill(1, from, to);
      blocks.push(block(frame, tables[t]!.id, from, to, 'booking', id));
    }
  };
  const stay = () => 2 + Math.floor(random() * 11);
  // Combinations first, as a busy evening books its large parties early.
  for (let attempt = 0; attempt < n && blocks.length < bookingCap; attempt++) {
    const run = runs[Math.floor(random() * runs.length)]!;
    const len = stay();
    if (run[1] - run[0] < len) continue;
    const from = run[0] + Math.floor(random() * (run[1] - run[0] - len + 1));
    const size = Math.min(n, 2 + Math.floor(random() * 3));
    const ts = new Set<number>();
    while (ts.size < size) ts.add(Math.floor(random() * n));
    if ([...ts].every((t) => free(t, from, from + len))) book([...ts], from, from + len);
  }
  for (let t = 0; t < n && blocks.length < bookingCap; t++) {
    for (const [start, end] of runs) {
      let s = start + Math.floor(random() * 4);
      while (blocks.length < bookingCap) {
        const len = stay();
        if (s + len > end) break;
        if (random() < fill && free(t, s, s + len)) book([t], s, s + len);
        s += len + Math.floor(random() * 3);
      }
    }
  }
  const troubled = Math.max(1, Math.ceil(n / 4));
  let blackouts = 0;
  while (blocks.length < count) {
    const t = random() < 0.7 ? Math.floor(random() * troubled) : Math.floor(random() * n);
    const run = runs[Math.floor(random() * runs.length)]!;
    const len = 1 + Math.floor(random() * 4);
    const from = run[0] + Math.floor(random() * Math.max(1, run[1] - run[0] - len + 1));
    blocks.push(block(frame, tables[t]!.id, from, Math.min(run[1], from + len), 'blackout', `X${++blackouts}`));
  }
  return shuffle(random, blocks);
}

/** 15-minute blackouts on random (table, service slot) cells: the scatter, `count` of them (distinct cells while there are any). */
export function scatterBlocks(random: () => number, tables: readonly TableCapacity[], frame: Frame, count: number): SeatBlock[] {
  const cells: number[] = [];
  for (let t = 0; t < tables.length; t++) for (let s = 0; s < frame.slots; s++) if (frame.inService[s]) cells.push(t * frame.slots + s);
  shuffle(random, cells);
  return cells
    .slice(0, count)
    .map((cell, i) =>
      block(frame, tables[Math.floor(cell / frame.slots)]!.id, cell % frame.slots, (cell % frame.slots) + 1, 'blackout', `X${i + 1}`),
    );
}

/**
 * Free cells → blocks: every service slot a table is not free in is blocked, as one
 * blackout per maximal run (`merge`) or one 15-minute blackout per slot.
 */
export function blocksFromFree(frame: Frame, tables: readonly TableCapacity[], free: readonly Uint8Array[], merge: boolean): SeatBlock[] {
  const blocks: SeatBlock[] = [];
  for (let t = 0; t < tables.length; t++) {
    for (let s = 0; s < frame.slots; s++) {
      if (!frame.inService[s] || free[t]![s]) continue;
      let to = s + 1;
      if (merge) while (to < frame.slots && frame.inService[to] && !free[t]![to]) to++;
      blocks.push(block(frame, tables[t]!.id, s, to, 'blackout', `X${blocks.length + 1}`));
      s = to - 1;
    }
  }
  return blocks;
}

/** Slots at which a stay of `stay` slots may start: inside one service run. */
export function startSlots(frame: Frame, stay: number): number[] {
  const starts: number[] = [];
  for (const [from, to] of serviceRuns(frame)) for (let s = from; s + stay <= to; s++) starts.push(s);
  return starts;
}

/** Which tables are free for the whole stay at each start slot. */
export function freeAtStarts(free: readonly Uint8Array[], starts: readonly number[], stay: number): number[][] {
  return starts.map((s) => {
    const at: number[] = [];
    for (let t = 0; t < free.length; t++) {
      let ok = true;
      for (let k = 0; k < stay && ok; k++) ok = free[t]![s + k] === 1;
      if (ok) at.push(t);
    }
    return at;
  });
}

/**
 * The structure, generalised: tables are free only at "hot" starts, `perStart`
 * random tables at each (stays side by side, not overlapping), blocked everywhere
 * else. With `perStart` one short of what the party needs, every start nearly fits:
 * a search that prunes only on an empty common start set walks ~2^perStart subsets
 * per start before it can say no.
 */
export function hotFree(random: () => number, n: number, frame: Frame, stay: number, perStart: number): Uint8Array[] {
  const free = Array.from({ length: n }, () => new Uint8Array(frame.slots));
  const ids = Array.from({ length: n }, (_, i) => i);
  for (const [from, to] of serviceRuns(frame)) {
    for (let s = from; s + stay <= to; s += stay) {
      for (const t of shuffle(random, ids).slice(0, Math.min(n, perStart))) free[t]!.fill(1, s, s + stay);
    }
  }
  return free;
}
