import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { testConfig } from '../../server/config.js';
import { openDatabase, migrateDatabase, type Db } from '../../db/client.js';
import { ensureReferenceData } from '../../server/services/reference.js';
import { parseInstant, toStored } from '../../server/domain/time.js';
import { accounts } from '../../db/schema.js';
import { hashPassword } from '../../server/services/secrets.js';
import { backup } from '../../scripts/backup.js';
import { restore } from '../../scripts/restore.js';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'hiroba-backup-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function serverWithBookings(path: string, n: number) {
  const now = parseInstant('2026-12-01T10:00');
  const db: Db = openDatabase(path);
  migrateDatabase(db);
  ensureReferenceData(db, toStored(now));
  const config = testConfig();
  db.insert(accounts).values({ role: 'staff', name: '窓口', email: 'desk@example.jp', passwordHash: await hashPassword('desk password 1', config.scryptLogN), createdAt: toStored(now) }).run();
  const app = await buildApp({ db, clock: () => now, config });
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'desk@example.jp', password: 'desk password 1' } });
  const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const book = (i: number) => app.inject({
    method: 'POST', url: '/api/v1/bookings', headers: { cookie },
    payload: { space: 'small-1', start: `2026-12-${String(2 + (i % 20)).padStart(2, '0')}T${String(9 + Math.floor(i / 20)).padStart(2, '0')}:00`, end: `2026-12-${String(2 + (i % 20)).padStart(2, '0')}T${String(10 + Math.floor(i / 20)).padStart(2, '0')}:00`, purpose: `会議 ${i}`, attendees: 3, walkIn: { name: `利用者 ${i}` } },
  });
  return { app, db, book };
}

describe('backup and restore', () => {
  it('takes a consistent backup while the server keeps writing, and a restored copy holds every booking it had', async () => {
    const live = join(dir, 'live.db');
    const { app, db, book } = await serverWithBookings(live, 0);
    const created: number[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await book(i);
      if (res.statusCode === 201) created.push(res.json().id);
    }
    expect(created.length).toBeGreaterThan(30);
    // Writes go on while the backup runs: the copy is a consistent snapshot of some moment.
    const during = Promise.all(Array.from({ length: 20 }, (_, i) => book(100 + i)));
    await backup(live, join(dir, 'backup.db'));
    await during;
    await app.close();
    db.$client.close();

    const copy = new Database(join(dir, 'backup.db'), { readonly: true });
    const ids = copy.prepare('SELECT id FROM bookings').pluck().all() as number[];
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();
    for (const id of created) expect(ids).toContain(id);

    // Restore over a database that has since lost everything.
    const target = join(dir, 'restored.db');
    const damaged = new Database(target);
    damaged.exec('CREATE TABLE leftovers (x)');
    damaged.close();
    const kept = restore(join(dir, 'backup.db'), target, 'test');
    expect(kept).toBe(`${target}.before-restore-test`);
    const restored = new Database(target, { readonly: true });
    expect(restored.prepare('SELECT count(*) FROM bookings').pluck().get()).toBe(ids.length);
    expect(restored.prepare("SELECT purpose FROM bookings WHERE id = ?").pluck().get(created[0])).toBe('会議 0');
    restored.close();
  });

  it('refuses to restore over a database a server has open, and refuses a damaged backup', async () => {
    const live = join(dir, 'live.db');
    const { app, db } = await serverWithBookings(live, 0);
    await backup(live, join(dir, 'backup.db'));
    // A running server leaves its pid beside the database (server/main.ts); this process is alive.
    writeFileSync(`${live}.pid`, String(process.pid));
    expect(() => restore(join(dir, 'backup.db'), live, 'x')).toThrow(/in use/);
    // A pid file left by a crashed server does not block a restore.
    writeFileSync(`${live}.pid`, '999999999');
    await app.close();
    db.$client.close();
    const junk = join(dir, 'junk.db');
    const j = new Database(junk);
    j.close();
    rmSync(junk);
    expect(() => restore(junk, live, 'x')).toThrow(/no backup/);
    expect(restore(join(dir, 'backup.db'), live, 'x')).toBe(`${live}.before-restore-x`);
  });

  it('will not overwrite an existing file when backing up', async () => {
    const live = join(dir, 'live.db');
    const { app, db } = await serverWithBookings(live, 0);
    await backup(live, join(dir, 'one.db'));
    await expect(backup(live, join(dir, 'one.db'))).rejects.toThrow(/exists already/);
    await app.close();
    db.$client.close();
  });
});
