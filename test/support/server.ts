import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { expect } from 'vitest';
import { DEFAULT_PROTECTION, type Protection } from '../../src/adapters/http/abuse.js';
import { buildHttpServer } from '../../src/adapters/http/server.js';
import type { Dependencies } from '../../src/application/dependencies.js';
import type { WokiBrain } from '../../src/application/wokiBrain.js';
import { ephemeralCredentials } from '../../src/adapters/auth/credentials.js';
import { processOwner } from '../../src/adapters/runtime/system.js';
import { startReactions } from '../../src/application/subscriptions/reactions.js';
import { composeInMemory, composeOn, type ComposeOptions, type Store } from '../../src/compose.js';
import { ERROR_CATALOGUE } from '../../src/errors/catalogue.js';

export const ADMIN_SECRET = 'test-admin-secret-7f3a9c2e';
/** The credentials `get`, `post` and `del` send by default. */
const STAFF: Readonly<Record<string, string>> = { 'x-admin-secret': ADMIN_SECRET };
export const DEMO = { restaurantId: 'R1', sectorId: 'S1', date: '2025-10-22' } as const;
const CATALOGUE_CODES = Object.keys(ERROR_CATALOGUE);

export interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON when the body is JSON, the raw text otherwise, `null` when empty. */
  body: T;
  text: string;
}

