import type { EventLogMaintenance, StoredEvent } from '../ports/eventStore.js';
import type { GuestStore } from '../ports/guestStore.js';
import type { GuestProfile } from '../../domain/guests/guestProfile.js';

const FORMAT = 'wokibrain-event-log';
/** 2 adds guest profiles after the events; a version 1 backup (events only) still restores. */
const FORMAT_VERSION = 2;
const READABLE_VERSIONS: readonly unknown[] = [1, 2];
const PAGE = 1000;

/** Guest profiles live beside the log; a backup carries them after the events. */
type GuestBackup = Partial<Pick<GuestStore, 'guestsAfter' | 'saveGuests'>>;

/**
 * The whole event log as JSON Lines: a header line, then one event per line in
 * log order, then one `{"guest": …}` line per guest profile. Store-neutral, so a
 * SQLite log restores into PostgreSQL and back. Events are written as they read:
 * personal data opened, and absent for guests erased before the backup was made.
 */
export async function* exportLog(store: EventLogMaintenance & GuestBackup): AsyncGenerator<string> {
  yield JSON.stringify({ format: FORMAT, version: FORMAT_VERSION });
  let after = 0;
  for (;;) {
    const page = await store.readAll(after, PAGE);
    for (const event of page) yield JSON.stringify(event);
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.position;
  }
  if (!store.guestsAfter) return;
  let afterId = '';
  for (;;) {
    const page = await store.guestsAfter(afterId, PAGE);
    for (const guest of page) yield JSON.stringify({ guest });
    if (page.length < PAGE) return;
    afterId = page[page.length - 1]!.id;
  }
}

export interface RestoreOptions {
  /** Events written per transaction (an append is never split). */
  batchEvents?: number;
  /** How many events the backup holds, when known: recorded, and shown in progress. */
  total?: number;
  /** Called after each committed batch, with the events the store now holds from the backup. */
  onProgress?: (progress: { done: number; total: number | undefined }) => void;
  /** Stops, as a crash would, once this many batches have committed: a test hook for resuming. */
  stopAfterBatches?: number;
}

/** Events written per transaction during a restore. */
const RESTORE_BATCH = 20000;

/**
 * Restores a log written by `exportLog` into an empty store; returns how many events
 * the store holds from it. Each batch is one transaction that writes the events and
 * projects them. The store records the restore as unfinished until the last batch
 * (readiness fails meanwhile); a rerun with the same backup then skips what the store
 * already holds and goes on, after checking that the backup's event at that position
 * is the one the store holds. A store that holds events and no unfinished restore is refused.
 *
 * The lines are taken in hand before anything is awaited, so that a source that pushes
 * its lines (readline, an event emitter) cannot emit some while the store answers.
 */
export async function importLog(
  store: EventLogMaintenance & GuestBackup,
  lines: AsyncIterable<string>,
  options: RestoreOptions = {},
): Promise<number> {
  const source = lines[Symbol.asyncIterator]();
  const remaining: AsyncIterable<string> = { [Symbol.asyncIterator]: () => source };
  const size = Math.max(1, options.batchEvents ?? RESTORE_BATCH);
  let resumeAfter = 0;
  try {
    const job = await store.unfinishedJob?.();
    if (job?.kind === 'restore' && store.lastPosition) {
      resumeAfter = await store.lastPosition();
    } else {
      if (job) throw new Error(`a ${job.kind} is unfinished: finish it before restoring`);
      if ((await store.readAll(0, 1)).length > 0) throw new Error('restore needs an empty store: this one already holds events');
      await store.markRestore?.(options.total ?? 0);
    }
  } catch (error) {
    await source.return?.();
    throw error;
  }
  let header = true;
  const guests: GuestProfile[] = [];
  let batch: StoredEvent[] = [];
  let count = 0;
  let lastPosition = 0;
  let batches = 0;
  const flush = async () => {
    await store.importEvents(batch);
    batch = [];
    batches++;
    options.onProgress?.({ done: count, total: options.total });
    return options.stopAfterBatches !== undefined && batches >= options.stopAfterBatches;
  };
  for await (const line of remaining) {
    if (line.trim() === '') continue;
    const value = JSON.parse(line) as Record<string, unknown>;
    if (header) {
      if (value.format !== FORMAT || !READABLE_VERSIONS.includes(value.version)) throw new Error('not a WokiBrain event log backup');
      header = false;
      continue;
    }
    if ('guest' in value) {
      guests.push(value.guest as GuestProfile);
      continue;
    }
    const event = value as unknown as StoredEvent;
    if (typeof event.position !== 'number' || event.position <= lastPosition) {
      throw new Error(`event at line ${count + 2} is out of order or malformed`);
    }
    lastPosition = event.position;
    if (event.position <= resumeAfter) {
      if (event.position === resumeAfter) await checkSameEvent(store, event);
      count++;
      continue;
    }
    // Events of one append share their time: a batch never splits an append, so the
    // store judges the seats as each append left them (repack swaps tables).
    if (batch.length >= size && event.recordedAt !== batch[batch.length - 1]!.recordedAt) {
      if (await flush()) {
        await source.return?.();
        return count;
      }
    }
    batch.push(event);
    count++;
  }
  if (header) throw new Error('the backup is empty');
  if (resumeAfter > lastPosition) throw new Error(`the store holds events up to ${resumeAfter}, beyond the end of this backup`);
  if (batch.length > 0) await flush();
  for (let from = 0; from < guests.length; from += PAGE) await store.saveGuests?.(guests.slice(from, from + PAGE));
  await store.markRestore?.(null);
  return count;
}

/** A resumed restore must be of the same backup: the store's last event is the backup's at that position. */
async function checkSameEvent(store: EventLogMaintenance, event: StoredEvent): Promise<void> {
  const [held] = await store.readAll(event.position - 1, 1);
  if (!held || held.position !== event.position || held.stream !== event.stream || held.version !== event.version) {
    throw new Error(`this backup is not the one being restored: the store's event at position ${event.position} differs`);
  }
}
