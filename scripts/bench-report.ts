/**
 * A benchmark, not a test: how long the monthly report PDF of the demo's busiest month takes, and
 * whether the server's memory stays flat over twenty reports in a row (issue 9, "Speed").
 *
 *   node --expose-gc --import tsx scripts/bench-report.ts [--runs 20]
 *
 * Seeds the demo into an in-memory database at a fixed `now` (the same demo every time), then asks
 * the listening app for `/reports/monthly/{busiest}.pdf` as a manager, timing each answer and
 * reading the heap and RSS after each (after a GC when `--expose-gc` allows one).
 */
import { DateTime } from 'luxon';
import { openDatabase } from '../db/client.js';
import { accounts } from '../db/schema.js';
import { buildApp } from '../server/app.js';
import { testConfig } from '../server/config.js';
import { parseInstant, toStored, ZONE } from '../server/domain/time.js';
import { monthPeriod } from '../server/reports/period.js';
import { reportPdf } from '../server/reports/report-pdf.js';
import { ReferenceCache } from '../server/repositories/reference-cache.js';
import { loadReport } from '../server/services/reports.js';
import { hashPassword } from '../server/services/secrets.js';
import { seedDemo } from './seed-demo.js';

const NOW = parseInstant('2026-11-20T12:00');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 20;
const gc = (globalThis as { gc?: () => void }).gc;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const ms = (n: number) => `${n.toFixed(0)} ms`;

function memory() {
  gc?.();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss, external: m.external + m.arrayBuffers };
}

async function main(): Promise<void> {
  const config = testConfig();
  const db = openDatabase(':memory:');
  const t0 = performance.now();
  const seeded = await seedDemo(db, { now: NOW, config });
  if (!seeded.seeded) throw new Error(seeded.reason);
  const busiest = db.$client.prepare(`SELECT substr(use_date, 1, 7) AS month, count(*) AS n FROM bookings GROUP BY month ORDER BY n DESC LIMIT 1`).get() as { month: string; n: number };
  console.log(`demo seeded in ${ms(performance.now() - t0)}; busiest month ${busiest.month} with ${busiest.n} bookings`);
  if (!gc) console.log('(run with node --expose-gc --import tsx for memory figures after a GC)');

  // The parts, once warm: reading and computing, then drawing the PDF.
  const deps = { db, clock: () => DateTime.now().setZone(ZONE), config, reference: new ReferenceCache(db) };
  const period = monthPeriod(busiest.month);
  for (let i = 0; i < 3; i++) {
    const a = performance.now();
    const data = loadReport(deps, period);
    const b = performance.now();
    const pdf = await reportPdf(data);
    const c = performance.now();
    console.log(`direct #${i + 1}: data ${ms(b - a)}, pdf ${ms(c - b)} (${Math.round(pdf.length / 1024)} KB)${i === 0 ? '  ← first: reads and parses the font files' : ''}`);
  }

  // Through the server, as a manager downloads it.
  db.insert(accounts).values({ role: 'manager', name: 'bench', email: 'bench@example.jp', passwordHash: await hashPassword('bench-password-1', config.scryptLogN), createdAt: toStored(NOW) }).run();
  // Over a real socket: `app.inject` keeps a little of every response it builds (about twice the
  // body, measured here), which would show as growth that a listening server does not have.
  const app = await buildApp({ db, clock: () => NOW, config });
  const origin = await app.listen({ host: '127.0.0.1', port: 0 });
  const login = await fetch(`${origin}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench@example.jp', password: 'bench-password-1' }) });
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const before = memory();
  const times: number[] = [];
  const samples: ReturnType<typeof memory>[] = [];
  for (let i = 0; i < RUNS; i++) {
    const a = performance.now();
    const res = await fetch(`${origin}/reports/monthly/${busiest.month}.pdf`, { headers: { cookie } });
    const bytes = await res.arrayBuffer();
    times.push(performance.now() - a);
    if (res.status !== 200 || bytes.byteLength < 1000) throw new Error(`report answered ${res.status}`);
    samples.push(memory());
  }
  await app.close();
  db.$client.close();

  const sorted = [...times].sort((x, y) => x - y);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  console.log(`\nGET /reports/monthly/${busiest.month}.pdf × ${RUNS}: first ${ms(times[0]!)}, median ${ms(median)}, max ${ms(sorted[sorted.length - 1]!)}`);
  console.log('run   time     heap      rss       external');
  samples.forEach((s, i) => console.log(`${String(i + 1).padStart(3)}  ${ms(times[i]!).padStart(7)}  ${mb(s.heap).padStart(8)}  ${mb(s.rss).padStart(8)}  ${mb(s.external).padStart(8)}`));
  const last = samples[samples.length - 1]!;
  const fifth = samples[Math.min(4, samples.length - 1)]!;
  console.log(`\nheap before ${mb(before.heap)}, after run 5 ${mb(fifth.heap)}, after run ${RUNS} ${mb(last.heap)} (growth 5→${RUNS}: ${mb(last.heap - fifth.heap)})`);
  console.log(`rss  before ${mb(before.rss)}, after run 5 ${mb(fifth.rss)}, after run ${RUNS} ${mb(last.rss)} (growth 5→${RUNS}: ${mb(last.rss - fifth.rss)})`);
  console.log(median < 1000 ? `OK: median under one second` : `SLOW: median ${ms(median)} is over one second`);
}

main().catch((err: unknown) => {
  console.error('bench-report failed:', err instanceof Error ? err.stack ?? err.message : err);
  process.exitCode = 1;
});
