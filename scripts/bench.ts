/**
 * `npm run bench [-- --quick | --seconds N]`: starts the real server on a fresh copy of the demo
 * data and measures, in one run, `GET /healthz`, `GET /api/v1/availability` and
 * `POST /api/v1/bookings` with autocannon. Only 201s count as booking writes: each request books a
 * distinct free slot, so a 409 would mean the bench, not the server, went wrong.
 *
 * Bars on the 2-core reference machine (load generator on the same machine, so only ratios travel):
 * availability at least 60% of /healthz throughput; at least 1,000 booking writes a second.
 * A missed bar is reported and the run still exits 0; a run that breaks exits 1.
 * Last, scripts/bench-sync.ts measures booking writes with `synchronous = NORMAL` against `FULL`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { openDatabase } from '../db/client.js';
import { readConfig } from '../server/config.js';
import { DEFAULT_RULES } from '../server/domain/rules.js';
import { ZONE, addDays, toApi, tokyoDate } from '../server/domain/time.js';
import { windowOpensAt } from '../server/domain/windows.js';
import { makeServices } from '../server/services/index.js';
import { seedDemo } from './seed-demo.js';
import { runLoad, type LoadResult } from './lib/load.js';
import { benchSynchronous } from './bench-sync.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CONNECTIONS = 10;
/** Spaces that never overlap one another (the whole training room would collide with its parts). */
const BENCH_SPACES = ['small-1', 'small-2', 'training-a', 'training-b', 'lounge', 'hall', 'plaza'];
const AVAILABILITY_SPACES = ['hall', 'training', 'training-a', 'training-b', 'small-1', 'small-2', 'lounge', 'plaza'];
const ADMIN_EMAIL = 'bench-admin@hiroba.local';
const ADMIN_PASSWORD = 'bench-admin-password';

interface Slot {
  space: string;
  start: string;
  end: string;
  /** Beyond the general window: the desk books it with an override reason (audited), as staff may. */
  override: boolean;
}

