import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_SECRET,
  createBooking,
  DEMO,
  expectError,
  expectErrorShape,
  startServer,
  type Reply,
  type TestServer,
} from '../support/server.js';

let ctx: TestServer;
let port = 0;
beforeAll(async () => {
  ctx = await startServer({ seed: true });
  port = Number(new URL(ctx.base).port);
});
afterAll(async () => {
  await ctx.close();
});

interface RawReply {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** A socket to the server that collects what it receives and notes when the server closes it. */
function rawSocket(): { socket: Socket; received: () => string; closed: Promise<boolean>; opened: Promise<void> } {
  const socket = connect(port, '127.0.0.1');
  let data = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => (data += chunk));
  socket.on('error', () => undefined);
  const closed = new Promise<boolean>((resolve) => {
    socket.once('close', () => resolve(true));
    setTimeout(() => resolve(false), 3_000).unref();
  });
  const opened = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { socket, received: () => data, closed, opened };
}

/** Reads the responses in `text` (Content-Length framed). */
function parseResponses(text: string): RawReply[] {
  const replies: RawReply[] = [];
  let rest = text;
  while (rest.length > 0) {
    const headEnd = rest.indexOf('\r\n\r\n');
    if (headEnd < 0) break;
    const [statusLine, ...lines] = rest.slice(0, headEnd).split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    const bodyText = rest.slice(headEnd + 4, headEnd + 4 + length);
    let body: unknown = bodyText;
    try {
      body = JSON.parse(bodyText);
    } catch {
      // not JSON: kept as text
    }
    replies.push({ status: Number(statusLine!.split(' ')[1]), headers, body });
    rest = rest.slice(headEnd + 4 + length);
  }
  return replies;
}

/** Sends `payload` on a fresh socket and waits until the server closes it (or 3 s pass). */
async function exchange(payload: string): Promise<{ replies: RawReply[]; closed: boolean }> {
  const raw = rawSocket();
  await raw.opened;
  raw.socket.write(payload);
  const closed = await raw.closed;
  raw.socket.destroy();
  return { replies: parseResponses(raw.received()), closed };
}

function expectCatalogueReply(reply: RawReply | undefined, status: number, code: string): void {
  expect(reply, 'a response').toBeDefined();
  expect(reply!.status).toBe(status);
  expect(reply!.headers['content-type']).toContain('application/json');
  expect(reply!.headers.connection).toBe('close');
  expect(reply!.body).toMatchObject({ error: code });
  expect(Object.keys(reply!.body as object).sort()).toEqual(['detail', 'error']);
  expect(typeof (reply!.body as { detail: unknown }).detail).toBe('string');
}

