/**
 * `npm run report -- 2026-11 [--out dir]`: writes a month's report (PDF, bookings CSV, summary CSV)
 * from the database at DATABASE_PATH into a folder (default `reports-out/`), for a manager's
 * scheduled job. `npm run report -- 2026` writes the fiscal year 2026 (April 2026 – March 2027).
 * Prints each step; exits non-zero when anything fails.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DateTime } from 'luxon';
import { migrateDatabase, openDatabase } from '../db/client.js';
import { readConfig } from '../server/config.js';
import { ZONE } from '../server/domain/time.js';
import { fiscalPeriod, monthPeriod, periodKey, type ReportPeriod } from '../server/reports/period.js';
import { ReferenceCache } from '../server/repositories/reference-cache.js';
import type { Deps } from '../server/services/context.js';
import { loadReport, reportFile, type ReportFormat } from '../server/services/reports.js';

const USAGE = 'usage: npm run report -- <YYYY-MM | YYYY (fiscal year)> [--out <dir>]';

function parseArgs(argv: string[]): { period: ReportPeriod; out: string } {
  let out = 'reports-out';
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--out') {
      const dir = argv[++i];
      if (!dir) throw new Error(`--out needs a folder\n${USAGE}`);
      out = dir;
    } else if (arg.startsWith('--out=')) out = arg.slice('--out='.length);
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else rest.push(arg);
  }
  if (rest.length !== 1) throw new Error(USAGE);
  const key = rest[0]!;
  return { period: /^\d{4}$/.test(key) ? fiscalPeriod(key) : monthPeriod(key), out };
}

async function main(): Promise<void> {
  const { period, out } = parseArgs(process.argv.slice(2));
  const config = readConfig();
  if (config.databasePath !== ':memory:' && !existsSync(config.databasePath)) {
    throw new Error(`no database at ${config.databasePath} (set DATABASE_PATH)`);
  }
  const started = performance.now();
  const db = openDatabase(config.databasePath);
  // A database an older version made gains the tables the report reads, as `npm start` would add them.
  migrateDatabase(db);
  try {
    const deps: Deps = { db, clock: () => DateTime.now().setZone(ZONE), config, reference: new ReferenceCache(db) };
    console.log(`report ${periodKey(period)} (${period.from} – ${period.to}) from ${config.databasePath}`);
    const data = loadReport(deps, period);
    console.log(`  read: ${data.bookings.all} bookings (${data.bookings.live} in use), ${data.money.payments.count} payments  [${Math.round(performance.now() - started)} ms]`);
    const dir = resolve(out);
    mkdirSync(dir, { recursive: true });
    const formats: ReportFormat[] = period.kind === 'month' ? ['pdf', 'csv', 'summary.csv'] : ['pdf', 'summary.csv'];
    for (const format of formats) {
      const t0 = performance.now();
      const file = await reportFile(data, format);
      const path = join(dir, `${periodKey(period)}.${format}`);
      writeFileSync(path, file.body);
      console.log(`  wrote ${path} (${Math.max(1, Math.round(file.body.length / 1024))} KB, ${Math.round(performance.now() - t0)} ms)`);
    }
    console.log(`done in ${Math.round(performance.now() - started)} ms`);
  } finally {
    db.$client.close();
  }
}

main().catch((err: unknown) => {
  console.error(`report failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