function args(): { seconds: number } {
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--seconds');
  if (i >= 0) {
    const n = Number(argv[i + 1]);
    if (!Number.isFinite(n) || n <= 0) throw new Error('--seconds takes a positive number');
    return { seconds: n };
  }
  return { seconds: argv.includes('--quick') ? 3 : 10 };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Free one-hour slots of the year ahead, read through the same availability service the API uses. */
function freeSlots(dbPath: string, now: DateTime, config: ReturnType<typeof readConfig>): Slot[] {
  const db = openDatabase(dbPath);
  try {
    const services = makeServices({ db, clock: () => now, config });
    const slots: Slot[] = [];
    const today = tokyoDate(now);
    for (let d = 2; d <= 365; d += 1) {
      const date = addDays(today, d);
      const override = windowOpensAt(date, 'general', DEFAULT_RULES.windows) > now;
      for (const space of BENCH_SPACES) {
        for (const f of services.spaces.availability({ space, date }).free) {
          const end = DateTime.fromISO(f.end, { zone: ZONE });
          let t = DateTime.fromISO(f.start, { zone: ZONE });
          if (t.minute % 30 !== 0) t = t.plus({ minutes: 30 - (t.minute % 30) }).startOf('minute');
          for (; t.plus({ hours: 1 }) <= end; t = t.plus({ hours: 1 })) {
            slots.push({ space, start: toApi(t), end: toApi(t.plus({ hours: 1 })), override });
          }
        }
      }
    }
    return slots;
  } finally {
    db.$client.close();
  }
}

async function waitForHealth(base: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${stderr()}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server did not answer /healthz within 60 s:\n${stderr()}`);
}

async function json(res: Response, expected: number, what: string): Promise<Record<string, unknown>> {
  const body = (await res.json()) as Record<string, unknown>;
  if (res.status !== expected) throw new Error(`${what}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

function rssMb(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(8);
const statuses = (r: LoadResult) => Object.entries(r.byStatus).map(([s, n]) => `${s}×${n}`).join(' ');

async function main(): Promise<void> {
  const { seconds } = args();
  const config = { ...readConfig(), logLevel: 'silent' };
  const now = DateTime.now().setZone(ZONE);
  const dir = mkdtempSync(join(tmpdir(), 'hiroba-bench-'));
  const dbPath = join(dir, 'bench.db');
  let child: ChildProcess | undefined;
  try {
    process.stdout.write(`Seeding the demo into ${dbPath} … `);
    const db = openDatabase(dbPath);
    const seeded = await seedDemo(db, { now, config });
    db.$client.close();
    if (!seeded.seeded) throw new Error(seeded.reason);
    const slots = freeSlots(dbPath, now, config);
    console.log(`${seeded.summary.booked} bookings; ${slots.length} free one-hour slots to book.`);

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let stderr = '';
    child = spawn(process.execPath, [...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean), '--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env, HOST: '127.0.0.1', PORT: String(port), DATABASE_PATH: dbPath, LOG_LEVEL: 'warn',
        ADMIN_EMAIL, ADMIN_PASSWORD, SCRYPT_LOG_N: '12', COOKIE_SECURE: 'false', BENCH_ROUTES: 'true',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    await waitForHealth(base, child, () => stderr);

    // A manager's API token, as an integrator would use: the bench books walk-ins at the desk.
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    });
    await json(login, 200, 'login');
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const { token } = await json(await fetch(`${base}/api/v1/api-tokens`, {
      method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ name: 'bench' }),
    }), 201, 'api token') as { token: string };

    const today = tokyoDate(now);
    const availabilityPaths = Array.from({ length: 90 }, (_, d) => addDays(today, d))
      .flatMap((date) => AVAILABILITY_SPACES.map((space) => `/api/v1/availability?space=${space}&date=${date}`));
    const availability = (i: number) => ({ path: availabilityPaths[i % availabilityPaths.length]! });
    let slotNo = 0;
    const booking = () => {
      const s = slots[slotNo++];
      if (!s) return null;
      return {
        path: '/api/v1/bookings',
        body: JSON.stringify({
          space: s.space, start: s.start, end: s.end, purpose: '打合せ', attendees: 4,
          walkIn: { name: `山田 太郎${slotNo}`, phone: '090-1234-5678' },
          ...(s.override ? { overrideReason: 'ベンチマーク: 受付期間外の窓口予約' } : {}),
        }),
      };
    };
    const bookingHeaders = { 'content-type': 'application/json', authorization: `Bearer ${token}` };

    // Warm the JIT and the page cache on each endpoint first.
    console.log(`Warming up, then ${seconds} s per endpoint with ${CONNECTIONS} connections …`);
    // Other work on the machine skews every figure: say how busy it was.
    const loadBefore = loadavg()[0]!;
    await runLoad({ url: base, seconds: 1, connections: CONNECTIONS });
    await runLoad({ url: base, seconds: 1, connections: CONNECTIONS, next: availability });
    const warmSlots = Math.min(500, Math.floor(slots.length / 20));
    await runLoad({ url: base, seconds: 1, connections: CONNECTIONS, method: 'POST', headers: bookingHeaders, next: () => (slotNo < warmSlots ? booking() : null) });

    // The week grid of all spaces, on a busy date of the demo, against a bare Eta page.
    const gridUrl = `${base}/spaces?date=${tokyoDate(DateTime.now().setZone(ZONE))}`;
    await runLoad({ url: gridUrl, seconds: 1, connections: CONNECTIONS });
    await runLoad({ url: `${base}/_bench/eta`, seconds: 1, connections: CONNECTIONS });

    const health = await runLoad({ url: `${base}/healthz`, seconds, connections: CONNECTIONS });
    const avail = await runLoad({ url: base, seconds, connections: CONNECTIONS, next: availability });
    const writes = await runLoad({ url: base, seconds, connections: CONNECTIONS, method: 'POST', headers: bookingHeaders, next: booking });
    const eta = await runLoad({ url: `${base}/_bench/eta`, seconds, connections: CONNECTIONS });
    const grid = await runLoad({ url: gridUrl, seconds, connections: CONNECTIONS });
    // The monthly PDF for the city, of this month of the demo: sequential, as a manager asks for it.
    const month = today.slice(0, 7);
    const pdfMs: number[] = [];
    for (let i = 0; i < 6; i++) {
      const t0 = performance.now();
      const res = await fetch(`${base}/reports/monthly/${month}.pdf`, { headers: { cookie } });
      const bytes = (await res.arrayBuffer()).byteLength;
      if (res.status !== 200 || bytes < 10_000) throw new Error(`monthly PDF answered ${res.status} with ${bytes} bytes`);
      if (i > 0) pdfMs.push(performance.now() - t0); // the first one warms the fonts
    }
    pdfMs.sort((a, b) => a - b);
    const pdfMedian = pdfMs[Math.floor(pdfMs.length / 2)]!;
    const rss = rssMb(child.pid);
    const gridRatio = grid.perSecond / eta.perSecond;

    const created = writes.byStatus[201] ?? 0;
    const writesPerSecond = created / writes.seconds;
    const ratio = avail.perSecond / health.perSecond;
    const broken = [health, avail, writes, eta, grid].some((r) => r.errors > 0 || r.total === 0);
    console.log('');
    console.log('  endpoint                       req/s   p50 ms   p99 ms   answers');
    console.log(`  GET /healthz                ${fmt(health.perSecond)} ${String(health.latencyP50).padStart(8)} ${String(health.latencyP99).padStart(8)}   ${statuses(health)}`);
    console.log(`  GET /api/v1/availability    ${fmt(avail.perSecond)} ${String(avail.latencyP50).padStart(8)} ${String(avail.latencyP99).padStart(8)}   ${statuses(avail)}`);
    console.log(`  POST /api/v1/bookings       ${fmt(writes.perSecond)} ${String(writes.latencyP50).padStart(8)} ${String(writes.latencyP99).padStart(8)}   ${statuses(writes)}${writes.exhausted ? ` (ran out of free slots after ${writes.seconds} s)` : ''}`);
    console.log(`  GET /_bench/eta (30 rows)   ${fmt(eta.perSecond)} ${String(eta.latencyP50).padStart(8)} ${String(eta.latencyP99).padStart(8)}   ${statuses(eta)}`);
    console.log(`  GET /spaces (week grid)     ${fmt(grid.perSecond)} ${String(grid.latencyP50).padStart(8)} ${String(grid.latencyP99).padStart(8)}   ${statuses(grid)}`);
    console.log('');
    console.log(`  availability / healthz      ${(ratio * 100).toFixed(0)}%   bar ≥ 60%     ${ratio >= 0.6 ? 'PASS' : 'FAIL'}`);
    console.log(`  booking writes (201s) /s    ${Math.round(writesPerSecond).toLocaleString('en-US')}   bar ≥ 1,000   ${writesPerSecond >= 1000 ? 'PASS' : 'FAIL'}`);
    console.log(`  week grid / bare Eta page   ${(gridRatio * 100).toFixed(0)}%   bar ≥ 50%     ${gridRatio >= 0.5 ? 'PASS' : 'FAIL'}`);
    console.log(`  monthly PDF (${month})      ${pdfMedian.toFixed(0)} ms median of ${pdfMs.length}   = the time of ${Math.round(pdfMedian / 1000 * health.perSecond).toLocaleString('en-US')} /healthz answers`);
    console.log(`  server RSS after the run    ${rss === null ? 'n/a' : `${rss.toFixed(0)} MB`}`);
    console.log(`  machine                     ${cpus().length} cores; 1-min load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after (the bench itself adds ~2)`);
    if (writes.total - created > 0) console.log(`  note: ${writes.total - created} booking requests were not 201 (${statuses(writes)})`);
    if (broken) throw new Error('a load run had connection errors or no answers');
  } finally {
    if (child) await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
  // Last, with the server stopped: what `synchronous = FULL` would cost per write (README, "Durability").
  benchSynchronous({ seconds });
}

main().catch((err: unknown) => {
  console.error('bench failed:', err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