describe('requests Node cannot parse', () => {
  it('a request line over the 16 KiB header limit → 431 header_too_large, then the connection closes', async () => {
    const { replies, closed } = await exchange(`GET /api/v1/woki/bookings/${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(replies).toHaveLength(1);
    expectCatalogueReply(replies[0], 431, 'header_too_large');
    expect(closed).toBe(true);
  });

  it('headers over the limit → 431 header_too_large too', async () => {
    const { replies, closed } = await exchange(`GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`);
    expectCatalogueReply(replies[0], 431, 'header_too_large');
    expect(closed).toBe(true);
  });

  it.each([
    ['a garbage request line', 'HELLO\r\n\r\n'],
    ['a method with a space in it', 'GE T /health/live HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['an unknown HTTP version', 'GET /health/live HTTP/9.9\r\nHost: x\r\n\r\n'],
    ['a control character in the path', 'GET /health/\u0001live HTTP/1.1\r\nHost: x\r\n\r\n'],
  ])('%s → 400 invalid_input, then the connection closes', async (_label, payload) => {
    const { replies, closed } = await exchange(payload);
    expect(replies).toHaveLength(1);
    expectCatalogueReply(replies[0], 400, 'invalid_input');
    expect(closed).toBe(true);
  });

  it('garbage after a good keep-alive request: the first is answered, the garbage gets 400 and the close', async () => {
    const raw = rawSocket();
    await raw.opened;
    raw.socket.write('GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n');
    await expect.poll(() => parseResponses(raw.received()).length).toBe(1);
    raw.socket.write('NONSENSE\r\n\r\n');
    const closed = await raw.closed;
    const replies = parseResponses(raw.received());
    expect(replies[0]).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(replies[0]!.headers.connection).toBe('keep-alive');
    expectCatalogueReply(replies[1], 400, 'invalid_input');
    expect(closed).toBe(true);
  });

  it('a request whose headers never finish → 408 request_timeout when Node gives up on it, then the close', async () => {
    // Node reports it after `headersTimeout` (60 s); the report is raised here at once on the server's socket.
    const accepted = new Promise<Socket>((resolve) => ctx.server.server.once('connection', resolve));
    const raw = rawSocket();
    await raw.opened;
    raw.socket.write('GET /health/live HTTP/1.1\r\nHost: x\r\n');
    const serverSide = await accepted;
    ctx.server.server.emit('clientError', Object.assign(new Error('Request timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }), serverSide);
    expect(await raw.closed).toBe(true);
    expectCatalogueReply(parseResponses(raw.received())[0], 408, 'request_timeout');
  });

  it('a client reusing its connection after a 431 is not sent to a dead socket: the server said close', async () => {
    // fetch (undici) keeps connections alive; after a refused request the next one works.
    const huge = await ctx.get(`/api/v1/woki/bookings/${'a'.repeat(20_000)}`).catch((error: unknown) => error);
    expect(huge).toMatchObject({ status: 431 });
    expectErrorShape(huge as Reply);
    expect((huge as Reply).headers.get('connection')).toBe('close');
    for (let attempt = 0; attempt < 3; attempt++) expect((await ctx.get('/health/live')).status).toBe(200);
  });
});

describe('DELETE with Content-Type: application/json and no body', () => {
  it('cancels as if there were no Content-Type (what the original SDK sends)', async () => {
    const booked = await createBooking(ctx, { ...DEMO, partySize: 2, durationMinutes: 60, windowStart: '13:00' });
    expect(booked.status).toBe(201);
    // As staff, who may cancel any booking.
    const staff = { 'x-admin-secret': ADMIN_SECRET };
    const headers = { ...staff, 'content-type': 'application/json' };
    const cancelled = await ctx.request('DELETE', `/api/v1/woki/bookings/${booked.body.id}`, { headers, rawBody: '' });
    expect(cancelled.status, cancelled.text).toBe(204);
    // Without a body at all (Content-Length absent) too, and on the root mount.
    expect((await ctx.request('DELETE', `/woki/bookings/${booked.body.id}`, { headers })).status).toBe(204);
    expect(
      (
        await ctx.request('DELETE', `/api/v1/woki/bookings/${booked.body.id}`, {
          headers: { ...staff, 'content-type': 'application/json; charset=utf-8' },
          rawBody: '',
        })
      ).status,
    ).toBe(204);
    expect((await ctx.get<{ status: string }>(`/api/v1/woki/bookings/${booked.body.id}`)).body.status).toBe('CANCELLED');
    expectError(await ctx.request('DELETE', '/api/v1/woki/bookings/no-such-booking', { headers, rawBody: '' }), 404, 'not_found');
  });

  it('malformed JSON stays 400 invalid_input, and an empty body where one is required too', async () => {
    const headers = { 'x-admin-secret': ADMIN_SECRET, 'content-type': 'application/json' };
    expectError(await ctx.request('DELETE', '/api/v1/woki/bookings/B1', { headers, rawBody: '{' }), 400, 'invalid_input');
    expectError(await ctx.request('POST', '/api/v1/woki/bookings', { headers, rawBody: '{"partySize":' }), 400, 'invalid_input');
    expectError(await ctx.request('POST', '/api/v1/woki/bookings', { headers, rawBody: '' }), 400, 'invalid_input');
    expectError(await ctx.request('POST', '/api/v1/woki/bookings', { headers, rawBody: ' ' }), 400, 'invalid_input');
    // Prototype poisoning is still refused.
    expectError(await ctx.request('POST', '/api/v1/woki/bookings', { headers, rawBody: '{"__proto__":{"x":1}}' }), 400, 'invalid_input');
    expect((await ctx.get('/api/v1/woki/bookings/B1')).status).toBe(200);
  });
});

describe('operations endpoints under /api/v1', () => {
  it.each(['/health', '/health/live', '/health/ready', '/metrics', '/openapi.json', '/openapi.yaml'])(
    'GET /api/v1%s answers as it does at the root',
    async (path) => {
      const mounted = await ctx.get(`/api/v1${path}`);
      const root = await ctx.get(path);
      expect(mounted.status, mounted.text).toBe(200);
      expect(mounted.headers.get('content-type')).toBe(root.headers.get('content-type'));
      if (path.startsWith('/health')) expect(mounted.body).toEqual(root.body);
    },
  );

  it('the OpenAPI document is the same on both mounts and lists every path once', async () => {
    const mounted = await ctx.get<{ paths: Record<string, unknown> }>('/api/v1/openapi.json');
    const root = await ctx.get<{ paths: Record<string, unknown> }>('/openapi.json');
    expect(mounted.body).toEqual(root.body);
    expect(Object.keys(mounted.body.paths)).toEqual(expect.arrayContaining(['/api/v1/health/ready', '/api/v1/woki/bookings']));
    expect(Object.keys(mounted.body.paths)).not.toContain('/health/ready');
    expect((await ctx.get('/api/v1/metrics')).text).toContain('wokibrain_http_requests_total');
  });
});

describe('405 method_not_allowed', () => {
  it.each([
    ['PUT', '/api/v1/woki/bookings/B1', 'DELETE, GET, HEAD'],
    ['PATCH', '/woki/bookings/B1', 'DELETE, GET, HEAD'],
    ['DELETE', '/api/v1/woki/discover', 'GET, HEAD'],
    ['PUT', '/api/v1/woki/bookings', 'GET, HEAD, POST'],
    ['GET', '/api/v1/woki/bookings/B1/approve', 'POST'],
    ['POST', '/api/v1/health/ready', 'GET, HEAD'],
    ['DELETE', '/health', 'GET, HEAD'],
    ['PUT', '/api/v1/woki/blackouts/X1', 'DELETE, PATCH'],
    ['POST', '/api/v1/admin/info', 'GET, HEAD'],
  ])('%s %s → 405 with Allow: %s', async (method, path, allow) => {
    const reply = await ctx.request(method, path, method === 'GET' ? {} : { body: {} });
    expectError(reply, 405, 'method_not_allowed');
    expect(reply.headers.get('allow')).toBe(allow);
    expect((reply.body as { detail: string }).detail).toContain(method);
  });

  it('a path no route has stays 404 with no Allow header, whatever the method', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const reply = await ctx.request(method, '/api/v1/no/such/route');
      expectError(reply, 404, 'not_found');
      expect(reply.headers.get('allow')).toBeNull();
    }
  });

  it('with CORS on (a preflight route on every path), unknown paths stay 404 and Allow names OPTIONS', async () => {
    const cors = await startServer({ protection: { corsOrigins: ['https://app.example.com'] } });
    try {
      const unknown = await cors.request('GET', '/api/v1/no/such/route');
      expectError(unknown, 404, 'not_found');
      expect(unknown.headers.get('allow')).toBeNull();
      const wrong = await cors.request('PUT', '/api/v1/woki/bookings/B1', { body: {} });
      expectError(wrong, 405, 'method_not_allowed');
      expect(wrong.headers.get('allow')).toBe('DELETE, GET, HEAD, OPTIONS');
    } finally {
      await cors.close();
    }
  });

  it('the right method on the same path still works', async () => {
    expect((await ctx.get('/api/v1/woki/bookings/B1')).status).toBe(200);
  });
});
