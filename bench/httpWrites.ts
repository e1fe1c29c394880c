import autocannon from 'autocannon';
import type { RunningServer } from './server.js';

const SECTORS = 20;
const TABLES_PER_SECTOR = 20;
const DATES = 10;

async function admin(server: RunningServer, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${server.baseUrl}/api/v1/admin/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-admin-secret': server.adminSecret },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`POST admin/${path} answered ${response.status}: ${await response.text()}`);
}

export interface CreateLoad {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  seconds: number;
  created: number;
  failures: number;
}

/**
 * POST /woki/bookings under load: 20 sectors of 20 tables, whole-day service, the
 * requests cycling through sectors and dates so that capacity never runs out.
 */
export async function loadCreates(server: RunningServer, seconds: number, connections: number): Promise<CreateLoad> {
  await admin(server, 'restaurants', { id: 'RW', name: 'Writes', timezone: 'America/Argentina/Buenos_Aires' });
  for (let s = 0; s < SECTORS; s++) {
    await admin(server, 'sectors', { id: `SW${s}`, restaurantId: 'RW', name: `Sector ${s}` });
    for (let t = 0; t < TABLES_PER_SECTOR; t++) {
      await admin(server, 'tables', { id: `SW${s}-T${t}`, sectorId: `SW${s}`, minSize: 2, maxSize: 4 });
    }
  }
  const requests = [];
  for (let d = 1; d <= DATES; d++) {
    for (let s = 0; s < SECTORS; s++) {
      const body = {
        restaurantId: 'RW',
        sectorId: `SW${s}`,
        partySize: 2,
        durationMinutes: 30,
        date: `2026-04-${String(d).padStart(2, '0')}`,
      };
      requests.push({
        method: 'POST' as const,
        path: '/api/v1/woki/bookings',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    }
  }
  const result = await autocannon({ url: server.baseUrl, connections, duration: seconds, requests });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    seconds: result.duration,
    created: result['2xx'],
    failures: result.errors + result.timeouts + result.non2xx,
  };
}