export interface TestServer {
  base: string;
  app: WokiBrain;
  deps: Dependencies;
  server: FastifyInstance;
  /** The reactions to the log (waitlist promotion), running as in `serve`. */
  reactions: { stop(): Promise<void>; caughtUp(): Promise<void> };
  close(): Promise<void>;
  request<T = unknown>(
    method: string,
    path: string,
    init?: { body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<Reply<T>>;
  /** `get`, `post` and `del` send the admin secret unless other headers are given: tests of booking rules act as staff. `request` sends only what it is given. */
  get<T = unknown>(path: string, headers?: Record<string, string>): Promise<Reply<T>>;
  post<T = unknown>(path: string, body: unknown, headers?: Record<string, string>): Promise<Reply<T>>;
  del<T = unknown>(path: string): Promise<Reply<T>>;
  admin<T = unknown>(path: string, body: unknown): Promise<Reply<T>>;
}

export interface StartOptions extends ComposeOptions {
  /** Load the demo data (R1/S1/T1–T5/B1) through the admin API. */
  seed?: boolean;
  /** Rate limits, proxy trust, CORS; by default limits so high that no test meets them. */
  protection?: Partial<Protection>;
  /** A store already open (closed with the server); by default a fresh memory store. */
  store?: { store: Store; name: string };
}

const UNLIMITED = { anonymousMax: 10_000_000, authenticatedMax: 10_000_000, createMax: 10_000_000, loginMax: 10_000_000 };

/** A real server on an ephemeral port, spoken to over real HTTP. */
export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const { seed = false, protection, store: given, ...compose } = options;
  const composeOptions = { credentials: ephemeralCredentials(ADMIN_SECRET), ...compose };
  const { app, deps, store } = given ? composeOn(given.store, given.name, composeOptions) : composeInMemory(composeOptions);
  const reactions = startReactions(deps, store, { owner: processOwner() });
  const server = await buildHttpServer({
    app,
    logger: pino({ level: 'silent' }),
    version: 'test',
    store,
    protection: { ...DEFAULT_PROTECTION, rateLimits: UNLIMITED, ...protection },
  });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const { port } = server.server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  const request = async <T>(
    method: string,
    path: string,
    init: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply<T>> => {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    let body: string | undefined = init.rawBody;
    if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(base + path, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text.length === 0 ? null : text;
    if (text.length > 0 && (response.headers.get('content-type') ?? '').includes('json')) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  };

  const ctx: TestServer = {
    base,
    app,
    deps,
    server,
    reactions,
    close: async () => {
      await server.close();
      await reactions.stop();
      if (given) await given.store.close();
    },
    request,
    get: (path, headers) => request('GET', path, { headers: headers ?? STAFF }),
    post: (path, body, headers) => request('POST', path, { body, headers: headers ?? STAFF }),
    del: (path) => request('DELETE', path, { headers: STAFF }),
    admin: (path, body) => request('POST', path, { body, headers: { 'x-admin-secret': ADMIN_SECRET } }),
  };
  if (seed) {
    const seeded = await ctx.request('POST', '/api/v1/admin/seed', { headers: { 'x-admin-secret': ADMIN_SECRET } });
    expect(seeded.status).toBe(201);
  }
  return ctx;
}

/** Builds `?a=1&b=2`, skipping undefined values. */
export function qs(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  return `?${search.toString()}`;
}

interface CandidateBody {
  sectorId: string;
  kind: 'single' | 'combo';
  tableIds: string[];
  start: string;
  end: string;
  score: number;
  rationale: string;
}

export interface DiscoverBody {
  slotMinutes: number;
  durationMinutes: number;
  candidates: CandidateBody[];
}

export interface BookingBody {
  id: string;
  restaurantId: string;
  sectorId: string;
  date: string;
  tableIds: string[];
  partySize: number;
  start: string;
  end: string;
  durationMinutes: number;
  status: 'CONFIRMED' | 'CANCELLED';
  createdAt: string;
  updatedAt: string;
  guestName?: string;
}

export interface DayBody {
  date: string;
  items: BookingBody[];
}

export interface DiscoverParams {
  restaurantId: string;
  /** Without it, every sector of the restaurant. */
  sectorId?: string;
  date: string;
  partySize: number;
  duration: number;
  windowStart?: string;
  windowEnd?: string;
  limit?: number;
}

export function discover(ctx: TestServer, params: DiscoverParams): Promise<Reply<DiscoverBody>> {
  return ctx.get<DiscoverBody>(`/api/v1/woki/discover${qs({ ...params })}`);
}

export interface CreateParams {
  restaurantId: string;
  /** Without it, every sector of the restaurant. */
  sectorId?: string;
  date: string;
  partySize: number;
  durationMinutes: number;
  windowStart?: string;
  windowEnd?: string;
  guestName?: string;
}

export function createBooking(ctx: TestServer, body: CreateParams, idempotencyKey?: string): Promise<Reply<BookingBody>> {
  return ctx.post<BookingBody>('/api/v1/woki/bookings', body, idempotencyKey ? { 'idempotency-key': idempotencyKey } : undefined);
}

export function listDay(ctx: TestServer, restaurantId: string, sectorId: string, date: string): Promise<Reply<DayBody>> {
  return ctx.get<DayBody>(`/api/v1/woki/bookings/day${qs({ restaurantId, sectorId, date })}`);
}

/** Asserts exactly `{error, detail}` with the catalogue code (and status) expected. */
export function expectError(reply: Reply, status: number, code: string): void {
  expect({ status: reply.status, body: reply.body }).toMatchObject({ status, body: { error: code } });
  expectErrorShape(reply);
}

/**
 * Any 4xx/5xx body: an object with a catalogue `error` and a non-empty `detail`
 * string. SPEC §4 allows further fields; only `seats_taken` (what is in the way),
 * `idempotency_in_progress` (when to retry), `no_capacity` (its alternatives,
 * for callers who may discover, or a walk-in's `nextFreeAt`) and `guest_unavailable`
 * (the profile a merged one went to) add any.
 */
export function expectErrorShape(reply: Reply): void {
  expect(reply.headers.get('content-type') ?? '').toContain('application/json');
  const body = reply.body as Record<string, unknown>;
  expect(typeof body, `body of ${reply.status}: ${reply.text}`).toBe('object');
  expect(body).not.toBeNull();
  const extra: Record<string, string[]> = { seats_taken: ['blackouts', 'bookings'], idempotency_in_progress: ['retryAfterSeconds'] };
  const optional: Record<string, string[]> = { no_capacity: ['alternatives', 'nextFreeAt'], guest_unavailable: ['mergedInto'] };
  const keys = Object.keys(body).filter((key) => !(optional[body.error as string] ?? []).includes(key));
  expect(keys.sort()).toEqual(['detail', 'error', ...(extra[body.error as string] ?? [])].sort());
  if (body.alternatives !== undefined) expect(Array.isArray(body.alternatives)).toBe(true);
  expect(CATALOGUE_CODES).toContain(body.error);
  expect(typeof body.detail).toBe('string');
  expect((body.detail as string).length).toBeGreaterThan(0);
}

/** Elapsed minutes between two ISO instants with explicit offsets. */
export function elapsedMinutes(start: string, end: string): number {
  const a = Date.parse(start);
  const b = Date.parse(end);
  expect(Number.isNaN(a) || Number.isNaN(b), `unparseable instants ${start} / ${end}`).toBe(false);
  return (b - a) / 60_000;
}

/** Local wall-clock `HH:mm` and offset of an ISO string as the server wrote it. */
export function wallClock(iso: string): { date: string; time: string; offset: string } {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}):00([+-]\d{2}:\d{2})$/.exec(iso);
  expect(match, `not an ISO instant with offset: ${iso}`).not.toBeNull();
  return { date: match![1]!, time: match![2]!, offset: match![3]! };
}

export interface RestaurantSetup {
  id: string;
  timezone: string;
  windows?: { start: string; end: string }[];
  sectorId: string;
  sectorWindows?: { start: string; end: string }[];
  tables: { id: string; minSize: number; maxSize: number }[];
  durationRange?: { min: number; max: number };
}

/** Registers a restaurant, one sector and its tables through the admin API. */
export async function setupRestaurant(ctx: TestServer, setup: RestaurantSetup): Promise<void> {
  const restaurant = await ctx.admin('/api/v1/admin/restaurants', {
    id: setup.id,
    name: `Restaurant ${setup.id}`,
    timezone: setup.timezone,
    ...(setup.windows ? { windows: setup.windows } : {}),
    ...(setup.durationRange ? { durationRange: setup.durationRange } : {}),
  });
  expect(restaurant.status, restaurant.text).toBe(201);
  const sector = await ctx.admin('/api/v1/admin/sectors', {
    id: setup.sectorId,
    restaurantId: setup.id,
    name: `Sector ${setup.sectorId}`,
    ...(setup.sectorWindows ? { windows: setup.sectorWindows } : {}),
  });
  expect(sector.status, sector.text).toBe(201);
  for (const table of setup.tables) {
    const created = await ctx.admin('/api/v1/admin/tables', { ...table, sectorId: setup.sectorId, name: table.id });
    expect(created.status, created.text).toBe(201);
  }
}

/** Polls `read` until it gives `expected` (reactions to the log run just after the write that triggers them). */
export async function eventually<T>(read: () => Promise<T>, expected: T, timeoutMs = 2_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (value !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    value = await read();
  }
  return value;
}
