import type { EventLogMaintenance, StoredEvent } from '../ports/eventStore.js';

const FORMAT = 'wokibrain-event-log';
const FORMAT_VERSION = 1;
const PAGE = 1000;

/**
 * The whole event log as JSON Lines: a header line, then one event per line in
 * log order. Store-neutral, so a SQLite log restores into PostgreSQL and back.
 */
export async function* exportLog(store: EventLogMaintenance): AsyncGenerator<string> {
  yield JSON.stringify({ format: FORMAT, version: FORMAT_VERSION });
  let after = 0;
  for (;;) {
    const page = await store.readAll(after, PAGE);
    for (const event of page) yield JSON.stringify(event);
    if (page.length < PAGE) return;
    after = page[page.length - 1]!.position;
  }
}

/**
 * Restores a log written by `exportLog` into an empty store; returns how many events it wrote.
 * The lines are taken in hand before anything is awaited, so that a source that pushes
 * its lines (readline, an event emitter) cannot emit some while the store answers.
 */
export async function importLog(store: EventLogMaintenance, lines: AsyncIterable<string>): Promise<number> {
  const source = lines[Symbol.asyncIterator]();
  const remaining: AsyncIterable<string> = { [Symbol.asyncIterator]: () => source };
  try {
    if ((await store.readAll(0, 1)).length > 0) throw new Error('restore needs an empty store: this one already holds events');
  } catch (error) {
    await source.return?.();
    throw error;
  }
  let header = true;
  let batch: StoredEvent[] = [];
  let count = 0;
  let lastPosition = 0;
  for await (const line of remaining) {
    if (line.trim() === '') continue;
    const value = JSON.parse(line) as Record<string, unknown>;
    if (header) {
      if (value.format !== FORMAT || value.version !== FORMAT_VERSION) throw new Error('not a WokiBrain event log backup');
      header = false;
      continue;
    }
    const event = value as unknown as StoredEvent;
    if (typeof event.position !== 'number' || event.position <= lastPosition) {
      throw new Error(`event at line ${count + 2} is out of order or malformed`);
    }
    lastPosition = event.position;
    // Events of one append share their time: a batch never splits an append, so the
    // store judges the seats as each append left them (repack swaps tables).
    if (batch.length >= PAGE && event.recordedAt !== batch[batch.length - 1]!.recordedAt) {
      await store.importEvents(batch);
      batch = [];
    }
    batch.push(event);
    count++;
  }
  if (header) throw new Error('the backup is empty');
  if (batch.length > 0) await store.importEvents(batch);
  return count;
}
