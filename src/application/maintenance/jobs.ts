import type { MaintenanceJob } from '../ports/eventStore.js';

/** Why the store is not ready: the projections do not yet match the whole log. */
export function unfinishedJobError(job: MaintenanceJob): Error {
  const share = job.done > 0 && job.total > 0 ? ` (${Math.floor((100 * job.done) / job.total)}%)` : '';
  return new Error(`a ${job.kind} is unfinished${share}: run \`wokibrain ${job.kind}\` again to finish it`);
}
