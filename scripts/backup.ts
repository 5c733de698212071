/**
 * `npm run backup -- <file>`: an online, consistent copy of the database at DATABASE_PATH while the
 * server keeps running (SQLite's backup API copies pages and restarts if a write lands midway).
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { readConfig } from '../server/config.js';

export async function backup(source: string, target: string, onProgress?: (percent: number) => void): Promise<void> {
  if (!existsSync(source)) throw new Error(`no database at ${source}`);
  if (existsSync(target)) throw new Error(`${target} exists already; choose a new file`);
  const db = new Database(source, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  try {
    await db.backup(target, {
      progress({ totalPages, remainingPages }) {
        onProgress?.(totalPages === 0 ? 100 : Math.round(((totalPages - remainingPages) / totalPages) * 100));
        return 1000;
      },
    });
  } finally {
    db.close();
  }
  const copy = new Database(target, { readonly: true });
  try {
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`the copy failed its integrity check: ${String(check)}`);
  } finally {
    copy.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const target = process.argv[2];
  if (!target) {
    console.error('usage: npm run backup -- <file>');
    process.exit(2);
  }
  const { databasePath } = readConfig();
  backup(databasePath, target, (p) => process.stdout.write(`\rbacking up ${databasePath} … ${p}%`))
    .then(() => console.log(`\nbackup written to ${target} (integrity ok)`))
    .catch((err: unknown) => {
      console.error(`\nbackup failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    });
}
