import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';
import { percentile } from './stats.js';

/** One HTTP request of a load: what `next` hands the loop. */
export interface ScaleRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

export interface ClosedLoopResult {
  /** Requests answered with an expected status. */
  ok: number;
  /** Errors and answers of another status. */
  failed: number;
  /** The first unexpected answer, to show what went wrong. */
  firstFailure: string | undefined;
  seconds: number;
  /** Answers (of any status) per second. */
  perSecond: number;
  /** Expected answers per second. */
  okPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Sends one request on a keep-alive connection; the status and the body's text. */
function send(agent: Agent, base: URL, r: ScaleRequest): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...r.headers };
    if (r.body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(r.body));
    }
    const req = request({ agent, host: base.hostname, port: base.port, method: r.method, path: r.path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(r.body);
  });
}

/**
 * `clients` callers, each sending its next request as soon as the last one is
 * answered, for `seconds`. Every request comes from `next`, so no two callers need
 * ask the same (autocannon starts every connection on the same request list, and
 * records whole milliseconds). Latency is measured per request with the monotonic
 * clock, from before the request to the end of the answer.
 */
export async function closedLoop(
  baseUrl: string,
  clients: number,
  seconds: number,
  next: () => ScaleRequest,
  expected: readonly number[],
): Promise<ClosedLoopResult> {
  const base = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  let firstFailure: string | undefined;
  const started = performance.now();
  const until = started + seconds * 1000;
  try {
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (performance.now() < until) {
          const r = next();
          const at = performance.now();
          try {
            const answer = await send(agent, base, r);
            latencies.push(performance.now() - at);
            if (expected.includes(answer.status)) ok++;
            else {
              failed++;
              firstFailure ??= `${r.method} ${r.path} answered ${answer.status}: ${answer.text.slice(0, 300)}`;
            }
          } catch (error) {
            failed++;
            firstFailure ??= `${r.method} ${r.path}: ${error instanceof Error ? error.message : String(error)}`;
          }
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  const elapsed = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return {
    ok,
    failed,
    firstFailure,
    seconds: elapsed,
    perSecond: latencies.length / elapsed,
    okPerSecond: ok / elapsed,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.length > 0 ? sorted[sorted.length - 1]! : Number.NaN,
  };
}

export interface ProbeResult {
  probes: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * What an orchestrator sees: each path probed in turn, one request at a time with
 * `pauseMs` between, for `seconds` and nothing else sent. A stall of the event loop
 * (a sweep that holds it) shows as a probe that waited for it: the maximum.
 */
export async function probeHealth(baseUrl: string, paths: readonly string[], seconds: number, pauseMs = 2): Promise<ProbeResult[]> {
  const base = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies = paths.map(() => [] as number[]);
  const failed = paths.map(() => 0);
  const until = performance.now() + seconds * 1000;
  try {
    while (performance.now() < until) {
      for (let i = 0; i < paths.length; i++) {
        const at = performance.now();
        try {
          const answer = await send(agent, base, { method: 'GET', path: paths[i]! });
          latencies[i]!.push(performance.now() - at);
          if (answer.status !== 200) failed[i]!++;
        } catch {
          failed[i]!++;
        }
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    }
  } finally {
    agent.destroy();
  }
  return latencies.map((values, i) => {
    const sorted = Float64Array.from(values).sort();
    return {
      probes: values.length,
      failed: failed[i]!,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      maxMs: sorted.length > 0 ? sorted[sorted.length - 1]! : Number.NaN,
    };
  });
}

/** Resident set size of a process, in bytes (Linux /proc); NaN where it cannot be read. */
export function rssBytes(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.replace(/\D+/g, '')) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** CPU time a process has used so far, user and system, in seconds (Linux /proc); NaN where it cannot be read. */
export function cpuSeconds(pid: number): number {
  try {
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th, in clock ticks (100 a second).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}
