import type { EventMetadata, PendingEvent, StoredEvent } from '../../application/ports/eventStore.js';
import { nextVersions, toStored } from '../streamVersions.js';
import type { MemoryProjections } from './projections.js';

/**
 * The memory store's log: appends check versions and seats before anything is
 * written, so a refused append leaves the log and the projections as they were.
 */
export class MemoryLog {
  readonly events: StoredEvent[] = [];
  private readonly versions = new Map<string, number>();

  constructor(private readonly projections: MemoryProjections) {}

  append(pending: readonly PendingEvent[], metadata: EventMetadata, recordedAt: number): StoredEvent[] {
    const versions = nextVersions(pending, (stream) => this.versions.get(stream) ?? 0);
    const first = (this.events.at(-1)?.position ?? 0) + 1;
    const stored = toStored(pending, versions, metadata, recordedAt, first);
    this.commit(stored);
    return stored.map((event) => structuredClone(event));
  }

  /** Like the databases: all or nothing, positions only forward, seats judged as the batch leaves them. */
  import(events: readonly StoredEvent[]): void {
    let previous = this.events.at(-1)?.position ?? 0;
    for (const { position } of events) {
      if (!Number.isSafeInteger(position) || position <= previous) {
        throw new Error(`cannot import event at position ${position}: the log already reaches ${previous}`);
      }
      previous = position;
    }
    this.commit(events.map((event) => structuredClone(event)));
  }

  readAll(afterPosition: number, limit: number): StoredEvent[] {
    return this.events
      .filter((entry) => entry.position > afterPosition)
      .slice(0, limit)
      .map((entry) => structuredClone(entry));
  }

  readStream(stream: string): StoredEvent[] {
    return this.events.filter((entry) => entry.stream === stream).map((entry) => structuredClone(entry));
  }

  /** Projects first: a seat conflict throws before the log moves. */
  private commit(events: readonly StoredEvent[]): void {
    this.projections.project(events);
    for (const event of events) {
      this.events.push(event);
      this.versions.set(event.stream, event.version);
    }
  }
}
