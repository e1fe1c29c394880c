import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** `npm run build`, quietly unless it fails. */
export function buildOnce(): void {
  const result = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(
      `npm run build failed (exit ${result.status}); fix the build, or pass --no-build to use the existing dist/:\n` +
        `${result.stdout}\n${result.stderr}`,
    );
  }
}

/**
 * The server's entry in dist/: `dist/src/main.js`, or `dist/src/cli.js serve` once
 * the project has a CLI instead. Chosen from src/, so a stale dist file is never run.
 */
export function serverEntry(root = ROOT): string[] {
  if (existsSync(join(root, 'src', 'main.ts'))) return ['dist/src/main.js'];
  if (existsSync(join(root, 'src', 'cli.ts'))) return ['dist/src/cli.js', 'serve'];
  throw new Error('no server entry: neither src/main.ts nor src/cli.ts exists');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunningServer {
  baseUrl: string;
  adminSecret: string;
  pid: number;
  stop(): Promise<void>;
}

/** CPU time (user + system) of a process so far, in clock ticks; undefined where /proc is not there. */
function cpuTicks(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

/**
 * Waits until the process has used under a tenth of a core for half a second (at most
 * `maxMs`): after a setup over HTTP the server still works through what it wrote (the
 * log subscribers, a WAL checkpoint), which would otherwise be billed to the first rows.
 * Returns how long it waited.
 */
export async function settle(pid: number, maxMs = 15_000): Promise<number> {
  const started = Date.now();
  const step = 250;
  let quiet = 0;
  let last = cpuTicks(pid);
  if (last === undefined) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    return Date.now() - started;
  }
  while (quiet < 2 && Date.now() - started < maxMs) {
    await new Promise((resolve) => setTimeout(resolve, step));
    const now = cpuTicks(pid);
    if (now === undefined) break;
    // Clock ticks are 10 ms: under 2.5 ticks in 250 ms is under a tenth of a core.
    quiet = now - last < 2.5 ? quiet + 1 : 0;
    last = now;
  }
  return Date.now() - started;
}

export interface ServerOptions {
  /** Extra node flags for the server process, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  /** STORE for the server; `sqlite` gets a fresh temporary DATA_DIR. */
  store?: 'memory' | 'sqlite';
  readyTimeoutMs?: number;
  /** Extra environment for the server, e.g. DISCOVER_CACHE_ENTRIES=0. */
  env?: Record<string, string>;
  /** The checkout whose built server runs (another commit's worktree, to compare with); default this one. */
  root?: string;
}

/** Spawns `node dist/src/main.js` on a free port with a random admin secret and waits until it is ready. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const port = await freePort();
  const adminSecret = randomBytes(24).toString('base64url');
  const store = options.store ?? 'memory';
  const dataDir = store === 'sqlite' ? await mkdtemp(join(tmpdir(), 'wokibrain-bench-')) : undefined;
  const removeData = async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
  const root = options.root ?? ROOT;
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...serverEntry(root)], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      ADMIN_SECRET: adminSecret,
      LOG_LEVEL: 'warn',
      // The load comes from one IP: far over any client's budget.
      RATE_LIMIT_MAX: '100000000',
      RATE_LIMIT_AUTHENTICATED_MAX: '100000000',
      RATE_LIMIT_CREATE_MAX: '100000000',
      SEED_DEMO: 'true',
      STORE: store,
      ...(dataDir ? { DATA_DIR: dataDir } : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = await whenReady(child, `${baseUrl}/health/ready`, options.readyTimeoutMs ?? 20_000, removeData);
  return { baseUrl, adminSecret, pid: child.pid!, stop };
}

export interface BareServer {
  baseUrl: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * The ceiling for a cached answer (`bench/bareFastify.ts`): plain Fastify in a process of
 * its own, one GET route at `path` that sends `body` as `contentType`, nothing else.
 */
export async function startBareServer(path: string, body: string, contentType: string): Promise<BareServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'bareFastify.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), BARE_PATH: path, BARE_BODY: body, BARE_CONTENT_TYPE: contentType },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = await whenReady(child, `${baseUrl}${path}`, 20_000, async () => {});
  return { baseUrl, pid: child.pid!, stop };
}

/** Waits until `readyUrl` answers 2xx; returns how to stop the process (and then `cleanUp`). */
async function whenReady(
  child: ChildProcess,
  readyUrl: string,
  timeoutMs: number,
  cleanUp: () => Promise<void>,
): Promise<() => Promise<void>> {
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (gone) {
      await cleanUp();
      throw new Error(`server exited before it was ready:\n${output}`);
    }
    try {
      const response = await fetch(readyUrl);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopChild(child, exited);
      await cleanUp();
      throw new Error(`server not ready after ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return async () => {
    await stopChild(child, exited);
    await cleanUp();
  };
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
