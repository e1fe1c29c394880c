import type { Blackout } from '../../domain/blackouts/blackout.js';
import type { Booking } from '../../domain/bookings/booking.js';
import { overlaps } from '../../domain/time/interval.js';
import type { WaitlistEntry } from '../../domain/waitlist/waitlistEntry.js';
import type { StoredEvent } from '../../application/ports/eventStore.js';
import type { Versioned } from '../../application/ports/readModel.js';
import { foldEvents, ProjectionBatch, type ProjectedRow, type Subject } from '../../application/projections/projectionBatch.js';
import { nameSeatConflict, type HeldSeat, type SeatChange, type SeatClaim } from '../../application/projections/seatClaims.js';

type RowOf<K extends ProjectedRow['kind']> = Extract<ProjectedRow, { kind: K }>['value'];

/**
 * The projections of the memory store: rows by kind and id with their versions,
 * the seat claims with their indexes, and the sector revisions. It carries out the
 * projection core's writes and, like a deferred constraint, refuses a batch whose
 * final seats overlap — before writing anything, so a refused append leaves no trace.
 */
export class MemoryProjections {
  readonly rows: { [K in ProjectedRow['kind']]: Map<string, Versioned<RowOf<K>>> } = {
    restaurant: new Map(),
    sector: new Map(),
    table: new Map(),
    booking: new Map(),
    blackout: new Map(),
    waitlistEntry: new Map(),
  };
  readonly tablesBySector = new Map<string, Set<string>>();
  readonly bookingsBySector = new Map<string, Set<string>>();
  /** Who holds which seats: seat-taking bookings and active blackouts alike. */
  readonly claims = new Map<string, SeatClaim>();
  private readonly claimsByTable = new Map<string, Set<string>>();
  readonly claimsBySector = new Map<string, Set<string>>();
  /** PENDING bookings and WAITING entries: what the sweeper looks at, without walking every row. */
  readonly pendingHolds = new Set<string>();
  /** CONFIRMED bookings the sweeper may have to mark no-shows. */
  readonly awaitingNoShow = new Set<string>();
  readonly waitingEntries = new Set<string>();
  /** Never reset, not even by a rebuild, so that no cached answer outlives a change. */
  readonly revisions = new Map<string, number>();

  /** Checks and writes one append or import; throws `SeatConflict` having written nothing. */
  project(events: readonly StoredEvent[]): void {
    const batch = new ProjectionBatch();
    foldEvents(batch, events, (subject) => this.load(subject));
    const changes = batch.takeSeatChanges();
    this.checkSeats(changes);
    this.write(batch.takeRows(), changes, batch.takeChangedSectors());
  }

  /** Empties every row and seat; revisions keep growing. */
  clear(): void {
    for (const rows of Object.values(this.rows)) rows.clear();
    for (const index of [this.tablesBySector, this.bookingsBySector, this.claims, this.claimsByTable, this.claimsBySector]) index.clear();
    this.pendingHolds.clear();
    this.awaitingNoShow.clear();
    this.waitingEntries.clear();
  }

  private load(subject: Subject): Booking | Blackout | WaitlistEntry | null {
    const row = this.rows[subject.kind].get(subject.id);
    return row ? structuredClone(row.value) : null;
  }

  private checkSeats(changes: readonly SeatChange[]): void {
    const changed = new Set(changes.map((change) => change.holder));
    for (const [index, { claim }] of changes.entries()) {
      if (!claim) continue;
      const held: HeldSeat[] = claim.tableIds.flatMap((tableId) =>
        [...(this.claimsByTable.get(tableId) ?? [])].map((holder) => ({ ...this.claims.get(holder)!, holder, tableId })),
      );
      const earlier = changes
        .slice(0, index)
        .some(({ claim: other }) => other?.tableIds.some((t) => claim.tableIds.includes(t)) && overlaps(other, claim));
      if (earlier || held.some((seat) => !changed.has(seat.holder) && overlaps(seat, claim))) throw nameSeatConflict(claim, changes, held);
    }
  }

  private write(rows: readonly ProjectedRow[], changes: readonly SeatChange[], sectors: readonly string[]): void {
    for (const row of rows) {
      (this.rows[row.kind] as Map<string, Versioned<ProjectedRow['value']>>).set(row.value.id, { value: row.value, version: row.version });
      if (row.kind === 'table') addTo(this.tablesBySector, row.value.sectorId, row.value.id);
      if (row.kind === 'booking') {
        addTo(this.bookingsBySector, row.value.sectorId, row.value.id);
        keepIf(this.pendingHolds, row.value.id, row.value.status === 'PENDING');
        keepIf(this.awaitingNoShow, row.value.id, row.value.status === 'CONFIRMED' && row.value.noShowDueAt !== undefined);
      }
      if (row.kind === 'waitlistEntry') keepIf(this.waitingEntries, row.value.id, row.value.status === 'WAITING');
    }
    for (const { holder, claim } of changes) this.holdSeats(holder, claim);
    for (const sectorId of sectors) this.revisions.set(sectorId, (this.revisions.get(sectorId) ?? 0) + 1);
  }

  private holdSeats(holder: string, claim: SeatClaim | null): void {
    const previous = this.claims.get(holder);
    if (previous) {
      for (const tableId of previous.tableIds) this.claimsByTable.get(tableId)?.delete(holder);
      this.claimsBySector.get(previous.sectorId)?.delete(holder);
      this.claims.delete(holder);
    }
    if (!claim) return;
    this.claims.set(holder, claim);
    for (const tableId of claim.tableIds) addTo(this.claimsByTable, tableId, holder);
    addTo(this.claimsBySector, claim.sectorId, holder);
  }
}

function keepIf(set: Set<string>, id: string, keep: boolean): void {
  if (keep) set.add(id);
  else set.delete(id);
}

function addTo(index: Map<string, Set<string>>, key: string, id: string): void {
  let set = index.get(key);
  if (!set) {
    set = new Set();
    index.set(key, set);
  }
  set.add(id);
}
