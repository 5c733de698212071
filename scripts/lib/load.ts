/**
 * A typed wrapper over autocannon for the bench: it ships no types, and the bench needs three
 * things from it that its defaults hide: a body per request, a count of answers by status (only
 * 201s are bookings), and stopping early when the requests to send run out.
 */
import { createRequire } from 'node:module';

interface RawRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}

interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  requests: { total: number; average: number };
  latency: { p50: number; p99: number; average: number };
}

interface AutocannonInstance {
  stop(): void;
}

type Autocannon = (
  opts: Record<string, unknown>,
  cb: (err: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface LoadOptions {
  url: string;
  seconds: number;
  connections: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** The i-th request's path and body; null when there is nothing left to send (the run stops). */
  next?: (i: number) => { path: string; body?: string } | null;
}

export interface LoadResult {
  seconds: number;
  total: number;
  perSecond: number;
  byStatus: Record<number, number>;
  errors: number;
  latencyP50: number;
  latencyP99: number;
  /** Whether `next` ran out before the time was up. */
  exhausted: boolean;
}

export function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const byStatus: Record<number, number> = {};
  let i = 0;
  let exhausted = false;
  let instance: AutocannonInstance | undefined;
  const next = opts.next;
  const request: Record<string, unknown> = {
    method: opts.method ?? 'GET',
    onResponse: (status: number) => {
      byStatus[status] = (byStatus[status] ?? 0) + 1;
    },
  };
  if (next) {
    let last: { path: string; body?: string } | null = null;
    request.setupRequest = (req: RawRequest) => {
      const item = next(i++);
      if (item === null) {
        // Out of work: stop, and send the previous request again meanwhile (its answer is not a 201).
        if (!exhausted) {
          exhausted = true;
          setImmediate(() => instance?.stop());
        }
        return last ? { ...req, path: last.path, body: last.body } : req;
      }
      last = item;
      return { ...req, path: item.path, ...(item.body !== undefined ? { body: item.body } : {}) };
    };
  }
  return new Promise((resolve, reject) => {
    instance = autocannon({
      url: opts.url,
      connections: opts.connections,
      duration: opts.seconds,
      headers: opts.headers ?? {},
      requests: [request],
    }, (err, result) => {
      if (err) return reject(err);
      const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
      resolve({
        seconds: result.duration,
        total,
        perSecond: total / result.duration,
        byStatus,
        errors: result.errors + result.timeouts,
        latencyP50: result.latency.p50,
        latencyP99: result.latency.p99,
        exhausted,
      });
    });
  });
}
