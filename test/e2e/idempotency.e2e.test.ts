import { afterEach, describe, expect, it } from 'vitest';
import { createBooking, DEMO, expectError, listDay, startServer, type TestServer } from '../support/server.js';

describe('idempotency of POST /woki/bookings', () => {
  let ctx: TestServer;
  afterEach(async () => {
    await ctx.close();
  });

  const body = { ...DEMO, partySize: 2, durationMinutes: 60 };

  it('same key with a different payload: 422 idempotency_key_reused, nothing booked', async () => {
    ctx = await startServer({ seed: true });
    const first = await createBooking(ctx, body, 'key-reuse');
    expect(first.status).toBe(201);
    const reused = await createBooking(ctx, { ...body, partySize: 3 }, 'key-reuse');
    expectError(reused, 422, 'idempotency_key_reused');
    const withGuest = await createBooking(ctx, { ...body, guestName: 'Someone else' }, 'key-reuse');
    expectError(withGuest, 422, 'idempotency_key_reused');
    const day = await listDay(ctx, 'R1', 'S1', DEMO.date);
    expect(day.body.items.map((b) => b.id).sort()).toEqual(['B1', first.body.id].sort());
    // The original payload still replays.
    const replay = await createBooking(ctx, body, 'key-reuse');
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(first.body.id);
  });

  it('10 parallel requests with one key create exactly one booking and all answer with it', async () => {
    ctx = await startServer({ seed: true });
    const replies = await Promise.all(Array.from({ length: 10 }, () => createBooking(ctx, body, 'parallel-key')));
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(201));
    const ids = new Set(replies.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    for (const reply of replies) expect(reply.text).toBe(replies[0]!.text);
    // One request did the work, the other nine were replays.
    expect(replies.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(9);

    const day = await listDay(ctx, 'R1', 'S1', DEMO.date);
    expect(day.body.items.filter((b) => b.id !== 'B1').map((b) => b.id)).toEqual([...ids]);
  });

  it('different keys with the same payload are different bookings', async () => {
    ctx = await startServer({ seed: true });
    const a = await createBooking(ctx, body, 'key-a');
    const b = await createBooking(ctx, body, 'key-b');
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).not.toBe(b.body.id);
    expect(a.body.tableIds).not.toEqual(b.body.tableIds);
  });

  it('a replay after the booking was cancelled still returns the stored 201 response', async () => {
    ctx = await startServer({ seed: true });
    const first = await createBooking(ctx, body, 'key-cancel');
    expect((await ctx.del(`/api/v1/woki/bookings/${first.body.id}`)).status).toBe(204);
    const replay = await createBooking(ctx, body, 'key-cancel');
    expect(replay.status).toBe(201);
    expect(replay.text).toBe(first.text);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });

  it('replays within the retention, and the key is free again after it', async () => {
    let now = Date.parse('2025-10-01T12:00:00Z');
    ctx = await startServer({ seed: true, clock: { now: () => now }, idempotencyRetentionMs: 60_000 });
    const first = await createBooking(ctx, body, 'key-retention');
    now += 59_000;
    const replay = await createBooking(ctx, body, 'key-retention');
    expect(replay.body.id).toBe(first.body.id);
    now += 2_000;
    const later = await createBooking(ctx, body, 'key-retention');
    expect(later.status).toBe(201);
    expect(later.headers.get('idempotent-replayed')).toBeNull();
    expect(later.body.id).not.toBe(first.body.id);
  });

  it('a request that failed does not hold its key: the same key and payload succeed once seats are free', async () => {
    ctx = await startServer({ seed: true });
    const big = { ...DEMO, partySize: 18, durationMinutes: 60, windowStart: '20:30', windowEnd: '21:30' };
    expectError(await createBooking(ctx, big, 'key-fail'), 409, 'no_capacity');
    expect((await ctx.del('/api/v1/woki/bookings/B1')).status).toBe(204);
    const retry = await createBooking(ctx, big, 'key-fail');
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(retry.body.tableIds).toEqual(['T1', 'T2', 'T3', 'T4', 'T5']);
  });

  it('an invalid Idempotency-Key is 400 invalid_input', async () => {
    ctx = await startServer({ seed: true });
    expectError(await createBooking(ctx, body, 'k'.repeat(256)), 400, 'invalid_input');
    expectError(await createBooking(ctx, body, 'has space'), 400, 'invalid_input');
    const day = await listDay(ctx, 'R1', 'S1', DEMO.date);
    expect(day.body.items.map((b) => b.id)).toEqual(['B1']);
  });
});
