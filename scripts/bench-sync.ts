/**
 * What `synchronous = FULL` would cost (README, "Durability"): booking transactions per second on a
 * file database with `synchronous = NORMAL` (what db/client.ts sets) and with `FULL`, in one run on
 * the same disk. Each write is a real `bookings.create` by the desk — one BEGIN IMMEDIATE
 * transaction that expires overdue bookings, re-checks every rule and conflict, and inserts the
 * booking and its audit row — called in-process, so the figure is the database's, not HTTP's.
 * After an uncounted warm-up, the modes alternate (NORMAL, FULL, NORMAL, FULL) on fresh files, so
 * drift on the machine hits both.
 *
 * Run by `npm run bench` as its last section, or alone: `npx tsx scripts/bench-sync.ts [--seconds N]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { accounts } from '../db/schema.js';
import { migrateDatabase, openDatabase } from '../db/client.js';
import { readConfig } from '../server/config.js';
import { DEFAULT_RULES } from '../server/domain/rules.js';
import { ZONE, addDays, toApi, toStored, tokyoDate } from '../server/domain/time.js';
import { windowOpensAt } from '../server/domain/windows.js';
import type { Actor } from '../server/services/context.js';
import { makeServices } from '../server/services/index.js';
import { ensureReferenceData } from '../server/services/reference.js';

type Mode = 'NORMAL' | 'FULL';
/** Spaces that never overlap one another. */
const SPACES = ['small-1', 'small-2', 'training-a', 'training-b', 'lounge', 'hall'];

export interface SyncResult {
  mode: Mode;
  writes: number;
  seconds: number;
  perSecond: number;
}

/** Books free one-hour slots for `seconds` on a fresh file database in the given mode. */
function round(dir: string, mode: Mode, seconds: number, n: number): SyncResult {
  const now = DateTime.now().setZone(ZONE);
  const path = join(dir, `sync-${mode.toLowerCase()}-${n}.db`);
  const db = openDatabase(path);
  try {
    migrateDatabase(db);
    ensureReferenceData(db, toStored(now));
    db.$client.pragma(`synchronous = ${mode}`);
    const actual = db.$client.pragma('synchronous', { simple: true });
    if (actual !== (mode === 'FULL' ? 2 : 1)) throw new Error(`synchronous is ${String(actual)}, not ${mode}`);
    const config = { ...readConfig({}), logLevel: 'silent' };
    const services = makeServices({ db, clock: () => now, config });
    const staffId = db.insert(accounts).values({ role: 'staff', name: '窓口', email: 'bench-sync@hiroba.local', passwordHash: 'x', createdAt: toStored(now) })
      .returning({ id: accounts.id }).get().id;
    const actor: Actor = { id: staffId, role: 'staff', name: '窓口', groupId: null, isRepresentative: false };

    // Free slots first (reads only), so the timed loop is writes alone.
    const slots: { space: string; start: string; end: string; override: boolean }[] = [];
    const today = tokyoDate(now);
    for (let d = 2; d <= 365 && slots.length < 200_000; d += 1) {
      const date = addDays(today, d);
      const override = windowOpensAt(date, 'general', DEFAULT_RULES.windows) > now;
      for (const space of SPACES) {
        for (const free of services.spaces.availability({ space, date }).free) {
          const end = DateTime.fromISO(free.end, { zone: ZONE });
          for (let t = DateTime.fromISO(free.start, { zone: ZONE }); t.plus({ hours: 1 }) <= end; t = t.plus({ hours: 1 })) {
            slots.push({ space, start: toApi(t), end: toApi(t.plus({ hours: 1 })), override });
          }
        }
      }
    }

    let writes = 0;
    const began = process.hrtime.bigint();
    const until = began + BigInt(Math.round(seconds * 1e9));
    while (process.hrtime.bigint() < until) {
      const s = slots[writes];
      if (!s) break;
      services.bookings.create(actor, {
        space: s.space, start: s.start, end: s.end, purpose: '打合せ', attendees: 4,
        walkIn: { name: `山田 太郎${writes}`, phone: '090-1234-5678' },
        ...(s.override ? { overrideReason: 'ベンチマーク: 受付期間外の窓口予約' } : {}),
      });
      writes += 1;
    }
    const elapsed = Number(process.hrtime.bigint() - began) / 1e9;
    return { mode, writes, seconds: elapsed, perSecond: writes / elapsed };
  } finally {
    db.$client.close();
  }
}

/** Both modes, alternating, `seconds` each in all; prints the table and returns the two rates. */
export function benchSynchronous(opts: { seconds: number; log?: (line: string) => void }): { normal: number; full: number; ratio: number } {
  const log = opts.log ?? console.log;
  const dir = mkdtempSync(join(tmpdir(), 'hiroba-bench-sync-'));
  try {
    // Warm the JIT and the statement cache first; this round does not count.
    round(dir, 'NORMAL', Math.min(1, opts.seconds / 4), 9);
    const rounds: SyncResult[] = [];
    for (let n = 0; n < 2; n += 1) {
      for (const mode of ['NORMAL', 'FULL'] as const) rounds.push(round(dir, mode, opts.seconds / 2, n));
    }
    const rate = (mode: Mode) => {
      const mine = rounds.filter((r) => r.mode === mode);
      return mine.reduce((sum, r) => sum + r.writes, 0) / mine.reduce((sum, r) => sum + r.seconds, 0);
    };
    const normal = rate('NORMAL');
    const full = rate('FULL');
    const ratio = normal / full;
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(8);
    log('');
    log(`  synchronous (WAL), booking transactions in-process on a file in ${tmpdir()}, ${opts.seconds} s each`);
    log(`  NORMAL                      ${fmt(normal)} writes/s   (rounds: ${rounds.filter((r) => r.mode === 'NORMAL').map((r) => fmt(r.perSecond).trim()).join(', ')})`);
    log(`  FULL                        ${fmt(full)} writes/s   (rounds: ${rounds.filter((r) => r.mode === 'FULL').map((r) => fmt(r.perSecond).trim()).join(', ')})`);
    log(`  FULL costs                  ${ratio.toFixed(1)}× the time of a NORMAL write`);
    return { normal, full, ratio };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const i = process.argv.indexOf('--seconds');
  const seconds = i >= 0 ? Number(process.argv[i + 1]) : 6;
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error('--seconds takes a positive number');
  benchSynchronous({ seconds });
}
