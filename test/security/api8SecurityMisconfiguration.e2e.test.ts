import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { ADMIN_SECRET, DEMO, expectErrorShape, qs, startServer, type Reply, type TestServer } from '../support/server.js';
import { ADMIN, bookingRequest, R1 } from './tenants.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LISTENING = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/;

/** What a stack trace, a source path or an internal exception would look like in an answer. */
const LEAKS =
  /\bat [\w.<>]+ \(|\bat file:|node_modules|\.[cm]?[jt]s:\d+|\/work\/|\/src\/|Error: |"stack"|ZodError|SqliteError|TypeError|ReferenceError/;

function expectNoLeak(reply: Reply, what: string): void {
  expect(reply.status, what).toBeGreaterThanOrEqual(400);
  expectErrorShape(reply);
  expect(reply.text, what).not.toMatch(LEAKS);
}

interface Served {
  url: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output: () => string;
  stop(): Promise<void>;
}

/** `wokibrain serve` as an operator would start it: no ADMIN_SECRET, no JWT_SECRET. */
async function serveWithoutSecrets(dataDir: string): Promise<Served> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(ADMIN_SECRET|JWT_SECRET|STORE|DATABASE_URL|REDIS_URL|CORS_ORIGINS)$/.test(name)) env[name] = value;
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    cwd: ROOT,
    env: { ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'trace', STORE: 'memory', DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => (output += chunk.toString());
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = once(child, 'exit');
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 40_000);
    const check = () => {
      const match = LISTENING.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

interface SecretsFile {
  adminSecret: string;
  signingKey: string;
  demoOwner?: { email: string; password: string };
}

/**
 * OWASP API8:2023 Security Misconfiguration: no default credentials, secrets
 * kept private and out of the logs, no stack traces in answers, security
 * headers, no open CORS. (Headers, CSP and configured CORS in detail:
 * headers.e2e.test.ts.)
 */
describe('OWASP API8:2023 Security Misconfiguration', () => {
  describe('a server started without ADMIN_SECRET', () => {
    let dataDir: string;
    let served: Served;
    let secrets: SecretsFile;

    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'wokibrain-api8-'));
      served = await serveWithoutSecrets(dataDir);
      secrets = JSON.parse(await readFile(join(dataDir, 'secrets.json'), 'utf8')) as SecretsFile;
    }, 60_000);
    afterAll(async () => {
      await served?.stop();
      await rm(dataDir, { recursive: true, force: true });
    });

    const adminInfo = (secret: string) => fetch(`${served.url}/api/v1/admin/info`, { headers: { 'x-admin-secret': secret } });

    it('makes up its own admin secret and signing key, kept in DATA_DIR/secrets.json with mode 0600', async () => {
      const file = await stat(join(dataDir, 'secrets.json'));
      expect((file.mode & 0o777).toString(8)).toBe('600');
      expect(secrets.adminSecret.length).toBeGreaterThanOrEqual(24);
      expect(Buffer.from(secrets.signingKey, 'base64url').length).toBeGreaterThanOrEqual(32);
      expect((await adminInfo(secrets.adminSecret)).status).toBe(200);
    });

    it('accepts no published or guessable default', async () => {
      for (const guess of [ADMIN_SECRET, 'test-admin-secret-123', 'admin', 'changeme', 'secret', 'password', 'wokibrain']) {
        expect((await adminInfo(guess)).status, guess).toBe(403);
      }
    });

    it('never writes the secrets, nor the demo owner password, to its logs; it names the file instead', async () => {
      const logs = served.output();
      expect(logs).toMatch(LISTENING);
      expect(logs).toContain(join(dataDir, 'secrets.json'));
      expect(logs).not.toContain(secrets.adminSecret);
      expect(logs).not.toContain(secrets.signingKey);
      expect(secrets.demoOwner?.password).toEqual(expect.any(String));
      expect(logs).not.toContain(secrets.demoOwner!.password);
      // The demo owner's password in the file is the real one.
      const login = await fetch(`${served.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(secrets.demoOwner),
      });
      expect(login.status).toBe(200);
      const { accessToken } = (await login.json()) as { accessToken: string };
      // Nor do the credentials a request carried reach the logs.
      await adminInfo(secrets.adminSecret);
      await fetch(`${served.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${accessToken}` } });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(served.output()).not.toContain(secrets.adminSecret);
      expect(served.output()).not.toContain(accessToken);
      expect(served.output()).not.toContain(secrets.demoOwner!.password);
    });

    it('keeps the same secret across a restart, and does not announce a new one', async () => {
      await served.stop();
      served = await serveWithoutSecrets(dataDir);
      expect((await adminInfo(secrets.adminSecret)).status).toBe(200);
      const again = JSON.parse(await readFile(join(dataDir, 'secrets.json'), 'utf8')) as SecretsFile;
      expect(again.adminSecret).toBe(secrets.adminSecret);
      expect(again.signingKey).toBe(secrets.signingKey);
      expect(served.output()).not.toContain('generated the admin secret');
      expect(served.output()).not.toContain(secrets.adminSecret);
    }, 60_000);
  });

  it('the configuration refuses a short or blank ADMIN_SECRET, a short JWT_SECRET and a wildcard CORS origin', () => {
    for (const secret of ['admin', 'short-1', '            ', ' 12345678901 ']) {
      expect(() => loadConfig({ ADMIN_SECRET: secret }), JSON.stringify(secret)).toThrow(/ADMIN_SECRET/);
    }
    expect(() => loadConfig({ JWT_SECRET: 'too-short' })).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS/);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://a.example/path' })).toThrow(/CORS_ORIGINS/);
    // By default: no admin secret (the server makes one up), no CORS origins, proxies not trusted.
    const defaults = loadConfig({});
    expect(defaults.adminSecret).toBeUndefined();
    expect(defaults.corsOrigins).toEqual([]);
    expect(defaults.trustProxy).toBe(false);
  });

  describe('answers of the running server', () => {
    let ctx: TestServer;

    beforeAll(async () => {
      ctx = await startServer({ seed: true });
    });
    afterAll(() => ctx.close());

    it('error answers never carry a stack trace, a source path or an exception name', async () => {
      const raw = (path: string, rawBody: string, contentType = 'application/json') =>
        ctx.request('POST', path, { rawBody, headers: { 'content-type': contentType } });
      const answers: [string, Reply][] = [
        ['malformed JSON', await raw('/api/v1/woki/bookings', '{"restaurantId": ')],
        ['prototype poisoning', await raw('/api/v1/woki/bookings', '{"__proto__": {"admin": true}, "restaurantId": "R1"}')],
        ['constructor poisoning', await raw('/api/v1/woki/bookings', '{"constructor": {"prototype": {"admin": true}}}')],
        ['wrong types', await ctx.request('POST', '/api/v1/woki/bookings', { body: { restaurantId: 1, partySize: 'two', date: [] } })],
        ['a JSON array', await raw('/api/v1/woki/bookings', '[1,2,3]')],
        ['not JSON', await raw('/api/v1/woki/bookings', 'restaurantId=R1', 'application/x-www-form-urlencoded')],
        ['unknown route', await ctx.request('GET', '/api/v1/no/such/thing', {})],
        ['wrong method', await ctx.request('PUT', '/api/v1/woki/bookings/B1', {})],
        ['bad URL encoding', await ctx.request('GET', '/api/v1/woki/bookings/%E0%A4%A', { headers: ADMIN })],
        [
          'impossible date',
          await ctx.request('GET', `/api/v1/woki/discover${qs({ ...DEMO, date: '2025-02-30', partySize: 2, duration: 60 })}`, {}),
        ],
        ['bad token', await ctx.request('GET', '/api/v1/woki/bookings/B1', { headers: { authorization: 'Bearer a.b.c' } })],
        ['bad login', await ctx.request('POST', '/api/v1/auth/login', { body: { email: 'not-an-email', password: 1 } })],
      ];
      for (const [what, reply] of answers) expectNoLeak(reply, what);
    });

    it('an internal fault answers 500 internal_error with a generic detail, not the exception', async () => {
      const fault = new Error('connection to db-primary.internal:5432 lost at /srv/app/store.ts:42');
      const spy = vi.spyOn(ctx.deps.reads, 'booking').mockRejectedValueOnce(fault);
      try {
        const reply = await ctx.request('GET', '/api/v1/woki/bookings/B1', { headers: ADMIN });
        expect(reply.status).toBe(500);
        expect(reply.body).toMatchObject({ error: 'internal_error' });
        expectNoLeak(reply, 'internal fault');
        expect(reply.text).not.toContain('db-primary');
        expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
      } finally {
        spy.mockRestore();
      }
    });

    it('security headers are on answers of every kind, refusals included; nothing names the framework', async () => {
      const answers = [
        await ctx.request('GET', '/health', {}),
        await ctx.request('POST', '/api/v1/woki/bookings', { body: bookingRequest(R1) }),
        await ctx.request('GET', '/api/v1/woki/bookings/B1', {}),
        await ctx.request('GET', '/api/v1/admin/info', { headers: { 'x-admin-secret': 'wrong-wrong-wrong' } }),
        await ctx.request('GET', '/api/v1/woki/bookings/NOPE', { headers: ADMIN }),
        await ctx.request('POST', '/api/v1/woki/bookings', {
          rawBody: 'x'.repeat(70_000),
          headers: { 'content-type': 'application/json' },
        }),
      ];
      expect(answers.map((reply) => reply.status)).toEqual([200, 201, 401, 403, 404, 413]);
      for (const reply of answers) {
        expect(reply.headers.get('x-content-type-options'), String(reply.status)).toBe('nosniff');
        expect(reply.headers.get('x-frame-options'), String(reply.status)).toBe('DENY');
        expect(reply.headers.get('content-security-policy'), String(reply.status)).toContain("default-src 'none'");
        expect(reply.headers.get('strict-transport-security'), String(reply.status)).toContain('max-age=');
        expect(reply.headers.get('x-powered-by')).toBeNull();
        expect(reply.headers.get('server')).toBeNull();
      }
      // An answer with guest data is not kept by any cache.
      expect(answers[1]!.headers.get('cache-control')).toBe('no-store');
    });

    it('CORS is closed by default: no Access-Control-Allow-* for any origin, preflights included', async () => {
      for (const origin of ['https://evil.example', 'null', 'http://localhost:3000']) {
        const simple = await ctx.request('GET', '/api/v1/woki/bookings/B1', { headers: { ...ADMIN, origin } });
        expect(simple.status).toBe(200);
        const preflight = await ctx.request('OPTIONS', '/api/v1/woki/bookings', {
          headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-admin-secret, content-type' },
        });
        for (const reply of [simple, preflight]) {
          expect(reply.headers.get('access-control-allow-origin'), origin).toBeNull();
          expect(reply.headers.get('access-control-allow-credentials'), origin).toBeNull();
          expect(reply.headers.get('access-control-allow-headers'), origin).toBeNull();
        }
      }
    });
  });
});
