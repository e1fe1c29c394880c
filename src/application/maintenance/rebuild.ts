import { SeatConflict, type MaintenanceJob, type RebuildOptions, type StoredEvent } from '../ports/eventStore.js';
import { RefusedSeats } from '../projections/seatClaims.js';

/** Events replayed per transaction unless told otherwise. */
const REBUILD_BATCH = 5000;

/** What a store provides for `runRebuild`; each method is one transaction of its own. */
export interface RebuildSteps {
  job(): Promise<MaintenanceJob | null>;
  /** Counts the log, empties the projections and records a `rebuild` job at position 0, atomically. */
  start(): Promise<MaintenanceJob>;
  readAll(afterPosition: number, limit: number): Promise<StoredEvent[]>;
  /**
   * Projects `events` (rows, then seats as the batch leaves them) and records `next`
   * as the job, or clears the job when `next` is null, atomically.
   */
  commit(events: readonly StoredEvent[], next: MaintenanceJob | null): Promise<void>;
}

/**
 * Replays the log into the projections in batches, each committed with the
 * position it reached, so that a rerun after a crash goes on from there. The
 * job stays recorded until the last batch commits, and readiness fails while it
 * does: a half-built read model is never presented as complete.
 */
export async function runRebuild(steps: RebuildSteps, options: RebuildOptions = {}): Promise<void> {
  const size = Math.max(1, options.batchEvents ?? REBUILD_BATCH);
  let job = (await steps.job()) ?? (await steps.start());
  if (job.kind !== 'rebuild') throw new Error(`a ${job.kind} is unfinished: finish it before rebuilding`);
  let batches = 0;
  let limit = size;
  for (;;) {
    const page = await batchAfter(steps, job.position, limit);
    const last = page.at(-1);
    const ends = page.length < limit;
    const next: MaintenanceJob | null = ends ? null : { ...job, position: last!.position, done: job.done + page.length };
    try {
      await steps.commit(page, next);
    } catch (error) {
      // A batch may only be judged whole: a conflict that a longer batch would resolve
      // (appends that interleaved) is retried with more of the log, up to all of it.
      if ((error instanceof SeatConflict || error instanceof RefusedSeats) && !ends) {
        limit *= 2;
        continue;
      }
      throw error;
    }
    limit = size;
    options.onProgress?.({ done: next ? next.done : job.done + page.length, total: Math.max(job.total, job.done + page.length) });
    if (!next) return;
    job = next;
    batches++;
    if (options.stopAfterBatches !== undefined && batches >= options.stopAfterBatches) return;
  }
}

/** At most `limit` events after `after`, plus the rest of the last append (same time), so that no append is split. */
async function batchAfter(steps: RebuildSteps, after: number, limit: number): Promise<StoredEvent[]> {
  const page = await steps.readAll(after, limit);
  if (page.length < limit) return page;
  for (;;) {
    const last = page.at(-1)!;
    const more = await steps.readAll(last.position, 64);
    const same = more.findIndex((event) => event.recordedAt !== last.recordedAt);
    page.push(...(same === -1 ? more : more.slice(0, same)));
    if (same !== -1 || more.length < 64) return page;
  }
}
