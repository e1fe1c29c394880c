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
  /** Errors, timeouts and answers of an unexpected status together. */
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
  return { ...(await load(server.baseUrl, [path], options)), found };
}

/**
 * The cases in turn, one request each, over every connection: a mix of party
 * sizes, so that no two requests in a row ask the same. An answer 409
 * `no_capacity` (nothing fits that party) is an answer, not a failure. `found`
 * counts the cases that have candidates.
 */
export async function loadDiscoverMix(server: RunningServer, cases: DiscoverCase[], options: LoadOptions): Promise<LoadResult> {
  const paths = cases.map(discoverPath);
  let found = 0;
  for (const path of paths) {
    const answer = await send(server, 'GET', path);
    if (answer.status === 200) found++;
    else if (answer.status !== 409) throw new Error(`GET ${path} answered ${answer.status}: ${JSON.stringify(answer.json)}`);
  }
  return { ...(await load(server.baseUrl, paths, options, [200, 409])), found };
}

/** The bytes and content type of the case's discover answer, as the server sends them. */
export async function discoverAnswer(server: RunningServer, c: DiscoverCase): Promise<{ path: string; body: string; contentType: string }> {
  const path = discoverPath(c);
  const response = await fetch(`${server.baseUrl}${path}`);
  const body = await response.text();
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${body}`);
  return { path, body, contentType: response.headers.get('content-type') ?? 'application/json' };
}

/** GET of any path under load: the framework's own ceiling on this machine, for comparison. */
export async function loadPath(server: { baseUrl: string }, path: string, options: LoadOptions): Promise<LoadResult> {
  const response = await fetch(`${server.baseUrl}${path}`);
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}, expected 200`);
  return { ...(await load(server.baseUrl, [path], options)), found: Number.NaN };
}

async function load(
  baseUrl: string,
  paths: string[],
  options: LoadOptions,
  answered: readonly number[] = [200],
): Promise<Omit<LoadResult, 'found'>> {
  const target =
    paths.length === 1 ? { url: `${baseUrl}${paths[0]}` } : { url: baseUrl, requests: paths.map((path) => ({ method: 'GET', path })) };
  if (options.warmupSeconds > 0) await autocannon({ ...target, connections: options.connections, duration: options.warmupSeconds });
  const result = await autocannon({ ...target, connections: options.connections, duration: options.seconds });
  const unexpected = Object.entries(result.statusCodeStats)
    .filter(([status]) => !answered.includes(Number(status)))
    .reduce((sum, [, { count }]) => sum + count, 0);
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    seconds: result.duration,
    total: result.requests.total,
    failures: result.errors + result.timeouts + unexpected,
  };
}
