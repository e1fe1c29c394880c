import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Booking, BookingStatus } from '../../src/domain/bookings/booking.js';
import type { SeatBlock } from '../../src/domain/availability/seatBlock.js';
import type { Blackout } from '../../src/domain/blackouts/blackout.js';
import type { WaitlistEntry } from '../../src/domain/waitlist/waitlistEntry.js';
import type { Restaurant, Sector, Table } from '../../src/domain/restaurants/restaurant.js';
import {
  SeatConflict,
  StreamVersionConflict,
  streams,
  type DomainEvent,
  type EventLogMaintenance,
  type EventMetadata,
  type EventStore,
  type ExpectedVersion,
  type PendingEvent,
  type StoredEvent,
} from '../../src/application/ports/eventStore.js';
import type { ClaimRequest, IdempotencyStore } from '../../src/application/ports/idempotencyStore.js';
import { LONG_SEAT_MS, type ReadModel } from '../../src/application/ports/readModel.js';
import type { SubscriptionStore } from '../../src/application/ports/eventSubscriptions.js';
import { describeSubscriptionConformance } from './subscriptionConformance.js';
import type { GuestStore } from '../../src/application/ports/guestStore.js';
import type { GuestProfile } from '../../src/domain/guests/guestProfile.js';

type ConformanceStore = EventStore & ReadModel & IdempotencyStore & SubscriptionStore & GuestStore & Partial<EventLogMaintenance>;

export interface OpenedStore {
  store: ConformanceStore;
  close(): Promise<void>;
}

/** Opens an EMPTY store each time it is called. */
export type OpenStore = () => Promise<OpenedStore>;

const MINUTE = 60_000;
/** 2025-10-22 20:00 in Buenos Aires (UTC-3). */
const EVENING = Date.UTC(2025, 9, 22, 23, 0);
const DAY = '2025-10-22';
const RECORDED_AT = Date.UTC(2025, 9, 1, 12, 0);
const META: EventMetadata = { actor: 'conformance', requestId: 'req-1' };

/** Minutes after 20:00 local on the test day, as an instant. */
const at = (minutes: number) => EVENING + minutes * MINUTE;

interface World {
  restaurantId: string;
  sectorId: string;
  tableIds: string[];
}

/**
 * One conformance suite for every storage adapter: what the application relies
 * on, checked against the adapter as a black box. Tests share one store and
 * stay apart by unique ids; they run in order.
 */
