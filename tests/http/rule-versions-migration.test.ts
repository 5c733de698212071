import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateDatabase, openDatabase, type Db } from '../../db/client.js';
import { ReferenceCache } from '../../server/repositories/reference-cache.js';
import { ensureReferenceData } from '../../server/services/reference.js';

const MIGRATIONS = join(process.cwd(), 'db', 'migrations');
let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup) f();
  cleanup = [];
});

/** A database migrated only as far as the release before effective-dated rules (0007). */
function databaseBeforeVersions(): Db {
  const dir = mkdtempSync(join(tmpdir(), 'hiroba-migrations-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(MIGRATIONS, dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number; tag: string }[] };
  journal.entries = journal.entries.filter((e) => e.idx <= 7);
  writeFileSync(journalPath, JSON.stringify(journal));
  const db = openDatabase(':memory:');
  cleanup.push(() => db.$client.close());
  migrate(db, { migrationsFolder: dir });
  return db;
}

describe('the migration to dated rules', () => {
  it('carries every stored section over as a version in force since 2000-01-01, and leaves the settings that apply at once', () => {
    const db = databaseBeforeVersions();
    const insert = db.$client.prepare('INSERT INTO rule_settings (key, value_json, updated_at) VALUES (?, ?, ?)');
    // A manager had changed the windows; registration's retention is a setting, not a rule.
    insert.run('windows', JSON.stringify({ monthsAhead: { registered: 6, general: 2, commercial: 1 }, opensAt: '09:00', onlineCutoffDays: 5 }), '2026-10-01T00:00:00.000Z');
    insert.run('pricing', JSON.stringify({ heatingPercent: 25 }), '2026-10-02T00:00:00.000Z');
    insert.run('registration', JSON.stringify({ retentionDays: 400 }), '2026-10-03T00:00:00.000Z');

    migrateDatabase(db);

    expect(db.$client.prepare('SELECT key, effective_from, value_json, created_by, created_at FROM rule_versions ORDER BY key').all()).toEqual([
      { key: 'pricing', effective_from: '2000-01-01', value_json: JSON.stringify({ heatingPercent: 25 }), created_by: null, created_at: '2026-10-02T00:00:00.000Z' },
      { key: 'windows', effective_from: '2000-01-01', value_json: expect.stringContaining('"onlineCutoffDays":5'), created_by: null, created_at: '2026-10-01T00:00:00.000Z' },
    ]);
    expect(db.$client.prepare('SELECT key FROM rule_settings').all()).toEqual([{ key: 'registration' }]);

    // Start adds the sections still missing, and leaves the carried ones as the manager set them.
    ensureReferenceData(db, '2026-12-01T01:00:00.000Z');
    expect((db.$client.prepare("SELECT key FROM rule_versions ORDER BY key").all() as { key: string }[]).map((r) => r.key)).toEqual(['bands', 'calendar', 'life', 'pricing', 'windows']);
    const rules = new ReferenceCache(db, () => '2026-12-01').rules();
    expect(rules.windows.onlineCutoffDays).toBe(5);
    expect(rules.windows.monthsAhead.general).toBe(2);
    // A stored section without some fields keeps their defaults.
    expect(rules.pricing.heatingPercent).toBe(25);
    expect(rules.pricing.categoryPercent.registered).toBe(50);
  });
});
