import autocannon from 'autocannon';
import type { CreateBookingInput } from '../src/application/contracts/bookings.js';
import { DATE, bigRestaurant, bigSector, bigTables, type BookedDay } from './fixtures.js';
import type { DiscoverCase } from './engine.js';
import type { RunningServer } from './server.js';

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  seconds: number;
  total: number;
  /** Errors, timeouts and non-2xx answers together. */
  failures: number;
  found: number;
}

async function send(server: RunningServer, method: string, path: string, body?: unknown, admin = false) {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (admin) headers['x-admin-secret'] = server.adminSecret;
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as unknown) : null };
}

async function expectStatus(server: RunningServer, expected: number, method: string, path: string, body?: unknown, admin = false) {
  const answer = await send(server, method, path, body, admin);
  if (answer.status !== expected) {
    throw new Error(`${method} ${path} answered ${answer.status}, expected ${expected}: ${JSON.stringify(answer.json)}`);
  }
  return answer.json;
}

/**
 * Builds the 100-table sector through the admin API and replays the accepted
 * booking requests through POST /woki/bookings, in order, so the server holds the
 * same day as the in-process app. Returns how many bookings got other tables.
 */
export async function setUpBigSector(server: RunningServer, day: BookedDay): Promise<{ mismatches: number }> {
  await expectStatus(server, 201, 'POST', '/api/v1/admin/restaurants', bigRestaurant, true);
  await expectStatus(server, 201, 'POST', '/api/v1/admin/sectors', bigSector, true);
  for (const table of bigTables()) await expectStatus(server, 201, 'POST', '/api/v1/admin/tables', table, true);
  let mismatches = 0;
  for (let i = 0; i < day.accepted.length; i++) {
    const request: CreateBookingInput = day.accepted[i]!;
    const booking = (await expectStatus(server, 201, 'POST', '/api/v1/woki/bookings', request)) as { tableIds: string[] };
    if (booking.tableIds.join('+') !== day.tableIds[i]!.join('+')) mismatches++;
  }
  return { mismatches };
}

function discoverPath(c: DiscoverCase): string {
  const query = new URLSearchParams({
    restaurantId: c.restaurantId,
    sectorId: c.sectorId,
    date: DATE,
    partySize: String(c.partySize),
    duration: String(c.durationMinutes),
  });
  if (c.windowStart) query.set('windowStart', c.windowStart);
  if (c.windowEnd) query.set('windowEnd', c.windowEnd);
  if (c.limit) query.set('limit', String(c.limit));
  return `/api/v1/woki/discover?${query.toString()}`;
}

export interface LoadOptions {
  seconds: number;
  warmupSeconds: number;
  connections: number;
}

/** Checks the URL answers 200 with candidates, warms up, then measures with autocannon. */
export async function loadDiscover(server: RunningServer, c: DiscoverCase, options: LoadOptions): Promise<LoadResult> {
  const path = discoverPath(c);
  const answer = await send(server, 'GET', path);
  if (answer.status !== 200) throw new Error(`GET ${path} answered ${answer.status}: ${JSON.stringify(answer.json)}`);
  const found = (answer.json as { candidates: unknown[] }).candidates.length;
  return { ...(await load(server, path, options)), found };
}

/** GET of any path under load: the framework's own ceiling on this machine, for comparison. */
export async function loadPath(server: RunningServer, path: string, options: LoadOptions): Promise<LoadResult> {
  await expectStatus(server, 200, 'GET', path);
  return { ...(await load(server, path, options)), found: Number.NaN };
}

async function load(server: RunningServer, path: string, options: LoadOptions): Promise<Omit<LoadResult, 'found'>> {
  const url = `${server.baseUrl}${path}`;
  if (options.warmupSeconds > 0) await autocannon({ url, connections: options.connections, duration: options.warmupSeconds });
  const result = await autocannon({ url, connections: options.connections, duration: options.seconds });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    seconds: result.duration,
    total: result.requests.total,
    failures: result.errors + result.timeouts + result.non2xx,
  };
}
