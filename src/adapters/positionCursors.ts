import type { StoredEvent } from '../application/ports/eventStore.js';
import type { CommittedEvent, LogCursor } from '../application/ports/eventSubscriptions.js';

/**
 * Cursors for stores whose positions are handed out in commit order (memory, and
 * SQLite, whose writers take turns): the cursor is simply the position.
 */
export function positionCursor(position: number): LogCursor {
  return String(position);
}

/** The position a cursor stands at; 0 (before every event) for the log's start. */
export function positionOf(cursor: LogCursor | null): number {
  if (cursor === null) return 0;
  const position = Number(cursor);
  if (!/^\d+$/.test(cursor) || !Number.isSafeInteger(position)) throw new Error(`not a position cursor: "${cursor}"`);
  return position;
}

export function withPositionCursors(events: readonly StoredEvent[]): CommittedEvent[] {
  return events.map((event) => ({ ...event, cursor: positionCursor(event.position) }));
}
