import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

interface OpLatency {
  /** Observations per bucket, not cumulative; over the last bound they count only in `count`. */
  perBucket: number[];
  sum: number;
  count: number;
}

/**
 * A histogram of latencies by op that counts in plain arrays: prom-client's own
 * `observe` validates and hashes its labels on every request. Scraped, it
 * exports exactly what prom-client's Histogram does (the shape of its
 * `lib/histogram.js`), so /metrics reads the same.
 */
class LatencyByOp extends Histogram<'op'> {
  private readonly ops = new Map<string, OpLatency>();

  constructor(
    private readonly metricName: string,
    private readonly helpText: string,
    registry: Registry,
  ) {
    super({ name: metricName, help: helpText, labelNames: ['op'], buckets: LATENCY_BUCKETS, registers: [registry] });
  }

  record(op: string, seconds: number): void {
    let latency = this.ops.get(op);
    if (!latency) {
      latency = { perBucket: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.ops.set(op, latency);
    }
    let bucket = 0;
    while (bucket < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[bucket]!) bucket++;
    if (bucket < LATENCY_BUCKETS.length) latency.perBucket[bucket]!++;
    latency.sum += seconds;
    latency.count++;
  }

  override reset(): void {
    // Also called by prom-client's constructor, before this class's fields exist.
    this.ops?.clear();
    super.reset();
  }

  /** What the registry prints (and `get()` flattens): prom-client's export shape. */
  async getForPromString() {
    const name = `${this.metricName}_bucket`;
    const values: object[] = [];
    for (const [op, latency] of this.ops) {
      const shared = { op };
      let cumulative = 0;
      LATENCY_BUCKETS.forEach((le, i) => {
        cumulative += latency.perBucket[i]!;
        values.push({ labels: { le }, sharedLabels: shared, value: cumulative, metricName: name, exemplar: null });
      });
      values.push(
        { labels: { le: '+Inf' }, sharedLabels: shared, value: latency.count, metricName: name, exemplar: null },
        { labels: {}, sharedLabels: shared, value: latency.sum, metricName: `${this.metricName}_sum`, exemplar: undefined },
        { labels: {}, sharedLabels: shared, value: latency.count, metricName: `${this.metricName}_count`, exemplar: undefined },
      );
    }
    return { name: this.metricName, help: this.helpText, type: 'histogram', values, aggregator: 'sum' };
  }
}

/**
 * A registry of this server's own: request counts and latencies per op and
 * outcome. Requests are counted in plain maps and handed to prom-client when
 * /metrics is read, so that counting costs each request next to nothing.
 */
export function registerMetrics(server: FastifyInstance): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'wokibrain_' });
  const counted = new Map<string, { labels: { op: string; status: number; outcome: string }; value: number }>();
  new Counter({
    name: 'wokibrain_http_requests_total',
    help: 'HTTP requests by op, status and outcome',
    labelNames: ['op', 'status', 'outcome'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { labels, value } of counted.values()) this.inc(labels, value);
    },
  });
  const latency = new LatencyByOp('wokibrain_http_request_duration_seconds', 'HTTP request latency by op', registry);
  server.addHook('onResponse', (request, reply, done) => {
    const op = request.routeOptions.config.op ?? 'unrouted';
    const status = reply.statusCode;
    const outcome = request.outcome;
    const key = `${op} ${status} ${outcome}`;
    const requests = counted.get(key);
    if (requests) requests.value++;
    else counted.set(key, { labels: { op, status, outcome }, value: 1 });
    latency.record(op, reply.elapsedTime / 1000);
    done();
  });
  return registry;
}
