import type { Instant } from '../time/zone.js';

/**
 * Tables taken out of service for an interval: maintenance, a private event. A
 * sector-wide blackout names every table the sector had when it was placed.
 */
export interface Blackout {
  id: string;
  restaurantId: string;
  sectorId: string;
  tableIds: string[];
  /** True when it was placed on the whole sector rather than on chosen tables. */
  wholeSector: boolean;
  start: Instant;
  end: Instant;
  reason?: string | undefined;
  status: 'ACTIVE' | 'LIFTED';
  createdAt: Instant;
  updatedAt: Instant;
}

export interface BlackoutPlaced {
  type: 'BlackoutPlaced';
  data: { blackout: Blackout };
}

/** New bounds for a blackout; a shorter one frees seats at once. */
interface BlackoutResized {
  type: 'BlackoutResized';
  data: { blackoutId: string; start: Instant; end: Instant; at: Instant };
}

interface BlackoutLifted {
  type: 'BlackoutLifted';
  data: { blackoutId: string; at: Instant };
}

export type BlackoutEvent = BlackoutPlaced | BlackoutResized | BlackoutLifted;

const BLACKOUT_TYPES: readonly string[] = ['BlackoutPlaced', 'BlackoutResized', 'BlackoutLifted'] satisfies BlackoutEvent['type'][];

export function isBlackoutEvent(event: { type: string }): event is BlackoutEvent {
  return BLACKOUT_TYPES.includes(event.type);
}

export function blackoutIdOf(event: BlackoutEvent): string {
  return event.type === 'BlackoutPlaced' ? event.data.blackout.id : event.data.blackoutId;
}

export function evolveBlackout(state: Blackout | null, event: BlackoutEvent): Blackout | null {
  switch (event.type) {
    case 'BlackoutPlaced':
      return { ...event.data.blackout };
    case 'BlackoutResized':
      return state ? { ...state, start: event.data.start, end: event.data.end, updatedAt: event.data.at } : state;
    case 'BlackoutLifted':
      return state ? { ...state, status: 'LIFTED', updatedAt: event.data.at } : state;
  }
}

export function blocksSeats(blackout: Blackout): boolean {
  return blackout.status === 'ACTIVE';
}
