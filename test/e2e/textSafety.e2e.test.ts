import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_SECRET, DEMO, expectError, qs, startServer, type TestServer } from '../support/server.js';
import { UNSAFE } from '../support/unsafeText.js';

/** Text that must stay accepted: tab, newline, CRLF, accents, emoji (a surrogate pair), right-to-left script. */
const SAFE = ['tab\there', 'two\nlines', 'windows\r\nline', 'ünïcødé', 'party 😀', 'שלום', 'zero\u200bwidth'];

let ctx: TestServer;
beforeAll(async () => {
  ctx = await startServer({ seed: true });
});
afterAll(async () => {
  await ctx.close();
});

const admin = { 'x-admin-secret': ADMIN_SECRET };
const booking = { ...DEMO, partySize: 2, durationMinutes: 60 };
let serial = 0;
const fresh = (prefix: string) => `${prefix}${++serial}`;

/** Each request with `value` placed in one text field. */
const bodies: [string, string, (value: string) => unknown, Record<string, string>?][] = [
  ['booking guestName', '/api/v1/woki/bookings', (value) => ({ ...booking, guestName: `Ana ${value} Pérez` })],
  ['booking notes', '/api/v1/woki/bookings', (value) => ({ ...booking, notes: `window seat${value}` })],
  ['booking guestEmail', '/api/v1/woki/bookings', (value) => ({ ...booking, guestEmail: `ana${value}@example.com` })],
  ['booking guestPhone', '/api/v1/woki/bookings', (value) => ({ ...booking, guestPhone: `+54 11${value} 5555` })],
  ['booking restaurantId', '/api/v1/woki/bookings', (value) => ({ ...booking, restaurantId: `R1${value}` })],
  ['booking sectorId', '/api/v1/woki/bookings', (value) => ({ ...booking, sectorId: `S1${value}` })],
  ['restaurant name', '/api/v1/admin/restaurants', (value) => ({ id: fresh('RT'), name: `Casa${value}`, timezone: 'UTC' }), admin],
  ['restaurant id', '/api/v1/admin/restaurants', (value) => ({ id: `RT${value}`, name: 'Casa', timezone: 'UTC' }), admin],
  ['restaurant timezone', '/api/v1/admin/restaurants', (value) => ({ id: fresh('RT'), name: 'Casa', timezone: `UTC${value}` }), admin],
  ['sector name', '/api/v1/admin/sectors', (value) => ({ id: fresh('ST'), restaurantId: 'R1', name: `Patio${value}` }), admin],
  [
    'table name',
    '/api/v1/admin/tables',
    (value) => ({ id: fresh('TT'), sectorId: 'S1', name: `Mesa${value}`, minSize: 1, maxSize: 2 }),
    admin,
  ],
  [
    'blackout reason',
    '/api/v1/woki/blackouts',
    (value) => ({
      id: fresh('BT'),
      ...DEMO,
      tableIds: ['T5'],
      start: '2031-01-01T10:00:00-03:00',
      end: '2031-01-01T11:00:00-03:00',
      reason: `leak${value}`,
    }),
    admin,
  ],
  [
    'blackout tableIds',
    '/api/v1/woki/blackouts',
    (value) => ({
      id: fresh('BT'),
      ...DEMO,
      tableIds: [`T5${value}`],
      start: '2031-01-02T10:00:00-03:00',
      end: '2031-01-02T11:00:00-03:00',
    }),
    admin,
  ],
];

describe('unsafe characters in request bodies', () => {
  for (const [field, path, body, headers] of bodies) {
    it.each(UNSAFE)(`${field} with %s → 400 invalid_input`, async (_label, value) => {
      const reply = await ctx.request('POST', path, { body: body(value), headers: headers ?? {} });
      expectError(reply, 400, 'invalid_input');
      // The detail names the character by code point, never echoes it.
      expect(reply.text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/);
    });
  }

  it.each(SAFE)('free text %j is kept as sent', async (text) => {
    const created = await ctx.post<{ id: string; guestName: string; notes: string }>('/api/v1/woki/bookings', {
      ...booking,
      date: '2025-10-23',
      guestName: `Guest ${text}`,
      notes: text,
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.notes).toBe(text);
    const read = await ctx.get<{ notes: string }>(`/api/v1/woki/bookings/${created.body.id}`);
    expect(read.body.notes).toBe(text);
    expect((await ctx.del(`/api/v1/woki/bookings/${created.body.id}`)).status).toBe(204);
  });

  it('nothing refused above reached the store', async () => {
    // Only the seeded booking B1 is on the demo day.
    const day = await ctx.get<{ items: { id: string }[] }>(`/api/v1/woki/bookings/day${qs(DEMO)}`);
    expect(day.status).toBe(200);
    expect(day.body.items.map((item) => item.id)).toEqual(['B1']);
  });
});

describe('unsafe characters in paths and query strings', () => {
  it.each(UNSAFE)('ids with %s in the path and the query → 400 invalid_input', async (_label, value) => {
    // Lone surrogates cannot be percent-encoded as UTF-8 (every surrogate in UNSAFE is lone); U+FFFD stands in.
    const encoded = encodeURIComponent(/[\ud800-\udfff]/.test(value) ? '\ufffd' : value);
    expectError(await ctx.get(`/api/v1/woki/bookings/B${encoded}`), 400, 'invalid_input');
    expectError(await ctx.request('DELETE', `/api/v1/woki/bookings/B${encoded}`), 400, 'invalid_input');
    expectError(await ctx.get(`/api/v1/woki/bookings/day?restaurantId=R1${encoded}&sectorId=S1&date=${DEMO.date}`), 400, 'invalid_input');
  });
});
