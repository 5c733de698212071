import type { Db, Tx } from '../../db/client.js';

/** Carries the result of a dry run out of the transaction it rolled back. */
class DryRun<T> extends Error {
  override readonly name = 'DryRun';
  constructor(readonly result: T) {
    super('dry run');
  }
}

/**
 * Runs a write in one synchronous BEGIN IMMEDIATE transaction. With `dryRun` the same checks and
 * writes run and are then rolled back, so a preview (which dates of a series, what a change or a
 * cancellation would cost) is exactly what the real request would do at that moment.
 */
export function write<T>(db: Db, fn: (tx: Tx) => T, dryRun = false): T {
  try {
    return db.transaction((tx) => {
      const result = fn(tx);
      if (dryRun) throw new DryRun(result);
      return result;
    }, { behavior: 'immediate' });
  } catch (err) {
    if (err instanceof DryRun) return err.result as T;
    throw err;
  }
}
