import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileLines, readLines } from '../../src/adapters/files/readLines.js';
import { importLog } from '../../src/application/maintenance/backup.js';
import type { EventLogMaintenance, StoredEvent } from '../../src/application/ports/eventStore.js';

const HEADER = JSON.stringify({ format: 'wokibrain-event-log', version: 1 });

function event(position: number): StoredEvent {
  return {
    position,
    stream: `table-T${position}`,
    version: 1,
    type: 'TableAdded',
    data: { table: { id: `T${position}`, sectorId: 'S1', name: `T${position}`, minSize: 2, maxSize: 4, createdAt: 0, updatedAt: 0 } },
    metadata: { actor: 'test' },
    recordedAt: position,
  };
}

function backupText(events: number): string {
  return [HEADER, ...Array.from({ length: events }, (_, index) => JSON.stringify(event(index + 1)))].join('\n') + '\n';
}

/** An empty store that answers its first query only once `answer` settles, like a database across a network. */
function slowEmptyStore(answer: () => Promise<unknown>) {
  const imported: StoredEvent[] = [];
  const store: EventLogMaintenance = {
    readAll: async () => {
      await answer();
      return [];
    },
    importEvents: async (events) => {
      imported.push(...events);
    },
    rebuildProjections: async () => {},
    close: async () => {},
  };
  return { store, imported };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Fails instead of hanging when the import waits for lines that were already emitted. */
function withinSeconds<T>(work: Promise<T>, seconds = 2): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${seconds} s: lines were lost`)), seconds * 1000);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function* chunksOf(...chunks: (string | Uint8Array)[]) {
  yield* chunks;
}

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const all: string[] = [];
  for await (const line of lines) all.push(line);
  return all;
}

describe('readLines', () => {
  it('splits on \\n and \\r\\n, keeps empty lines and a last line without a break', async () => {
    expect(await collect(readLines(chunksOf('a\nb\r\n\nc', '\r', '\nd')))).toEqual(['a', 'b', '', 'c', 'd']);
    expect(await collect(readLines(chunksOf('x\n')))).toEqual(['x']);
    expect(await collect(readLines(chunksOf()))).toEqual([]);
  });

  it('joins UTF-8 characters and lines split across chunks byte by byte', async () => {
    const text = 'Añejo €5 🍷\n{"name":"Café"}\nlast';
    const bytes = new TextEncoder().encode(text);
    const oneByteEach = Array.from(bytes, (byte) => Uint8Array.of(byte));
    expect(await collect(readLines(chunksOf(...oneByteEach)))).toEqual(text.split('\n'));
  });

  it('refuses bytes that are not UTF-8 rather than change them', async () => {
    await expect(collect(readLines(chunksOf(Uint8Array.of(0x61, 0xff, 0x0a))))).rejects.toThrow();
  });
});

describe('restoring from a file while the store is slow to answer', () => {
  let dir = '';
  let small = '';
  let large = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wokibrain-lines-'));
    small = join(dir, 'small.jsonl');
    large = join(dir, 'large.jsonl');
    await writeFile(small, backupText(39));
    await writeFile(large, backupText(5_000)); // well over one 64 KiB read
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('gets every line of a small file, header included, when the store answers after the file could have been read', async () => {
    const { store, imported } = slowEmptyStore(() => sleep(100));
    expect(await withinSeconds(importLog(store, readFileLines(small)))).toBe(39);
    expect(imported.map((stored) => stored.position)).toEqual(Array.from({ length: 39 }, (_, index) => index + 1));
  });

  it('gets every line of a file many chunks long', async () => {
    const { store, imported } = slowEmptyStore(() => sleep(100));
    expect(await withinSeconds(importLog(store, readFileLines(large)))).toBe(5_000);
    expect(imported).toHaveLength(5_000);
    expect(imported.at(-1)).toEqual(event(5_000));
  });

  it('loses no line whatever the reader awaits before and between its pulls', async () => {
    const lines = readFileLines(small);
    await sleep(50);
    const seen: string[] = [];
    const reading = (async () => {
      for await (const line of lines) {
        seen.push(line);
        await sleep(1);
      }
    })();
    await withinSeconds(reading);
    expect(seen).toEqual(backupText(39).trimEnd().split('\n'));
  });

  it('takes hold of a pushing source (readline) before it awaits the store', async () => {
    // The store answers only once readline has emitted every line and closed:
    // an import that starts iterating after that waits for lines that are gone.
    const reader = createInterface({ input: createReadStream(small), crlfDelay: Infinity });
    const closed = once(reader, 'close');
    const { store, imported } = slowEmptyStore(() => closed);
    expect(await withinSeconds(importLog(store, reader))).toBe(39);
    expect(imported).toHaveLength(39);
  });

  it('lets go of the lines when the store is not empty', async () => {
    let released = false;
    const lines: AsyncIterable<string> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => ({ done: false, value: HEADER }),
        return: async () => {
          released = true;
          return { done: true, value: undefined };
        },
      }),
    };
    const store: EventLogMaintenance = {
      readAll: async () => [event(1)],
      importEvents: async () => {},
      rebuildProjections: async () => {},
      close: async () => {},
    };
    await expect(importLog(store, lines)).rejects.toThrow(/empty store/);
    expect(released).toBe(true);
  });
});
