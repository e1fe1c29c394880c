import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { ephemeralCredentials } from '../../src/adapters/auth/credentials.js';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { DEFAULT_PROTECTION } from '../../src/adapters/http/abuse.js';
import { buildHttpServer } from '../../src/adapters/http/server.js';
import { composeFromConfig, type Composition } from '../../src/compose.js';
import { REDIS_URL, redisAvailable } from '../support/services.js';

const available = await redisAvailable();
const UNLIMITED = { anonymousMax: 10_000_000, authenticatedMax: 10_000_000, createMax: 10_000_000, loginMax: 10_000_000 };
const TABLES = 3;

/**
 * A TCP proxy in front of the machine's Redis (which other tests share, so it is never
 * stopped): `cut()` drops every open connection and refuses new ones until `restore()`.
 * It counts the lock commands that pass through it.
 */
class RedisProxy {
  private readonly server: Server;
  private readonly open = new Set<Socket>();
  private cutOff = false;
  refused = 0;
  lockCommands = 0;

  constructor(target: URL) {
    this.server = createServer((client) => {
      if (this.cutOff) {
        this.refused++;
        client.destroy();
        return;
      }
      const upstream = connect(Number(target.port || 6379), target.hostname);
      for (const socket of [client, upstream]) {
        this.open.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => {
          this.open.delete(socket);
          client.destroy();
          upstream.destroy();
        });
      }
      client.on('data', (chunk: Buffer) => {
        if (chunk.includes('wokibrain:lock:')) this.lockCommands++;
        upstream.write(chunk);
      });
      upstream.pipe(client);
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `redis://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  cut(): void {
    this.cutOff = true;
    for (const socket of this.open) socket.destroy();
  }

  restore(): void {
    this.cutOff = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The application on SQLite with Redis locks at `redisUrl`, behind a real HTTP server; the lock log is kept. */
async function startWithRedis(redisUrl: string) {
  const dataDir = await mkdtemp(join(tmpdir(), 'wokibrain-redis-outage-'));
  const lines: string[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    }),
  );
  const composition: Composition = await composeFromConfig(
    { store: 'sqlite', dataDir, databaseUrl: undefined, redisUrl, idempotencyRetentionMs: 60_000 },
    { logger, credentials: ephemeralCredentials('redis-outage-secret-123') },
  );
  const server: FastifyInstance = await buildHttpServer({
    app: composition.app,
    logger: pino({ level: 'silent' }),
    version: 'test',
    protection: { ...DEFAULT_PROTECTION, rateLimits: UNLIMITED },
    store: composition.store,
    checks: composition.checks,
  });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;

  const suffix = randomBytes(3).toString('hex');
  const restaurantId = `RO${suffix}`;
  const caller = { actor: 'test' };
  await composition.app.registerRestaurant({ id: restaurantId, name: 'Outage', timezone: 'UTC' }, caller);
  /** A sector of its own per wave: a lock left behind by a cut connection lapses only at its TTL. */
  const addSector = async (name: string) => {
    const sectorId = `${restaurantId}-${name}`;
    await composition.app.addSector({ id: sectorId, restaurantId, name }, caller);
    for (let table = 1; table <= TABLES; table++) {
      await composition.app.addTable({ id: `${sectorId}-T${table}`, sectorId, name: `T${table}`, minSize: 1, maxSize: 4 }, caller);
    }
    return sectorId;
  };

  /** `count` creates at once for the same hour on one sector: TABLES can succeed, the rest are 409. */
  const createWave = async (sectorId: string, count: number, during?: () => void) => {
    const started = Date.now();
    const body = {
      restaurantId,
      sectorId,
      date: '2030-05-01',
      partySize: 2,
      durationMinutes: 60,
      windowStart: '20:00',
      windowEnd: '21:00',
    };
    const replies = Array.from({ length: count }, async (_, index) => {
      if (index === Math.floor(count / 3)) during?.();
      const response = await fetch(`${base}/api/v1/woki/bookings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as { error?: string; tableIds?: string[] } };
    });
    return { replies: await Promise.all(replies), elapsedMs: Date.now() - started };
  };

  const ready = async () => {
    const response = await fetch(`${base}/api/v1/health/ready`);
    return { status: response.status, body: (await response.json()) as { status: string; detail?: string } };
  };

  const bookingsOn = async (sectorId: string) => {
    const day = await composition.app.listDay({ restaurantId, sectorId, date: '2030-05-01' });
    return day.items.filter((booking) => booking.status === 'CONFIRMED');
  };

  return {
    composition,
    lines,
    addSector,
    createWave,
    ready,
    bookingsOn,
    close: async () => {
      await server.close();
      await composition.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

type Started = Awaited<ReturnType<typeof startWithRedis>>;

/** Every reply a success or a refusal of the catalogue, never a 5xx; exactly TABLES bookings, none sharing a table. */
async function expectNoDoubleBooking(started: Started, sectorId: string, replies: { status: number; body: { error?: string } }[]) {
  expect(replies.filter((reply) => reply.status >= 500)).toEqual([]);
  expect(replies.filter((reply) => reply.status !== 201).every((reply) => reply.status === 409 && reply.body.error === 'no_capacity')).toBe(
    true,
  );
  expect(replies.filter((reply) => reply.status === 201)).toHaveLength(TABLES);
  const booked = await started.bookingsOn(sectorId);
  expect(booked).toHaveLength(TABLES);
  expect(new Set(booked.flatMap((booking) => booking.tableIds)).size).toBe(TABLES);
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

if (available) {
  describe('Redis unreachable', () => {
    let stderr: MockInstance;
    let consoleError: MockInstance;

    beforeEach(() => {
      stderr = vi.spyOn(process.stderr, 'write');
      consoleError = vi.spyOn(console, 'error');
    });
    afterEach(() => {
      stderr.mockRestore();
      consoleError.mockRestore();
    });

    /** Nothing raw from ioredis: every line about Redis went through the logger, as JSON. */
    function expectOnlyJsonLogs(lines: string[]) {
      const written = [...stderr.mock.calls, ...consoleError.mock.calls].map((call) => String(call[0]));
      expect(written.filter((text) => /ioredis|ECONNREFUSED|ECONNRESET/.test(text))).toEqual([]);
      for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    }

    describe('through a proxy cut mid-load and restored', () => {
      let proxy: RedisProxy;
      let started: Started;

      beforeAll(async () => {
        proxy = new RedisProxy(new URL(REDIS_URL));
        started = await startWithRedis(await proxy.listen());
      });
      afterAll(async () => {
        await started?.close();
        await proxy?.close();
      });

      it('keeps booking without a 5xx or a double booking, says degraded, logs JSON at a bounded rate, and recovers', async () => {
        expect(await waitFor(started.ready, (reply) => reply.body.status === 'ok')).toEqual({ status: 200, body: { status: 'ok' } });

        // Redis answers: the lock commands go through the proxy.
        const calm = await started.addSector('calm');
        const before = proxy.lockCommands;
        await expectNoDoubleBooking(started, calm, (await started.createWave(calm, 12)).replies);
        expect(proxy.lockCommands).toBeGreaterThan(before);

        // The connection drops while thirty creates for the same seats are in flight.
        const cutMidLoad = await started.addSector('cut');
        const wave = await started.createWave(cutMidLoad, 30, () => proxy.cut());
        await expectNoDoubleBooking(started, cutMidLoad, wave.replies);

        // Readiness stays 200 (bookings work) but says what is missing.
        const degraded = await waitFor(started.ready, (reply) => reply.body.status === 'degraded');
        expect(degraded.status).toBe(200);
        expect(degraded.body).toMatchObject({ status: 'degraded', detail: expect.stringContaining('redis') });

        // While Redis stays away: no waiting on it, no 5xx, still one booking per table.
        const down = await started.addSector('down');
        const lockCommandsWhileDown = proxy.lockCommands;
        const whileDown = await started.createWave(down, 30);
        await expectNoDoubleBooking(started, down, whileDown.replies);
        expect(whileDown.elapsedMs).toBeLessThan(3_000);
        expect(proxy.lockCommands).toBe(lockCommandsWhileDown);

        // ioredis kept trying to reconnect; the log says so in a few JSON lines, not one per attempt.
        await waitFor(
          async () => proxy.refused,
          (refused) => refused >= 5,
        );
        expect(proxy.refused).toBeGreaterThanOrEqual(5);
        const redisLines = started.lines.map((line) => JSON.parse(line) as { msg: string }).filter((line) => /redis/.test(line.msg));
        expect(redisLines.length).toBeGreaterThan(0);
        const perKind = new Map<string, number>();
        for (const line of redisLines) perKind.set(line.msg, (perKind.get(line.msg) ?? 0) + 1);
        for (const [message, count] of perKind) expect(count, message).toBeLessThanOrEqual(2);
        expectOnlyJsonLogs(started.lines);

        // Redis back: readiness recovers by itself and the locks go through Redis again.
        proxy.restore();
        expect(await waitFor(started.ready, (reply) => reply.body.status === 'ok')).toEqual({ status: 200, body: { status: 'ok' } });
        const back = await started.addSector('back');
        const lockCommandsBack = proxy.lockCommands;
        await expectNoDoubleBooking(started, back, (await started.createWave(back, 12)).replies);
        expect(proxy.lockCommands).toBeGreaterThan(lockCommandsBack);
        const messages = started.lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
        const lost = messages.indexOf('redis connection lost: sector locks are per process until it is back');
        expect(lost).toBeGreaterThan(messages.indexOf('redis ready: sector locks are shared'));
        expect(messages.indexOf('redis connection restored: sector locks are shared again')).toBeGreaterThan(lost);
        expectOnlyJsonLogs(started.lines);
      });
    });

    describe('at a closed port from the start', () => {
      let started: Started;

      beforeAll(async () => {
        const probe = createServer();
        await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
        const { port } = probe.address() as AddressInfo;
        await new Promise<void>((resolve) => probe.close(() => resolve()));
        started = await startWithRedis(`redis://127.0.0.1:${port}`);
      });
      afterAll(async () => {
        await started?.close();
      });

      it('books at once, says degraded, and writes nothing raw to stderr', async () => {
        const sectorId = await started.addSector('never');
        const wave = await started.createWave(sectorId, 20);
        await expectNoDoubleBooking(started, sectorId, wave.replies);
        expect(wave.elapsedMs).toBeLessThan(3_000);
        const ready = await started.ready();
        expect(ready).toMatchObject({ status: 200, body: { status: 'degraded' } });
        expectOnlyJsonLogs(started.lines);
      });
    });
  });
} else {
  describe.skip('Redis unreachable (Redis itself unreachable)', () => {
    it('needs Redis', () => {});
  });
}
