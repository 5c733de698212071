import { afterEach } from 'vitest';
import { DateTime } from 'luxon';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../server/app.js';
import { testConfig, type Config } from '../../server/config.js';
import { openDatabase, migrateDatabase, type Db } from '../../db/client.js';
import { ensureReferenceData } from '../../server/services/reference.js';
import { hashPassword } from '../../server/services/secrets.js';
import { accounts } from '../../db/schema.js';
import { parseInstant, toStored } from '../../server/domain/time.js';

/** A fresh migrated in-memory database with the center's reference data. */
export function freshDb(now: DateTime): Db {
  const db = openDatabase(':memory:');
  migrateDatabase(db);
  ensureReferenceData(db, toStored(now));
  return db;
}

/** A clock the test moves by hand. */
export class TestClock {
  constructor(public now: DateTime) {}
  readonly read = () => this.now;
  set(iso: string) {
    this.now = parseInstant(iso);
  }
  advance(duration: { days?: number; hours?: number; minutes?: number }) {
    this.now = this.now.plus(duration);
  }
}

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  clock: TestClock;
  config: Config;
  /** Creates an account directly and returns its id. */
  account(role: 'individual' | 'member' | 'staff' | 'manager', email: string, extra?: { groupId?: number; isRepresentative?: boolean; name?: string }): Promise<number>;
  /** Logs in through the API and returns the cookie header value to send. */
  login(email: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

export const PASSWORD = 'correct horse battery';

/** Builds the app over a fresh database at a fixed `now` (Tokyo time unless an offset is given). */
export async function makeTestApp(nowIso = '2026-12-01T10:00', configOverrides: Partial<Config> = {}): Promise<TestApp> {
  const clock = new TestClock(parseInstant(nowIso));
  const db = freshDb(clock.now);
  const config = testConfig(configOverrides);
  const app = await buildApp({ db, clock: clock.read, config });
  await app.ready();
  return {
    app, db, clock, config,
    async account(role, email, extra = {}) {
      const passwordHash = await hashPassword(PASSWORD, config.scryptLogN);
      return db.insert(accounts).values({
        role, name: extra.name ?? `${role} ${email}`, email, phone: '090-0000-0000', passwordHash,
        groupId: extra.groupId ?? null, isRepresentative: extra.isRepresentative ?? false, createdAt: toStored(clock.now),
      }).returning({ id: accounts.id }).get().id;
    },
    async login(email, password = PASSWORD) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
      if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
      return cookieHeader(res);
    },
    async close() {
      await app.close();
      db.$client.close();
    },
  };
}

/** The `cookie` header that repeats every cookie a response set. */
export function cookieHeader(res: LightMyRequestResponse): string {
  return res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

/** Counts rows of a table: tests assert that failed requests stored nothing. */
export function count(db: Db, table: string): number {
  return (db.$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

/**
 * A fresh app per test, closed after it: `const app = appPerTest('2026-12-01T10:00')` at the top of
 * a file, then `const a = await app()` (or `app(otherNow, otherConfig)`) in each test.
 */
export function appPerTest(defaultNow: string, defaultConfig: Partial<Config> = {}) {
  let current: TestApp | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (nowIso = defaultNow, config: Partial<Config> = defaultConfig): Promise<TestApp> => (current = await makeTestApp(nowIso, config));
}
