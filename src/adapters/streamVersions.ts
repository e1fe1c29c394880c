import { StreamVersionConflict, type EventMetadata, type PendingEvent, type StoredEvent } from '../application/ports/eventStore.js';

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

/** The events as they will be stored, numbered from `firstPosition`; without it, position 0 until the store's insert numbers them. */
export function toStored(
  pending: readonly PendingEvent[],
  versions: readonly number[],
  metadata: EventMetadata,
  recordedAt: number,
  firstPosition?: number,
): StoredEvent[] {
  return pending.map(({ stream, event }, index) => ({
    position: firstPosition === undefined ? 0 : firstPosition + index,
    stream,
    version: versions[index]!,
    type: event.type,
    data: structuredClone(event.data),
    metadata: { ...metadata },
    recordedAt,
  }));
}
