import type { DiscoverQuery, DiscoverResponse } from '../contracts/bookings.js';

interface Entry {
  revision: number;
  response: DiscoverResponse;
}

/**
 * Recent discover answers, each kept with the sector revision it was computed
 * at. An answer is served only while the sector's revision is unchanged, and the
 * revision is read before the state, so a hit is never older than the last
 * committed change. Least recently used entries go first.
 */
export class DiscoverCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly capacity: number) {}

  static keyOf(query: DiscoverQuery): string {
    return [
      query.restaurantId,
      query.sectorId,
      query.date,
      query.partySize,
      query.duration ?? '',
      query.windowStart ?? '',
      query.windowEnd ?? '',
      query.limit,
    ].join('|');
  }

  get(key: string, revision: number): DiscoverResponse | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.revision !== revision) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.response;
  }

  set(key: string, revision: number, response: DiscoverResponse): void {
    if (this.capacity <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { revision, response });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}
