import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Tests send far more than a client would; a test about the limits sets its own. */
const UNLIMITED = {
  RATE_LIMIT_MAX: '10000000',
  RATE_LIMIT_AUTHENTICATED_MAX: '10000000',
  RATE_LIMIT_CREATE_MAX: '10000000',
  RATE_LIMIT_LOGIN_MAX: '10000000',
};
const LISTENING = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/;

export interface ServerProcess {
  url: string;
  process: ChildProcess;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL: the process gets no chance to flush anything. */
  kill(): Promise<void>;
}

const STAFF = { ADMIN_SECRET: 'test-admin-secret-123' };

/** The platform admin's header for the servers `startServer` starts: listing and reading bookings need staff. */
export const ADMIN_HEADERS: Readonly<Record<string, string>> = { 'x-admin-secret': STAFF.ADMIN_SECRET };

/** Starts `wokibrain serve` as a real process on a free port (TypeScript run through tsx). */
export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ADMIN_SECRET: STAFF.ADMIN_SECRET, ...UNLIMITED, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = LISTENING.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  // Keep draining the pipes so that a chatty server never blocks on a full buffer.
  child.stdout!.removeAllListeners('data').resume();
  child.stderr!.removeAllListeners('data').resume();
  const ended = once(child, 'exit');
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await ended;
  };
  return { url, process: child, stop: () => end('SIGTERM'), kill: () => end('SIGKILL') };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}
