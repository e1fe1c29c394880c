import { describe, expect, it } from 'vitest';
import type { SeatBlock } from '../../src/domain/availability/seatBlock.js';
import { seatingDay, seatingsOnGrid, seatingsOnGridInSteps, stayGrid, type StayGrid } from '../../src/domain/seating/discoverSeatings.js';
import type { TableCapacity } from '../../src/domain/seating/table.js';
import { inSlices } from '../../src/application/queries/engineSlices.js';

const HOUR = 3_600_000;
const NOON = Date.UTC(2025, 9, 22, 12);
const SERVICE = [{ start: NOON, end: NOON + 11 * HOUR }];

/** 160 tables of 2–10 seats, each busy for an hour at a few quarter-hours of its own: the starts see many different counts per type. */
function busyRoom(): StayGrid {
  const tables: TableCapacity[] = Array.from({ length: 160 }, (_, i) => ({
    id: `T${String(i).padStart(2, '0')}`,
    minSize: 1,
    maxSize: 2 + (i % 9),
  }));
  const blocks: SeatBlock[] = [];
  tables.forEach((table, i) => {
    for (let b = 0; b < 3; b++) {
      const start = NOON + (((i * 7 + b * 13) % 40) * HOUR) / 4;
      blocks.push({ tableId: table.id, start, end: start + HOUR, source: { kind: 'booking', id: `B${i}-${b}` } });
    }
  });
  return stayGrid(seatingDay(SERVICE, tables, blocks), SERVICE, 60);
}

const BIG_PARTY = { zone: 'UTC', prefer: 'earliest', partySize: 150, limit: 50 } as const;

/** Drives the steps to the end; how many times they paused. */
function pausesOf<T>(steps: Generator<void, T, void>): { pauses: number; result: T } {
  for (let pauses = 0; ; pauses++) {
    const next = steps.next();
    if (next.done) return { pauses, result: next.value };
  }
}

describe('the engine in steps', () => {
  it('pauses on a big party over a busy room, and finds what the one-shot search finds', () => {
    const grid = busyRoom();
    const { pauses, result } = pausesOf(seatingsOnGridInSteps(grid, BIG_PARTY));
    expect(result.length).toBe(BIG_PARTY.limit);
    expect(result).toEqual(seatingsOnGrid(grid, BIG_PARTY));
    expect(pauses).toBeGreaterThan(0);
  });

  it('never pauses a small search: its work is counted, and it ends before a pause is due', () => {
    const grid = busyRoom();
    const couple = { ...BIG_PARTY, partySize: 2, limit: 10 };
    const { pauses, result } = pausesOf(seatingsOnGridInSteps(grid, couple));
    expect(result).toHaveLength(10);
    expect(pauses).toBe(0);
  });

  it('keeps no state between searches: two run step by step in turn find what each finds alone', () => {
    const grid = busyRoom();
    const other = { ...BIG_PARTY, partySize: 37, prefer: 'flush' } as const;
    const a = seatingsOnGridInSteps(grid, BIG_PARTY);
    const b = seatingsOnGridInSteps(grid, other);
    let doneA: IteratorResult<void, unknown> | undefined;
    let doneB: IteratorResult<void, unknown> | undefined;
    while (!doneA?.done || !doneB?.done) {
      if (!doneA?.done) doneA = a.next();
      if (!doneB?.done) doneB = b.next();
    }
    expect(doneA.value).toEqual(seatingsOnGrid(grid, BIG_PARTY));
    expect(doneB.value).toEqual(seatingsOnGrid(grid, other));
  });
});

describe('inSlices', () => {
  function* threeSteps() {
    yield;
    yield;
    return 'done';
  }

  it('lets the event loop turn between steps once a slice is spent', async () => {
    let turned = false;
    setImmediate(() => (turned = true));
    expect(await inSlices(threeSteps(), 0)).toBe('done');
    expect(turned).toBe(true);
  });

  it('runs work that ends within a slice without letting the event loop turn', async () => {
    let turned = false;
    setImmediate(() => (turned = true));
    expect(await inSlices(threeSteps(), Number.POSITIVE_INFINITY)).toBe('done');
    expect(turned).toBe(false);
  });
});
