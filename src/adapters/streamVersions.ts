import { StreamVersionConflict, type PendingEvent } from '../application/ports/eventStore.js';

/**
 * The version each pending event gets, given the streams' current versions;
 * throws `StreamVersionConflict` at the first expectation that does not hold.
 * Several events of one append may go to one stream: each expects the one before.
 */
export function nextVersions(pending: readonly PendingEvent[], currentOf: (stream: string) => number): number[] {
  const seen = new Map<string, number>();
  return pending.map(({ stream, expectedVersion }) => {
    const actual = seen.get(stream) ?? currentOf(stream);
    const expected = expectedVersion === 'none' ? 0 : expectedVersion;
    if (actual !== expected) throw new StreamVersionConflict(stream, expectedVersion, actual);
    seen.set(stream, actual + 1);
    return actual + 1;
  });
}