export function describeStoreConformance(name: string, open: OpenStore): void {
  describe(`${name}: store conformance`, () => {
    let opened: OpenedStore;
    let store: ConformanceStore;
    const run = randomBytes(3).toString('hex');
    let counter = 0;
    const uid = (kind: string) => `${kind}-${run}-${++counter}`;

    beforeAll(async () => {
      opened = await open();
      store = opened.store;
    });

    afterAll(async () => {
      await opened?.close();
    });

    function append(pending: PendingEvent[], recordedAt = RECORDED_AT): Promise<StoredEvent[]> {
      return store.append(pending, META, recordedAt);
    }

    async function newWorld(tables = 4): Promise<World> {
      const restaurantId = uid('R');
      const sectorId = uid('S');
      const tableIds = Array.from({ length: tables }, (_, index) => `${uid('T')}-${index + 1}`);
      await append([
        { stream: streams.restaurant(restaurantId), expectedVersion: 'none', event: restaurantRegistered(restaurantId) },
        { stream: streams.sector(sectorId), expectedVersion: 'none', event: sectorAdded(sectorId, restaurantId) },
        ...tableIds.map((tableId): PendingEvent => ({
          stream: streams.table(tableId),
          expectedVersion: 'none',
          event: tableAdded(tableId, sectorId),
        })),
      ]);
      return { restaurantId, sectorId, tableIds };
    }

    function bookingIn(world: World, tableIds: string[], start: number, end: number, extra: Partial<Booking> = {}): Booking {
      return {
        id: uid('B'),
        restaurantId: world.restaurantId,
        sectorId: world.sectorId,
        date: DAY,
        tableIds,
        partySize: 2,
        start,
        end,
        durationMinutes: (end - start) / MINUTE,
        status: 'CONFIRMED' as BookingStatus,
        guestName: 'Ada',
        createdAt: RECORDED_AT,
        updatedAt: RECORDED_AT,
        ...extra,
      };
    }

    function confirm(booking: Booking): Promise<StoredEvent[]> {
      return append([confirmation(booking)]);
    }

    function cancel(bookingId: string, expectedVersion: ExpectedVersion, when = RECORDED_AT + 1000): Promise<StoredEvent[]> {
      return append([
        { stream: streams.booking(bookingId), expectedVersion, event: { type: 'BookingCancelled', data: { bookingId, at: when } } },
      ]);
    }

    describe('event log', () => {
      it('appends with stream versions and increasing global positions, and reads the stream back', async () => {
        const stream = uid('stream');
        const id = uid('R');
        const first = await append([
          { stream, expectedVersion: 'none', event: restaurantRegistered(id) },
          { stream, expectedVersion: 1, event: restaurantRegistered(id, 'Renamed') },
        ]);
        const second = await append([{ stream, expectedVersion: 2, event: restaurantRegistered(id, 'Third') }], RECORDED_AT + 5);

        expect(first.map((event) => event.version)).toEqual([1, 2]);
        expect(second.map((event) => event.version)).toEqual([3]);
        const positions = [...first, ...second].map((event) => event.position);
        expect(positions[0]).toBeGreaterThanOrEqual(1);
        for (let index = 1; index < positions.length; index++) expect(positions[index]).toBeGreaterThan(positions[index - 1]!);
        expect(first[0]).toEqual({
          position: positions[0],
          stream,
          version: 1,
          type: 'RestaurantRegistered',
          data: { restaurant: restaurant(id) },
          metadata: META,
          recordedAt: RECORDED_AT,
        });
        expect(second[0]!.recordedAt).toBe(RECORDED_AT + 5);

        expect(await store.readStream(stream)).toEqual([...first, ...second]);
        expect(await store.readStream(uid('missing'))).toEqual([]);
      });

      it("refuses 'none' on a stream that exists", async () => {
        const stream = uid('stream');
        await append([{ stream, expectedVersion: 'none', event: restaurantRegistered(uid('R')) }]);
        const error = await append([{ stream, expectedVersion: 'none', event: restaurantRegistered(uid('R')) }]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StreamVersionConflict);
        expect(error).toMatchObject({ stream, expected: 'none', actual: 1 });
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it('refuses a stale or future expected version', async () => {
        const stream = uid('stream');
        await append([{ stream, expectedVersion: 'none', event: restaurantRegistered(uid('R')) }]);
        await append([{ stream, expectedVersion: 1, event: restaurantRegistered(uid('R')) }]);
        const stale = await append([{ stream, expectedVersion: 1, event: restaurantRegistered(uid('R')) }]).catch((e: unknown) => e);
        expect(stale).toBeInstanceOf(StreamVersionConflict);
        expect(stale).toMatchObject({ stream, expected: 1, actual: 2 });
        const future = await append([{ stream, expectedVersion: 5, event: restaurantRegistered(uid('R')) }]).catch((e: unknown) => e);
        expect(future).toMatchObject({ stream, expected: 5, actual: 2 });
        const missing = uid('stream');
        const onMissing = await append([{ stream: missing, expectedVersion: 0, event: restaurantRegistered(uid('R')) }]);
        expect(onMissing[0]!.version).toBe(1);
        expect((await store.readStream(stream)).map((event) => event.version)).toEqual([1, 2]);
      });

      it('writes every event of an append or none (version conflict in the middle)', async () => {
        const taken = uid('stream');
        await append([{ stream: taken, expectedVersion: 'none', event: restaurantRegistered(uid('R')) }]);
        const freshId = uid('R');
        const fresh = streams.restaurant(freshId);
        const error = await append([
          { stream: fresh, expectedVersion: 'none', event: restaurantRegistered(freshId) },
          { stream: taken, expectedVersion: 'none', event: restaurantRegistered(uid('R')) },
        ]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StreamVersionConflict);
        expect(error).toMatchObject({ stream: taken });
        expect(await store.readStream(fresh)).toEqual([]);
        expect(await store.restaurant(freshId)).toBeNull();
        // The refused append left nothing behind: the stream can still start.
        expect((await append([{ stream: fresh, expectedVersion: 'none', event: restaurantRegistered(freshId) }]))[0]!.version).toBe(1);
      });

      it('writes every event of an append or none (seat conflict after other events)', async () => {
        const world = await newWorld(2);
        const [t1] = world.tableIds as [string, string];
        const first = bookingIn(world, [t1], at(0), at(60));
        await confirm(first);
        const tableId = uid('T');
        const clash = bookingIn(world, [t1], at(30), at(90));
        const error = await append([
          { stream: streams.table(tableId), expectedVersion: 'none', event: tableAdded(tableId, world.sectorId) },
          confirmation(clash),
        ]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SeatConflict);
        expect(await store.table(tableId)).toBeNull();
        expect(await store.readStream(streams.table(tableId))).toEqual([]);
        expect(await store.booking(clash.id)).toBeNull();
      });
    });

    describe('projections', () => {
      it('shows restaurant, sector and tables right after the append', async () => {
        const before = await store.counts();
        const world = await newWorld(3);
        expect(await store.restaurant(world.restaurantId)).toEqual(restaurant(world.restaurantId));
        expect(await store.sector(world.sectorId)).toEqual(sector(world.sectorId, world.restaurantId));
        expect(await store.table(world.tableIds[1]!)).toEqual(table(world.tableIds[1]!, world.sectorId));
        const tables = await store.tablesOfSector(world.sectorId);
        expect(byId(tables)).toEqual(world.tableIds.map((id) => table(id, world.sectorId)));
        expect(await store.tablesOfSector(uid('S'))).toEqual([]);
        expect(await store.restaurant(uid('R'))).toBeNull();
        expect(await store.sector(uid('S'))).toBeNull();
        expect(await store.table(uid('T'))).toBeNull();
        const after = await store.counts();
        expect(after).toEqual({
          restaurants: before.restaurants + 1,
          sectors: before.sectors + 1,
          tables: before.tables + 3,
          bookings: before.bookings,
        });
      });

      it("lists a restaurant's sectors by id, each with its revision", async () => {
        const world = await newWorld(1);
        const second = `${world.sectorId}-b`;
        await append([{ stream: streams.sector(second), expectedVersion: 'none', event: sectorAdded(second, world.restaurantId) }]);
        await newWorld(1); // another restaurant's sector stays out
        await confirm(bookingIn(world, [world.tableIds[0]!], at(0), at(60)));
        const listed = await store.sectorsOfRestaurant(world.restaurantId);
        expect(listed.map(({ sector }) => sector)).toEqual([
          sector(world.sectorId, world.restaurantId),
          sector(second, world.restaurantId),
        ]);
        expect(listed.map(({ revision }) => revision)).toEqual([
          await store.sectorRevision(world.sectorId),
          await store.sectorRevision(second),
        ]);
        expect(listed[0]!.revision).toBeGreaterThan(listed[1]!.revision);
        expect(await store.sectorsOfRestaurant(uid('R'))).toEqual([]);
        // The restaurant with one sector and its revision, read together: the sector reads as the list's entry.
        const restaurant = await store.restaurant(world.restaurantId);
        expect(restaurant).not.toBeNull();
        expect(await store.restaurantAndSector(world.restaurantId, world.sectorId)).toEqual({ restaurant, sector: listed[0] });
        expect(await store.restaurantAndSector(world.restaurantId, second)).toEqual({ restaurant, sector: listed[1] });
        expect(await store.restaurantAndSector(world.restaurantId, uid('S'))).toEqual({ restaurant, sector: null });
        expect(await store.restaurantAndSector(uid('R'), world.sectorId)).toEqual({ restaurant: null, sector: listed[0] });
      });

      it('shows a booking with its stream version, and its cancellation', async () => {
        const world = await newWorld(2);
        const booking = bookingIn(world, [world.tableIds[0]!, world.tableIds[1]!], at(30), at(75), { partySize: 3, notes: 'window' });
        const before = await store.counts();
        await confirm(booking);
        expect(await store.booking(booking.id)).toEqual({ value: booking, version: 1 });
        expect((await store.counts()).bookings).toBe(before.bookings + 1);

        await cancel(booking.id, 1, RECORDED_AT + 7000);
        expect(await store.booking(booking.id)).toEqual({
          value: { ...booking, status: 'CANCELLED', statusReason: 'cancelled', updatedAt: RECORDED_AT + 7000 },
          version: 2,
        });
        expect((await store.counts()).bookings).toBe(before.bookings + 1);
        expect(await store.booking(uid('B'))).toBeNull();
      });

      it('keeps a booking at the version of its own stream through every kind of change, and after a rebuild', async () => {
        const world = await newWorld(3);
        const [t1, t2, t3] = world.tableIds as [string, string, string];
        const booking = bookingIn(world, [t1], at(0), at(60), { status: 'PENDING', holdExpiresAt: RECORDED_AT + 60 * MINUTE });
        const stream = streams.booking(booking.id);
        await append([{ stream, expectedVersion: 'none', event: { type: 'BookingHeld', data: { booking } } }]);
        await append([
          { stream, expectedVersion: 1, event: { type: 'BookingApproved', data: { bookingId: booking.id, at: RECORDED_AT + 1 } } },
        ]);
        // Two events on one stream in one append, beside an event on another stream.
        const neighbour = bookingIn(world, [t3], at(0), at(60));
        await append([
          {
            stream,
            expectedVersion: 2,
            event: { type: 'BookingReassigned', data: { bookingId: booking.id, tableIds: [t2], at: RECORDED_AT + 2 } },
          },
          confirmation(neighbour),
          {
            stream,
            expectedVersion: 3,
            event: { type: 'BookingReassigned', data: { bookingId: booking.id, tableIds: [t1, t2], at: RECORDED_AT + 3 } },
          },
        ]);
        const expected = { value: { ...booking, status: 'CONFIRMED', tableIds: [t1, t2], updatedAt: RECORDED_AT + 3 }, version: 4 };
        delete (expected.value as Partial<Booking>).holdExpiresAt;
        expect(await store.booking(booking.id)).toEqual(expected);
        expect((await store.readStream(stream)).map((event) => event.version)).toEqual([1, 2, 3, 4]);
        expect(await store.booking(neighbour.id)).toEqual({ value: neighbour, version: 1 });
        if (store.rebuildProjections) {
          await store.rebuildProjections();
          expect(await store.booking(booking.id)).toEqual(expected);
        }
      });

      it('stores an event of a type it does not know and changes no projection for it', async () => {
        const world = await newWorld(1);
        const booking = bookingIn(world, [world.tableIds[0]!], at(0), at(60));
        await confirm(booking);
        const revision = await store.sectorRevision(world.sectorId);
        const counts = await store.counts();
        const unknown = {
          type: 'TableRepainted',
          data: { tableId: world.tableIds[0], bookingId: booking.id, colour: 'teal' },
        } as unknown as DomainEvent;
        const [stored] = await append([{ stream: streams.booking(booking.id), expectedVersion: 1, event: unknown }]);
        expect(stored).toMatchObject({ type: 'TableRepainted', version: 2 });
        expect((await store.readStream(streams.booking(booking.id))).map((event) => event.type)).toEqual([
          'BookingConfirmed',
          'TableRepainted',
        ]);
        expect((await store.booking(booking.id))!.value).toEqual(booking);
        expect(await store.sectorRevision(world.sectorId)).toBe(revision);
        expect(await store.counts()).toEqual(counts);
        if (store.rebuildProjections) {
          await store.rebuildProjections();
          expect((await store.booking(booking.id))!.value).toEqual(booking);
        }
      });

      it('lists the bookings of a day by start then id, cancelled ones included', async () => {
        const world = await newWorld(4);
        const [t1, t2, t3, t4] = world.tableIds as [string, string, string, string];
        const late = bookingIn(world, [t1], at(120), at(180));
        const earlyB = { ...bookingIn(world, [t2], at(0), at(60)), id: `${uid('B')}-b` };
        const earlyA = { ...bookingIn(world, [t3], at(0), at(60)), id: `${earlyB.id.slice(0, -2)}-a` };
        const cancelled = bookingIn(world, [t4], at(60), at(120));
        const otherDay = bookingIn(world, [t1], at(24 * 60), at(24 * 60 + 60), { date: '2025-10-23' });
        const other = await newWorld(1);
        const otherSector = bookingIn(other, [other.tableIds[0]!], at(0), at(60));
        for (const booking of [late, earlyB, cancelled, earlyA, otherDay, otherSector]) await confirm(booking);
        await cancel(cancelled.id, 1);

        const day = await store.bookingsOfDay(world.restaurantId, world.sectorId, DAY);
        expect(day.map((booking) => booking.id)).toEqual([earlyA.id, earlyB.id, cancelled.id, late.id]);
        expect(day[2]!.status).toBe('CANCELLED');
        expect(day[0]).toEqual(earlyA);
        expect((await store.bookingsOfDay(world.restaurantId, world.sectorId, '2025-10-23')).map((b) => b.id)).toEqual([otherDay.id]);
        expect(await store.bookingsOfDay(other.restaurantId, world.sectorId, DAY)).toEqual([]);
        expect(await store.bookingsOfDay(world.restaurantId, world.sectorId, '2025-10-21')).toEqual([]);
      });

      it('finds the seat-taking bookings of a sector that overlap a span', async () => {
        const world = await newWorld(4);
        const [t1, t2, t3, t4] = world.tableIds as [string, string, string, string];
        const before = bookingIn(world, [t1], at(0), at(60));
        const inside = bookingIn(world, [t2, t3], at(90), at(150));
        const straddling = bookingIn(world, [t4], at(150), at(210));
        const touchingEnd = bookingIn(world, [t1], at(240), at(300));
        const cancelled = bookingIn(world, [t1], at(100), at(160));
        const other = await newWorld(1);
        const otherSector = bookingIn(other, [other.tableIds[0]!], at(90), at(150));
        for (const booking of [before, inside, straddling, touchingEnd, cancelled, otherSector]) await confirm(booking);
        await cancel(cancelled.id, 1);

        const found = await store.seatBlocks(world.sectorId, { start: at(60), end: at(240) });
        const block = (booking: Booking, tableId: string): SeatBlock => ({
          tableId,
          start: booking.start,
          end: booking.end,
          source: { kind: 'booking', id: booking.id },
        });
        expect(sortBlocks(found)).toEqual(sortBlocks([block(inside, t2), block(inside, t3), block(straddling, t4)]));
        const all = await store.seatBlocks(world.sectorId, { start: at(-1000), end: at(1000) });
        expect(blockIds(all)).toEqual(byId([before, inside, straddling, touchingEnd]).map((b) => b.id));
        expect(await store.seatBlocks(world.sectorId, { start: at(300), end: at(400) })).toEqual([]);
        // Read together, the tables and the blocks are what the two reads give apart.
        const together = await store.tablesAndSeatBlocks(world.sectorId, { start: at(60), end: at(240) });
        expect(together.tables).toEqual(await store.tablesOfSector(world.sectorId));
        expect(together.tables).toHaveLength(world.tableIds.length);
        expect(sortBlocks(together.blocks)).toEqual(sortBlocks(found));
        expect(await store.tablesAndSeatBlocks(world.sectorId, { start: at(300), end: at(400) })).toEqual({
          tables: together.tables,
          blocks: [],
        });
        // And with the restaurant, the sector and its revision, in the same read.
        const span = { start: at(60), end: at(240) };
        const withSeats = await store.restaurantAndSector(world.restaurantId, world.sectorId, span);
        expect(withSeats).toEqual({
          ...(await store.restaurantAndSector(world.restaurantId, world.sectorId)),
          seats: { span, tables: together.tables, blocks: expect.any(Array) },
        });
        expect(withSeats.restaurant).not.toBeNull();
        expect(sortBlocks(withSeats.seats!.blocks)).toEqual(sortBlocks(found));
        const elsewhere = await store.restaurantAndSector(other.restaurantId, world.sectorId, { start: at(300), end: at(400) });
        expect(elsewhere.seats).toEqual({ span: { start: at(300), end: at(400) }, tables: together.tables, blocks: [] });
        // No sector, no seats.
        expect(await store.restaurantAndSector(world.restaurantId, uid('S'), span)).toEqual({
          restaurant: withSeats.restaurant,
          sector: null,
        });
      });
    });

    describe('seats', () => {
      it('refuses a booking that overlaps another on a shared table, naming both', async () => {
        const world = await newWorld(3);
        const [t1, t2, t3] = world.tableIds as [string, string, string];
        const first = bookingIn(world, [t1, t2], at(0), at(60));
        await confirm(first);
        const clash = bookingIn(world, [t3, t2], at(30), at(90));
        const error = await confirm(clash).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SeatConflict);
        expect(error).toMatchObject({ tableId: t2, conflictingBookingId: first.id });
        expect(await store.booking(clash.id)).toBeNull();
        expect(await store.readStream(streams.booking(clash.id))).toEqual([]);
        // Fully inside, and fully around, conflict too.
        await expect(confirm(bookingIn(world, [t1], at(15), at(45)))).rejects.toBeInstanceOf(SeatConflict);
        await expect(confirm(bookingIn(world, [t1], at(-30), at(90)))).rejects.toBeInstanceOf(SeatConflict);
      });

      it('accepts bookings that only touch, and overlapping ones on other tables', async () => {
        const world = await newWorld(2);
        const [t1, t2] = world.tableIds as [string, string];
        const middle = bookingIn(world, [t1], at(60), at(120));
        const after = bookingIn(world, [t1], at(120), at(180));
        const before = bookingIn(world, [t1], at(0), at(60));
        const elsewhere = bookingIn(world, [t2], at(60), at(120));
        for (const booking of [middle, after, before, elsewhere]) await confirm(booking);
        const found = await store.seatBlocks(world.sectorId, { start: at(0), end: at(180) });
        expect(blockIds(found)).toEqual([middle.id, after.id, before.id, elsewhere.id].sort());
      });

      it('refuses two overlapping bookings in one append and writes neither', async () => {
        const world = await newWorld(2);
        const [t1, t2] = world.tableIds as [string, string];
        const a = bookingIn(world, [t1], at(0), at(60));
        const b = bookingIn(world, [t2, t1], at(30), at(60));
        const error = await append([confirmation(a), confirmation(b)]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SeatConflict);
        expect(error).toMatchObject({ tableId: t1, conflictingBookingId: a.id });
        expect(await store.booking(a.id)).toBeNull();
        expect(await store.booking(b.id)).toBeNull();
      });

      it('frees the seats of a cancelled booking at once', async () => {
        const world = await newWorld(1);
        const [t1] = world.tableIds as [string];
        const first = bookingIn(world, [t1], at(0), at(60));
        await confirm(first);
        const second = bookingIn(world, [t1], at(0), at(60));
        await expect(confirm(second)).rejects.toBeInstanceOf(SeatConflict);
        await cancel(first.id, 1);
        await confirm(second);
        expect(blockIds(await store.seatBlocks(world.sectorId, { start: at(0), end: at(60) }))).toEqual([second.id]);
        // Cancelling twice is refused by version, not by seats.
        await expect(cancel(first.id, 1)).rejects.toBeInstanceOf(StreamVersionConflict);
      });

      it('moves the sector revision on every change to its availability, and only then', async () => {
        const world = await newWorld(2);
        const [t1] = world.tableIds as [string, string];
        const other = await newWorld(1);
        const seen = [await store.sectorRevision(world.sectorId)];
        const booking = bookingIn(world, [t1], at(0), at(60));
        await confirm(booking);
        seen.push(await store.sectorRevision(world.sectorId));
        await confirm(bookingIn(other, [other.tableIds[0]!], at(0), at(60)));
        expect(await store.sectorRevision(world.sectorId)).toBe(seen[1]);
        await cancel(booking.id, 1);
        seen.push(await store.sectorRevision(world.sectorId));
        expect(new Set(seen).size).toBe(3);
        expect(await store.sectorRevision(uid('nowhere'))).toBe(0);
      });

      it('lets a hold keep its seats until it expires, and lists lapsed holds', async () => {
        const world = await newWorld(1);
        const [t1] = world.tableIds as [string];
        const hold = bookingIn(world, [t1], at(0), at(90), { status: 'PENDING', holdExpiresAt: RECORDED_AT + 60_000 });
        await append([
          { stream: streams.booking(hold.id), expectedVersion: 'none', event: { type: 'BookingHeld', data: { booking: hold } } },
        ]);
        expect(await store.booking(hold.id)).toEqual({ value: hold, version: 1 });
        await expect(confirm(bookingIn(world, [t1], at(30), at(60)))).rejects.toBeInstanceOf(SeatConflict);
        expect(await store.expiredHolds(RECORDED_AT + 59_999, 10)).not.toContain(hold.id);
        expect(await store.expiredHolds(RECORDED_AT + 60_000, 1000)).toContain(hold.id);

        const expiry = { bookingId: hold.id, at: RECORDED_AT + 61_000 };
        await append([{ stream: streams.booking(hold.id), expectedVersion: 1, event: { type: 'HoldExpired', data: expiry } }]);
        const { holdExpiresAt: _gone, ...rest } = hold;
        expect(await store.booking(hold.id)).toEqual({
          value: { ...rest, status: 'CANCELLED', statusReason: 'expired', updatedAt: expiry.at },
          version: 2,
        });
        expect(await store.expiredHolds(RECORDED_AT + 120_000, 1000)).not.toContain(hold.id);
        await confirm(bookingIn(world, [t1], at(30), at(60)));
      });

      it('confirms an approved hold, seats kept', async () => {
        const world = await newWorld(1);
        const [t1] = world.tableIds as [string];
        const hold = bookingIn(world, [t1], at(0), at(90), { status: 'PENDING', holdExpiresAt: RECORDED_AT + 60_000 });
        await append([
          { stream: streams.booking(hold.id), expectedVersion: 'none', event: { type: 'BookingHeld', data: { booking: hold } } },
        ]);
        await append([
          {
            stream: streams.booking(hold.id),
            expectedVersion: 1,
            event: { type: 'BookingApproved', data: { bookingId: hold.id, at: RECORDED_AT + 5 } },
          },
        ]);
        expect((await store.booking(hold.id))?.value.status).toBe('CONFIRMED');
        expect((await store.booking(hold.id))?.value.holdExpiresAt).toBeUndefined();
        expect(blockIds(await store.seatBlocks(world.sectorId, { start: at(0), end: at(90) }))).toEqual([hold.id]);
        expect(await store.expiredHolds(RECORDED_AT + 120_000, 1000)).not.toContain(hold.id);
      });

      it('keeps the seats a floor step leaves: early seat, finish, no-show, undo, walk-in; lists due no-shows', async () => {
        const world = await newWorld(1);
        const [t1] = world.tableIds as [string];
        const step = (bookingId: string, expectedVersion: number, event: DomainEvent) =>
          append([{ stream: streams.booking(bookingId), expectedVersion, event }]);
        const held = async (id: string) => blocksOf(await store.seatBlocks(world.sectorId, { start: at(-120), end: at(240) }), id);
        const party = bookingIn(world, [t1], at(0), at(90), { noShowDueAt: at(15) });
        await confirm(party);
        expect(await store.dueNoShows(at(14), 1000)).not.toContain(party.id);
        expect(await store.dueNoShows(at(15), 1000)).toContain(party.id);

        // Seated 30 minutes early: the table is kept from then; the booking's own times stay.
        await step(party.id, 1, { type: 'BookingSeated', data: { bookingId: party.id, at: at(-30), seatedUntil: at(90) } });
        expect(await held(party.id)).toEqual([[at(-30), at(90)]]);
        expect((await store.booking(party.id))?.value).toMatchObject({ status: 'SEATED', start: at(0), seatedAt: at(-30) });
        expect(await store.dueNoShows(at(60), 1000)).not.toContain(party.id);
        // Finished early: free from then, for a walk-in born seated.
        await step(party.id, 2, { type: 'BookingFinished', data: { bookingId: party.id, at: at(40) } });
        expect(await held(party.id)).toEqual([[at(-30), at(40)]]);
        const walkIn = bookingIn(world, [t1], at(41), at(71), {
          status: 'SEATED',
          source: 'walk_in',
          seatedAt: at(41),
          seatedUntil: at(71),
        });
        await append([
          { stream: streams.booking(walkIn.id), expectedVersion: 'none', event: { type: 'WalkInSeated', data: { booking: walkIn } } },
        ]);
        expect(await store.booking(walkIn.id)).toEqual({ value: walkIn, version: 1 });
        expect(await held(walkIn.id)).toEqual([[at(41), at(71)]]);
        // Undoing the finish would take the table back over the walk-in: refused.
        await expect(
          step(party.id, 3, { type: 'BookingStepUndone', data: { bookingId: party.id, at: at(45), undid: 'finish' } }),
        ).rejects.toBeInstanceOf(SeatConflict);

        // A no-show keeps its table only up to the instant it was marked; its undo takes the whole stay back.
        const missed = bookingIn(world, [t1], at(120), at(180), { noShowDueAt: at(135) });
        await confirm(missed);
        await step(missed.id, 1, { type: 'BookingMarkedNoShow', data: { bookingId: missed.id, at: at(135), automatic: true } });
        expect(await held(missed.id)).toEqual([[at(120), at(135)]]);
        expect(await store.dueNoShows(at(200), 1000)).not.toContain(missed.id);
        await step(missed.id, 2, { type: 'BookingStepUndone', data: { bookingId: missed.id, at: at(140), undid: 'no_show' } });
        expect((await store.booking(missed.id))?.value).toMatchObject({ status: 'CONFIRMED', noShowDueAt: at(135) });
        expect((await store.booking(missed.id))?.value.noShowAt).toBeUndefined();
        expect(await held(missed.id)).toEqual([[at(120), at(180)]]);
      });

      it('lets a blackout hold seats like a booking: refused over bookings, refusing bookings, freed when lifted', async () => {
        const world = await newWorld(3);
        const [t1, t2, t3] = world.tableIds as [string, string, string];
        const dinner = bookingIn(world, [t1], at(0), at(60));
        await confirm(dinner);
        const blackout: Blackout = {
          id: uid('X'),
          restaurantId: world.restaurantId,
          sectorId: world.sectorId,
          tableIds: [t1, t2],
          wholeSector: false,
          start: at(30),
          end: at(120),
          reason: 'private event',
          status: 'ACTIVE',
          createdAt: RECORDED_AT,
          updatedAt: RECORDED_AT,
        };
        const place = {
          stream: streams.blackout(blackout.id),
          expectedVersion: 'none' as const,
          event: { type: 'BlackoutPlaced' as const, data: { blackout } },
        };
        const refused = await append([place]).catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(SeatConflict);
        expect(refused).toMatchObject({ tableId: t1, conflictingBookingId: dinner.id });
        expect(await store.blackout(blackout.id)).toBeNull();

        // Cancelling the booking in the same append clears the way.
        await append([{ stream: streams.booking(dinner.id), expectedVersion: 1, event: cancelled(dinner.id) }, place]);
        expect(await store.blackout(blackout.id)).toEqual({ value: blackout, version: 1 });
        expect((await store.blackoutsOfSector(world.sectorId, { start: at(0), end: at(60) })).map((b) => b.id)).toEqual([blackout.id]);
        expect(await store.blackoutsOfSector(world.sectorId, { start: at(120), end: at(180) })).toEqual([]);
        const holder = `blackout:${blackout.id}`;
        const refusedBooking = await confirm(bookingIn(world, [t3, t2], at(100), at(130))).catch((e: unknown) => e);
        expect(refusedBooking).toMatchObject({ tableId: t2, conflictingBookingId: holder });
        expect(sortBlocks(await store.seatBlocks(world.sectorId, { start: at(0), end: at(200) }))).toEqual(
          sortBlocks(
            [t1, t2].map((tableId): SeatBlock => ({ tableId, start: at(30), end: at(120), source: { kind: 'blackout', id: blackout.id } })),
          ),
        );

        await append([
          {
            stream: streams.blackout(blackout.id),
            expectedVersion: 1,
            event: { type: 'BlackoutResized', data: { blackoutId: blackout.id, start: at(30), end: at(90), at: RECORDED_AT + 1 } },
          },
        ]);
        await confirm(bookingIn(world, [t2], at(90), at(130)));
        await append([
          {
            stream: streams.blackout(blackout.id),
            expectedVersion: 2,
            event: { type: 'BlackoutLifted', data: { blackoutId: blackout.id, at: RECORDED_AT + 2 } },
          },
        ]);
        expect((await store.blackout(blackout.id))?.value).toMatchObject({
          status: 'LIFTED',
          start: at(30),
          end: at(90),
          updatedAt: RECORDED_AT + 2,
        });
        expect(await store.blackoutsOfSector(world.sectorId, { start: at(0), end: at(200) })).toEqual([]);
        await confirm(bookingIn(world, [t1], at(30), at(60)));
      });

      it('bounds range reads by the longest stay without losing a longest stay or a blackout of any length', async () => {
        const world = await newWorld(3);
        const [t1, t2, t3] = world.tableIds as [string, string, string];
        // The longest stay a restaurant may allow, ending 15 minutes into the span asked for.
        const longest = bookingIn(world, [t1], at(15) - LONG_SEAT_MS, at(15));
        await confirm(longest);
        // A week-long blackout that began long before the span: read through the long rows' own index.
        const week: Blackout = {
          id: uid('X'),
          restaurantId: world.restaurantId,
          sectorId: world.sectorId,
          tableIds: [t2],
          wholeSector: false,
          start: at(0) - 5 * LONG_SEAT_MS,
          end: at(0) + 2 * LONG_SEAT_MS,
          status: 'ACTIVE',
          createdAt: RECORDED_AT,
          updatedAt: RECORDED_AT,
        };
        await append([
          { stream: streams.blackout(week.id), expectedVersion: 'none', event: { type: 'BlackoutPlaced', data: { blackout: week } } },
        ]);
        // History that cannot overlap the span: ended before it, on every table.
        for (let day = 2; day <= 6; day++) await confirm(bookingIn(world, [t3], at(0) - day * LONG_SEAT_MS, at(90) - day * LONG_SEAT_MS));

        const span = { start: at(0), end: at(60) };
        expect(sortBlocks(await store.seatBlocks(world.sectorId, span))).toEqual(
          sortBlocks([
            { tableId: t1, start: longest.start, end: longest.end, source: { kind: 'booking', id: longest.id } },
            { tableId: t2, start: week.start, end: week.end, source: { kind: 'blackout', id: week.id } },
          ]),
        );
        expect((await store.blackoutsOfSector(world.sectorId, span)).map((b) => b.id)).toEqual([week.id]);
        expect(blockIds(await store.seatBlocks(world.sectorId, { start: at(15), end: at(60) }))).toEqual([week.id]);
        // The store's own overlap check sees them too.
        await expect(confirm(bookingIn(world, [t1], at(0), at(30)))).rejects.toMatchObject({
          tableId: t1,
          conflictingBookingId: longest.id,
        });
        await expect(confirm(bookingIn(world, [t2], at(0), at(30)))).rejects.toMatchObject({
          tableId: t2,
          conflictingBookingId: `blackout:${week.id}`,
        });
        await confirm(bookingIn(world, [t1], at(15), at(60)));
        await confirm(bookingIn(world, [t3], at(0), at(30)));
      });

      it('lists only the holds that are due, among many bookings and holds that are not', async () => {
        const world = await newWorld(2);
        const [t1, t2] = world.tableIds as [string, string];
        const NOW = RECORDED_AT + 3_600_000;
        const pending: PendingEvent[] = [];
        const held = (booking: Booking): PendingEvent => ({
          stream: streams.booking(booking.id),
          expectedVersion: 'none',
          event: { type: 'BookingHeld', data: { booking } },
        });
        // 600 confirmed bookings and 300 holds that expire after NOW, on days before and after.
        for (let index = 0; index < 300; index++) {
          const start = at(0) + (index - 150) * LONG_SEAT_MS;
          pending.push(confirmation(bookingIn(world, [t1], start, start + 60 * MINUTE)));
          pending.push(confirmation(bookingIn(world, [t1], start + 120 * MINUTE, start + 180 * MINUTE)));
          pending.push(held(bookingIn(world, [t2], start, start + 90 * MINUTE, { status: 'PENDING', holdExpiresAt: NOW + 1 + index })));
        }
        const due = [3, 1, 2].map((order) =>
          bookingIn(world, [t2], at(0) + order * 120 * MINUTE + 30 * MINUTE, at(0) + order * 120 * MINUTE + 60 * MINUTE, {
            status: 'PENDING',
            holdExpiresAt: NOW - order * 1000,
          }),
        );
        pending.push(...due.map(held));
        for (let index = 0; index < pending.length; index += 100) await append(pending.slice(index, index + 100));

        const mine = (ids: string[]) => ids.filter((id) => id.includes(`-${run}-`));
        // Oldest expiry first; the limit cuts the list, never skips a due hold for one not due.
        expect(mine(await store.expiredHolds(NOW, 1000))).toEqual([due[0]!.id, due[2]!.id, due[1]!.id]);
        expect(await store.expiredHolds(NOW, 1)).toHaveLength(1);
        expect(mine(await store.expiredHolds(NOW + 1, 1000))).toHaveLength(4);
      });

      it('keeps waitlist entries in arrival order per sector until promoted or left', async () => {
        const world = await newWorld(1);
        const entry = (id: string, createdAt: number): WaitlistEntry => ({
          id,
          restaurantId: world.restaurantId,
          sectorId: world.sectorId,
          date: DAY,
          partySize: 4,
          durationMinutes: 90,
          windowStart: '20:00',
          status: 'WAITING',
          createdAt,
          updatedAt: createdAt,
        });
        const [late, early, third] = [
          entry(uid('W'), RECORDED_AT + 20),
          entry(uid('W'), RECORDED_AT + 10),
          entry(uid('W'), RECORDED_AT + 30),
        ];
        for (const e of [late, early, third]) {
          await append([
            { stream: streams.waitlist(e.id), expectedVersion: 'none', event: { type: 'WaitlistJoined', data: { entry: e } } },
          ]);
        }
        expect((await store.waitingEntries(world.sectorId, DAY)).map((e) => e.id)).toEqual([early.id, late.id, third.id]);
        expect(await store.sectorsWithWaiting(DAY)).toContain(world.sectorId);
        // Entries for days gone by are never tried again.
        expect(await store.waitingEntries(world.sectorId, '2025-10-23')).toEqual([]);
        expect(await store.sectorsWithWaiting('2025-10-23')).not.toContain(world.sectorId);
        await append([
          {
            stream: streams.waitlist(early.id),
            expectedVersion: 1,
            event: { type: 'WaitlistPromoted', data: { entryId: early.id, bookingId: 'B-x', at: RECORDED_AT + 40 } },
          },
          {
            stream: streams.waitlist(third.id),
            expectedVersion: 1,
            event: { type: 'WaitlistLeft', data: { entryId: third.id, at: RECORDED_AT + 41 } },
          },
        ]);
        expect(await store.waitlistEntry(early.id)).toEqual({
          value: { ...early, status: 'BOOKED', bookingId: 'B-x', updatedAt: RECORDED_AT + 40 },
          version: 2,
        });
        expect((await store.waitlistEntry(third.id))?.value.status).toBe('LEFT');
        expect((await store.waitingEntries(world.sectorId, DAY)).map((e) => e.id)).toEqual([late.id]);
        await append([
          {
            stream: streams.waitlist(late.id),
            expectedVersion: 1,
            event: { type: 'WaitlistLeft', data: { entryId: late.id, at: RECORDED_AT + 50 } },
          },
        ]);
        expect(await store.sectorsWithWaiting(DAY)).not.toContain(world.sectorId);
        expect(await store.waitlistEntry(uid('W'))).toBeNull();
        // The day report reads every entry of the date, whatever became of it, in arrival order.
        const ofDay = await store.waitlistEntriesOfDay(world.sectorId, DAY);
        expect(ofDay.map((e) => [e.id, e.status])).toEqual([
          [early.id, 'BOOKED'],
          [late.id, 'LEFT'],
          [third.id, 'LEFT'],
        ]);
        expect(await store.waitlistEntriesOfDay(world.sectorId, '2025-10-23')).toEqual([]);
      });

      it('judges seats as a whole append leaves them: two bookings may swap tables, none may land on a taken one', async () => {
        const world = await newWorld(3);
        const [t1, t2, t3] = world.tableIds as [string, string, string];
        const a = bookingIn(world, [t1], at(0), at(60));
        const b = bookingIn(world, [t2], at(30), at(90));
        const c = bookingIn(world, [t3], at(0), at(60));
        for (const booking of [a, b, c]) await confirm(booking);
        const reassign = (booking: Booking, tableIds: string[]): PendingEvent => ({
          stream: streams.booking(booking.id),
          expectedVersion: 1,
          event: { type: 'BookingReassigned', data: { bookingId: booking.id, tableIds, at: RECORDED_AT + 100 } },
        });
        await append([reassign(a, [t2]), reassign(b, [t1])]);
        expect((await store.booking(a.id))?.value).toMatchObject({
          tableIds: [t2],
          start: a.start,
          end: a.end,
          updatedAt: RECORDED_AT + 100,
        });
        expect((await store.booking(b.id))?.value.tableIds).toEqual([t1]);
        expect(
          sortBlocks(await store.seatBlocks(world.sectorId, { start: at(0), end: at(90) })).map(
            (block) => `${block.source.id}@${block.tableId}`,
          ),
        ).toEqual(
          sortBlocks([
            { tableId: t2, start: a.start, end: a.end, source: { kind: 'booking', id: a.id } },
            { tableId: t1, start: b.start, end: b.end, source: { kind: 'booking', id: b.id } },
            { tableId: t3, start: c.start, end: c.end, source: { kind: 'booking', id: c.id } },
          ]).map((block) => `${block.source.id}@${block.tableId}`),
        );
        const refused = await append([{ ...reassign(c, [t2]), expectedVersion: 1 }]).catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(SeatConflict);
        expect(refused).toMatchObject({ tableId: t2, conflictingBookingId: a.id });
        expect((await store.booking(c.id))?.value.tableIds).toEqual([t3]);
      });

      it('lets exactly one of 50 parallel overlapping bookings through', async () => {
        const world = await newWorld(2);
        const [t1, t2] = world.tableIds as [string, string];
        const contenders = Array.from({ length: 50 }, (_, index) =>
          bookingIn(world, index % 2 === 0 ? [t1, t2] : [t2, t1], at(index % 5), at(60 + (index % 7) * 15)),
        );
        const results = await Promise.allSettled(contenders.map((booking) => confirm(booking)));
        const won = contenders.filter((_, index) => results[index]!.status === 'fulfilled');
        expect(won).toHaveLength(1);
        const winner = won[0]!;
        results.forEach((result, index) => {
          if (result.status === 'fulfilled') return;
          expect(result.reason).toBeInstanceOf(SeatConflict);
          expect(result.reason).toMatchObject({ tableId: contenders[index]!.tableIds[0], conflictingBookingId: winner.id });
        });
        const seated = await store.seatBlocks(world.sectorId, { start: at(-60), end: at(600) });
        expect(sortBlocks(seated)).toEqual(
          sortBlocks(
            winner.tableIds.map((tableId): SeatBlock => ({
              tableId,
              start: winner.start,
              end: winner.end,
              source: { kind: 'booking', id: winner.id },
            })),
          ),
        );
      });

      it('lets exactly one of 20 parallel appends at one stream version through', async () => {
        const stream = uid('stream');
        await append([{ stream, expectedVersion: 'none', event: restaurantRegistered(uid('R')) }]);
        const results = await Promise.allSettled(
          Array.from({ length: 20 }, () => append([{ stream, expectedVersion: 1, event: restaurantRegistered(uid('R')) }])),
        );
        expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
        for (const result of results) {
          if (result.status === 'rejected')
            expect(result.reason).toMatchObject({ name: 'StreamVersionConflict', stream, expected: 1, actual: 2 });
        }
        expect((await store.readStream(stream)).map((event) => event.version)).toEqual([1, 2]);
      });
    });

    describe('guests', () => {
      const profile = (restaurantId: string, extra: Partial<GuestProfile> = {}): GuestProfile => ({
        id: uid('G'),
        restaurantId,
        phones: [],
        emails: [],
        tags: [],
        mergedIds: [],
        createdAt: RECORDED_AT,
        updatedAt: RECORDED_AT,
        ...extra,
      });

      it('makes a profile on first sight, finds it by phone or email, adds a free contact, never shares one', async () => {
        const restaurantId = uid('R');
        const phone = `+54911${counter}0001`;
        const first = profile(restaurantId, { name: 'Ada', phones: [phone] });
        expect(await store.matchGuest(restaurantId, { phone }, first)).toEqual(first);
        const byPhone = await store.matchGuest(restaurantId, { phone, email: 'ada@example.com' }, profile(restaurantId));
        expect(byPhone).toMatchObject({ id: first.id, phones: [phone], emails: ['ada@example.com'] });
        expect((await store.matchGuest(restaurantId, { email: 'ada@example.com' }, profile(restaurantId))).id).toBe(first.id);
        // Another profile with another phone keeps its own, and the email stays with the first.
        const other = profile(restaurantId, { phones: ['+5491100009999'] });
        await store.matchGuest(restaurantId, { phone: '+5491100009999' }, other);
        const mixed = await store.matchGuest(restaurantId, { phone: '+5491100009999', email: 'ada@example.com' }, profile(restaurantId));
        expect(mixed).toMatchObject({ id: other.id, emails: [] });
        // The same contact in another restaurant is another guest.
        const elsewhere = profile(uid('R'), { phones: [phone] });
        expect((await store.matchGuest(elsewhere.restaurantId, { phone }, elsewhere)).id).toBe(elsewhere.id);
        expect(await store.guest(first.id)).toMatchObject({ phones: [phone], emails: ['ada@example.com'] });
        expect(await store.guest(uid('G'))).toBeNull();
      });

      it('meets concurrent first sights of one contact on one profile', async () => {
        const restaurantId = uid('R');
        const phone = `+54911${counter}0002`;
        const matched = await Promise.all(
          Array.from({ length: 8 }, () => store.matchGuest(restaurantId, { phone }, profile(restaurantId, { phones: [phone] }))),
        );
        expect(new Set(matched.map((guest) => guest.id)).size).toBe(1);
      });

      it('searches name, email and phone digits, latest first, without merged-away profiles; pages every profile by id', async () => {
        const restaurantId = uid('R');
        const older = profile(restaurantId, { name: 'Bruno Díaz', phones: ['+5491160007000'], updatedAt: RECORDED_AT });
        const newer = profile(restaurantId, { name: 'Bruna 50%_off', emails: ['bruna@example.com'], updatedAt: RECORDED_AT + 1 });
        const gone = profile(restaurantId, { name: 'Bruno Gone', mergedInto: older.id });
        await store.saveGuests([older, newer, gone]);
        const ids = async (text: string) => (await store.searchGuests(restaurantId, text, 10)).map((guest) => guest.id);
        expect(await ids('brun')).toEqual([newer.id, older.id]);
        expect(await ids('BRUNO D')).toEqual([older.id]);
        expect(await ids('60007000')).toEqual([older.id]);
        expect(await ids('bruna@example')).toEqual([newer.id]);
        expect(await ids('50%_')).toEqual([newer.id]);
        expect(await ids('%')).toEqual([newer.id]);
        expect(await store.searchGuests(restaurantId, '', 1)).toHaveLength(1);
        const paged = await store.guestsAfter('', 100_000);
        expect(paged.map((guest) => guest.id)).toEqual([...paged.map((guest) => guest.id)].sort());
        expect(paged.map((guest) => guest.id)).toEqual(expect.arrayContaining([older.id, newer.id, gone.id]));
      });

      it('erases: contacts, the sealed copies in the log and the projected fields go; facts and other guests stay', async () => {
        const world = await newWorld(2);
        const erased = profile(world.restaurantId, { name: 'Quill', phones: ['+5491143219876'], notes: 'private' });
        const kept = profile(world.restaurantId, { name: 'Wilma', phones: ['+5491111112222'] });
        await store.saveGuests([erased, kept]);
        const personal = {
          guestName: 'Quill Erasable',
          guestEmail: 'quill@private.example',
          guestPhone: '+54 9 11 4321-9876',
          notes: 'harp',
        };
        const first = bookingIn(world, [world.tableIds[0]!], at(0), at(60), { ...personal, guestId: erased.id });
        const second = bookingIn(world, [world.tableIds[1]!], at(0), at(60), { ...personal, guestId: kept.id });
        const anonymous = bookingIn(world, [world.tableIds[0]!], at(60), at(120), { guestName: 'Only A Name' });
        await confirm(first);
        await confirm(second);
        await confirm(anonymous);
        await cancel(first.id, 1);
        expect((await store.readStream(streams.booking(first.id)))[0]!.data).toEqual({ booking: first });
        expect((await store.bookingsOfGuests([erased.id])).map((booking) => booking.id)).toEqual([first.id]);

        await store.eraseGuests([{ ...erased, name: undefined, phones: [], notes: undefined, erasedAt: RECORDED_AT + 5 }]);
        const facts = { id: first.id, partySize: 2, guestId: erased.id, status: 'CANCELLED' };
        const [projected] = await store.bookingsOfGuests([erased.id]);
        expect(projected).toMatchObject(facts);
        expect((await store.booking(first.id))!.value).toMatchObject(facts);
        const events = [...(await store.readStream(streams.booking(first.id))), ...((await store.readAll?.(0, 1_000_000)) ?? [])];
        for (const text of Object.values(personal)) {
          expect(JSON.stringify(projected), text).not.toContain(text);
          expect(JSON.stringify((await store.booking(first.id))!.value), text).not.toContain(text);
          expect(JSON.stringify(events.filter((event) => event.stream === streams.booking(first.id))), text).not.toContain(text);
        }
        expect(await store.guest(erased.id)).toMatchObject({ phones: [], erasedAt: RECORDED_AT + 5 });
        expect((await store.matchGuest(world.restaurantId, { phone: '+5491143219876' }, profile(world.restaurantId))).id).not.toBe(
          erased.id,
        );
        // An erased profile is never written again.
        await store.saveGuests([erased]);
        expect(await store.guest(erased.id)).toMatchObject({ phones: [] });
        // The other guest, and a booking whose only subject is itself, read back whole.
        expect((await store.readStream(streams.booking(second.id)))[0]!.data).toEqual({ booking: second });
        expect((await store.booking(second.id))!.value).toEqual(second);
        expect((await store.readStream(streams.booking(anonymous.id)))[0]!.data).toEqual({ booking: anonymous });
      });

      it('a booking that matched a guest before the erasure and is written after it keeps nothing personal', async () => {
        const world = await newWorld(2);
        const personal = { guestName: 'Late Racer', guestPhone: '+54 9 11 5555-0000', notes: 'window seat' };
        // One guest has a key (an earlier booking sealed with it), the other never had one.
        const known = profile(world.restaurantId, { name: 'Known', phones: ['+5491155550000'] });
        const fresh = profile(world.restaurantId, { name: 'Fresh', phones: ['+5491155550001'] });
        await store.saveGuests([known, fresh]);
        await confirm(bookingIn(world, [world.tableIds[0]!], at(0), at(60), { ...personal, guestId: known.id }));
        await store.eraseGuests([known, fresh].map((guest) => ({ ...guest, name: undefined, phones: [], erasedAt: RECORDED_AT + 5 })));

        for (const [index, guest] of [known, fresh].entries()) {
          const late = bookingIn(world, [world.tableIds[index]!], at(60), at(120), { ...personal, guestId: guest.id });
          const [appended] = await confirm(late);
          const kept = { booking: { ...late, guestName: undefined, guestPhone: undefined, notes: undefined } };
          expect(JSON.parse(JSON.stringify(appended!.data))).toEqual(JSON.parse(JSON.stringify(kept)));
          const stored = (await store.readStream(streams.booking(late.id)))[0]!.data;
          for (const text of Object.values(personal)) {
            expect(JSON.stringify(stored), text).not.toContain(text);
            expect(JSON.stringify((await store.booking(late.id))!.value), text).not.toContain(text);
          }
          expect((await store.booking(late.id))!.value).toMatchObject({ id: late.id, guestId: guest.id, partySize: 2 });
        }
      });
    });

    describe('idempotency', () => {
      const NOW = 1_750_000_000_000;
      const request = (scope: string, key: string, overrides: Partial<ClaimRequest> = {}): ClaimRequest => ({
        scope,
        key,
        payloadHash: 'hash-1',
        now: NOW,
        expiresAt: NOW + 86_400_000,
        leaseUntil: NOW + 30_000,
        ...overrides,
      });

      it('claims, reports in progress and mismatch, completes and replays, releases', async () => {
        const scope = uid('caller');
        expect(await store.claim(request(scope, 'k1'))).toEqual({ outcome: 'claimed' });
        expect(await store.claim(request(scope, 'k1', { now: NOW + 1 }))).toEqual({ outcome: 'in_progress' });
        expect(await store.claim(request(scope, 'k1', { payloadHash: 'hash-2' }))).toEqual({ outcome: 'mismatch' });
        // Scopes keep keys apart.
        expect(await store.claim(request(uid('caller'), 'k1', { payloadHash: 'hash-2' }))).toEqual({ outcome: 'claimed' });

        const response = { status: 201, body: { id: 'B9', tableIds: ['T1', 'T2'], partySize: 3, start: '2025-10-22T20:00:00-03:00' } };
        await store.complete(scope, 'k1', response);
        expect(await store.claim(request(scope, 'k1', { now: NOW + 2 }))).toEqual({ outcome: 'completed', response });
        expect(await store.claim(request(scope, 'k1', { payloadHash: 'hash-2' }))).toEqual({ outcome: 'mismatch' });

        expect(await store.claim(request(scope, 'k2'))).toEqual({ outcome: 'claimed' });
        await store.release(scope, 'k2');
        expect(await store.claim(request(scope, 'k2', { payloadHash: 'hash-3' }))).toEqual({ outcome: 'claimed' });
      });

      it('gives exactly one of 20 parallel claims the key', async () => {
        const scope = uid('caller');
        const results = await Promise.all(Array.from({ length: 20 }, () => store.claim(request(scope, 'race'))));
        expect(results.filter((result) => result.outcome === 'claimed')).toHaveLength(1);
        expect(results.filter((result) => result.outcome === 'in_progress')).toHaveLength(19);
      });

      it('lets a lapsed lease or an expired record be claimed anew', async () => {
        const scope = uid('caller');
        await store.claim(request(scope, 'lease', { leaseUntil: NOW + 10 }));
        expect(await store.claim(request(scope, 'lease', { now: NOW + 9 }))).toEqual({ outcome: 'in_progress' });
        expect(await store.claim(request(scope, 'lease', { now: NOW + 10, payloadHash: 'hash-2' }))).toEqual({ outcome: 'claimed' });

        // A completed record outlives its lease, until it expires.
        const response = { status: 200, body: { ok: true } };
        await store.claim(request(scope, 'done', { leaseUntil: NOW + 10, expiresAt: NOW + 1000 }));
        await store.complete(scope, 'done', response);
        expect(await store.claim(request(scope, 'done', { now: NOW + 999 }))).toEqual({ outcome: 'completed', response });
        expect(await store.claim(request(scope, 'done', { now: NOW + 1000, payloadHash: 'hash-2' }))).toEqual({ outcome: 'claimed' });
        expect(await store.claim(request(scope, 'done', { now: NOW + 1001, payloadHash: 'hash-2' }))).toEqual({ outcome: 'in_progress' });
      });

      it('purges expired records and counts them', async () => {
        const base = NOW * 2;
        await store.purgeExpired(base);
        const scope = uid('caller');
        for (const [key, expiresAt] of [
          ['a', base + 10],
          ['b', base + 20],
          ['c', base + 30],
        ] as const) {
          await store.claim(request(scope, key, { now: base, expiresAt, leaseUntil: base + 1000 }));
        }
        await store.complete(scope, 'b', { status: 201, body: null });
        expect(await store.purgeExpired(base + 20)).toBe(2);
        expect(await store.purgeExpired(base + 20)).toBe(0);
        // Gone: a new claim wins even before the old lease would have lapsed.
        expect(await store.claim(request(scope, 'a', { now: base + 5, payloadHash: 'hash-2', expiresAt: base + 500 }))).toEqual({
          outcome: 'claimed',
        });
        expect(await store.claim(request(scope, 'c', { now: base + 5, payloadHash: 'hash-2' }))).toEqual({ outcome: 'mismatch' });
      });
    });

    describe('maintenance', () => {
      const maintained = () => store as ConformanceStore & EventLogMaintenance;
      let world: World;
      let extraBookings: Booking[];

      beforeAll(async () => {
        if (!hasMaintenance(store)) return;
        world = await newWorld(3);
        const [t1, t2, t3] = world.tableIds as [string, string, string];
        extraBookings = [
          bookingIn(world, [t1, t2], at(0), at(60)),
          bookingIn(world, [t3], at(0), at(90)),
          bookingIn(world, [t1], at(60), at(120)),
        ];
        for (const booking of extraBookings) await confirm(booking);
        await cancel(extraBookings[1]!.id, 1);
      });

      async function snapshot(target: ConformanceStore) {
        return {
          restaurant: await target.restaurant(world.restaurantId),
          sector: await target.sector(world.sectorId),
          tables: byId(await target.tablesOfSector(world.sectorId)),
          table: await target.table(world.tableIds[0]!),
          bookings: await Promise.all(extraBookings.map((booking) => target.booking(booking.id))),
          day: await target.bookingsOfDay(world.restaurantId, world.sectorId, DAY),
          seated: sortBlocks(await target.seatBlocks(world.sectorId, { start: at(-60), end: at(600) })),
          counts: await target.counts(),
        };
      }

      it('pages through the whole log in position order', async ({ skip }) => {
        skip(!hasMaintenance(store), `${name} has no maintenance methods`);
        const all = await maintained().readAll(0, 1_000_000);
        expect(all.length).toBeGreaterThan(50);
        for (let index = 1; index < all.length; index++) expect(all[index]!.position).toBeGreaterThan(all[index - 1]!.position);
        const paged: StoredEvent[] = [];
        for (let after = 0; ;) {
          const page = await maintained().readAll(after, 7);
          expect(page.length).toBeLessThanOrEqual(7);
          paged.push(...page);
          if (page.length < 7) break;
          after = page.at(-1)!.position;
        }
        expect(paged).toEqual(all);
        expect(await maintained().readAll(all.at(-1)!.position, 10)).toEqual([]);
        const stream = streams.booking(extraBookings[1]!.id);
        expect(all.filter((event) => event.stream === stream)).toEqual(await store.readStream(stream));
      });

      it('rebuilds projections that read the same, seats included', async ({ skip }) => {
        skip(!hasMaintenance(store), `${name} has no maintenance methods`);
        const before = await snapshot(store);
        expect(before.day).toHaveLength(3);
        await maintained().rebuildProjections();
        expect(await snapshot(store)).toEqual(before);
        // Seat rules survive the rebuild: the live booking still blocks, the cancelled one does not.
        const [t1, , t3] = world.tableIds as [string, string, string];
        await expect(confirm(bookingIn(world, [t1], at(30), at(45)))).rejects.toMatchObject({
          name: 'SeatConflict',
          conflictingBookingId: extraBookings[0]!.id,
        });
        const replacement = bookingIn(world, [t3], at(0), at(90));
        await confirm(replacement);
        extraBookings.push(replacement);
      });

      it('imports the log into an empty store that then reads the same', async ({ skip }) => {
        skip(!hasMaintenance(store), `${name} has no maintenance methods`);
        const target = await open();
        try {
          const log = await maintained().readAll(0, 1_000_000);
          const empty = target.store as ConformanceStore & EventLogMaintenance;
          expect(await empty.readAll(0, 10)).toEqual([]);
          await empty.importEvents(log.slice(0, 20));
          await empty.importEvents(log.slice(20));
          expect(await empty.readAll(0, 1_000_000)).toEqual(log);
          expect(await snapshot(empty)).toEqual(await snapshot(store));

          // The copy goes on where the log ended: positions, versions and seats.
          const [t1] = world.tableIds as [string];
          const next = await empty.append(
            [{ stream: streams.booking(extraBookings[0]!.id), expectedVersion: 1, event: cancelled(extraBookings[0]!.id) }],
            META,
            RECORDED_AT,
          );
          expect(next[0]!.version).toBe(2);
          expect(next[0]!.position).toBeGreaterThan(log.at(-1)!.position);
          await expect(empty.append([confirmation(bookingIn(world, [t1], at(60), at(75)))], META, RECORDED_AT)).rejects.toMatchObject({
            name: 'SeatConflict',
            conflictingBookingId: extraBookings[2]!.id,
          });
        } finally {
          await target.close();
        }
      });

      it('refuses, whole, an import that would double-book a table or rewind the log', async ({ skip }) => {
        skip(!hasMaintenance(store), `${name} has no maintenance methods`);
        const target = await open();
        try {
          const log = await maintained().readAll(0, 1_000_000);
          const copy = target.store as ConformanceStore & EventLogMaintenance;
          await copy.importEvents(log);
          const last = log.at(-1)!.position;
          const [t1] = world.tableIds as [string];
          const asStored = (pending: PendingEvent, position: number): StoredEvent => ({
            position,
            stream: pending.stream,
            version: 1,
            type: pending.event.type,
            data: pending.event.data,
            metadata: META,
            recordedAt: RECORDED_AT,
          });
          // A booking that fits, then one over a live booking on T1, in one import: neither may land.
          const fits = asStored(confirmation(bookingIn(world, [t1], at(240), at(255))), last + 1);
          const clashes = asStored(confirmation(bookingIn(world, [t1], at(60), at(75))), last + 2);
          await expect(copy.importEvents([fits, clashes])).rejects.toThrow();
          expect(await copy.readAll(0, 1_000_000)).toEqual(log);
          expect(await snapshot(copy)).toEqual(await snapshot(store));
          await expect(copy.importEvents([{ ...fits, position: last }])).rejects.toThrow(/position/);
          expect(await copy.readAll(last - 1, 10)).toEqual(log.slice(-1));
        } finally {
          await target.close();
        }
      });
    });

    describeSubscriptionConformance(() => store, {
      uid,
      appendEvents: async (count) => {
        const stored: StoredEvent[] = [];
        for (let index = 0; index < count; index++) {
          const id = uid('R');
          stored.push(...(await append([{ stream: streams.restaurant(id), expectedVersion: 'none', event: restaurantRegistered(id) }])));
        }
        return stored;
      },
    });
  });
}

function hasMaintenance(store: ConformanceStore): store is ConformanceStore & EventLogMaintenance {
  return typeof store.readAll === 'function' && typeof store.importEvents === 'function' && typeof store.rebuildProjections === 'function';
}

function sortBlocks(blocks: readonly SeatBlock[]): SeatBlock[] {
  return [...blocks].sort((a, b) => compare(a.source.id, b.source.id) || compare(a.tableId, b.tableId));
}

/** The bookings behind a set of blocks, sorted and without repeats. */
function blockIds(blocks: readonly SeatBlock[]): string[] {
  return [...new Set(blocks.map((block) => block.source.id))].sort(compare);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byId<T extends { id: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function confirmation(booking: Booking): PendingEvent {
  return { stream: streams.booking(booking.id), expectedVersion: 'none', event: { type: 'BookingConfirmed', data: { booking } } };
}

function cancelled(bookingId: string): DomainEvent {
  return { type: 'BookingCancelled', data: { bookingId, at: RECORDED_AT + 9000 } };
}

function restaurant(id: string, name = 'Bistro Central'): Restaurant {
  return {
    id,
    name,
    timezone: 'America/Argentina/Buenos_Aires',
    windows: [
      { start: '12:00', end: '16:00' },
      { start: '20:00', end: '23:45' },
    ],
    durationRange: { min: 30, max: 180 },
    createdAt: RECORDED_AT,
    updatedAt: RECORDED_AT,
  };
}

function restaurantRegistered(id: string, name?: string): DomainEvent {
  return { type: 'RestaurantRegistered', data: { restaurant: restaurant(id, name) } };
}

function sector(id: string, restaurantId: string): Sector {
  return { id, restaurantId, name: 'Main Hall', createdAt: RECORDED_AT, updatedAt: RECORDED_AT };
}

function sectorAdded(id: string, restaurantId: string): DomainEvent {
  return { type: 'SectorAdded', data: { sector: sector(id, restaurantId) } };
}

function table(id: string, sectorId: string): Table {
  return { id, sectorId, name: id, minSize: 2, maxSize: 4, createdAt: RECORDED_AT, updatedAt: RECORDED_AT };
}

function tableAdded(id: string, sectorId: string): DomainEvent {
  return { type: 'TableAdded', data: { table: table(id, sectorId) } };
}

/** The intervals the blocks of one holder keep, once per interval (a booking holds each of its tables over the same one). */
function blocksOf(blocks: readonly SeatBlock[], holder: string): [number, number][] {
  const kept = new Set(blocks.filter((block) => block.source.id === holder).map((block) => `${block.start}|${block.end}`));
  return [...kept].map((interval) => interval.split('|').map(Number) as [number, number]);
}
