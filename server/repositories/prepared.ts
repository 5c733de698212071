import type { Tx } from '../../db/client.js';

const bySession = new WeakMap<object, Map<string, unknown>>();

/**
 * A drizzle prepared query, built once per database connection. Building a query's SQL is most of
 * what a hot read costs; the prepared form only binds its placeholders. The database and its
 * transactions share one session (one connection), so a query prepared on either serves both.
 */
export function prepared<T>(db: Tx, name: string, build: (db: Tx) => T): T {
  const session = (db as unknown as { session: object }).session;
  let queries = bySession.get(session);
  if (!queries) {
    queries = new Map();
    bySession.set(session, queries);
  }
  let query = queries.get(name) as T | undefined;
  if (query === undefined) {
    query = build(db);
    queries.set(name, query);
  }
  return query;
}
