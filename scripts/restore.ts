/**
 * `npm run restore -- <file>`: replaces the database at DATABASE_PATH with a backup. Run it with
 * the server stopped: it refuses while a server runs on it (its `.pid` file), checks the backup's
 * integrity first, and keeps the replaced file beside it as `<name>.before-restore-<time>`.
 */
import { copyFileSync, existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { readConfig } from '../server/config.js';

/** The server writes `<database>.pid` while it runs (server/main.ts). */
function serverRunning(database: string): boolean {
  const pidFile = `${database}.pid`;
  if (!existsSync(pidFile)) return false;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false; // a pid file left by a crash
  }
}

export function restore(backupFile: string, target: string, stamp: string): string | null {
  if (!existsSync(backupFile)) throw new Error(`no backup at ${backupFile}`);
  const check = new Database(backupFile, { readonly: true, fileMustExist: true });
  try {
    const result = check.pragma('integrity_check', { simple: true });
    if (result !== 'ok') throw new Error(`the backup failed its integrity check: ${String(result)}`);
  } finally {
    check.close();
  }
  if (serverRunning(target)) throw new Error(`${target} is in use by a running server (${target}.pid): stop it first`);
  let kept: string | null = null;
  if (existsSync(target)) {
    // Fold the write-ahead log into the file, so the kept copy is complete on its own.
    const current = new Database(target, { fileMustExist: true });
    try {
      current.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      current.close();
    }
    kept = `${target}.before-restore-${stamp}`;
    renameSync(target, kept);
    for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
  }
  copyFileSync(backupFile, target);
  return kept;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: npm run restore -- <file>   (with the server stopped)');
    process.exit(2);
  }
  const { databasePath } = readConfig();
  try {
    const kept = restore(file, databasePath, new Date().toISOString().replace(/[:.]/g, '-'));
    console.log(`restored ${file} to ${databasePath}${kept ? `; the previous database is kept as ${kept}` : ''}`);
  } catch (err) {
    console.error(`restore failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
