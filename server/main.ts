import { rmSync, writeFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { readConfig } from './config.js';
import { buildApp } from './app.js';
import { openDatabase, migrateDatabase } from '../db/client.js';
import { ensureReferenceData } from './services/reference.js';
import { startJobs } from './jobs/index.js';
import { toStored, ZONE } from './domain/time.js';

const config = readConfig();
const clock = () => DateTime.now().setZone(ZONE);
const db = openDatabase(config.databasePath);
migrateDatabase(db);
ensureReferenceData(db, toStored(clock()));

// Marks the database as in use, so `npm run restore` refuses to replace it under a running server.
const pidFile = config.databasePath === ':memory:' ? null : `${config.databasePath}.pid`;
if (pidFile) writeFileSync(pidFile, String(process.pid));

const app = await buildApp({ db, clock, config });
const first = await app.services.auth.ensureFirstManager();
if (first?.generatedPassword) {
  // Printed once, on the first start only: the manager changes it after logging in.
  console.log(`\n  First manager account: ${first.email}\n  Password (shown once): ${first.generatedPassword}\n`);
} else if (first) {
  app.log.info({ email: first.email }, 'first manager account created from ADMIN_EMAIL');
}

const jobs = startJobs({ services: app.services, clock, log: app.log, intervalSeconds: config.jobIntervalSeconds });

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down: finishing in-flight requests');
  jobs.stop();
  // In-flight requests get 10 s (what `docker stop` waits before it kills); then give up, non-zero.
  const force = setTimeout(() => {
    app.log.error('in-flight requests did not finish within 10 s; exiting');
    process.exit(1);
  }, 10_000);
  force.unref();
  try {
    // Stops accepting at once, answers 503 on kept-alive sockets, waits for requests in flight.
    await app.close();
    // Closing the last connection checkpoints the WAL into the file.
    db.$client.close();
    if (pidFile) rmSync(pidFile, { force: true });
  } catch (err) {
    app.log.error({ err }, 'shutdown failed');
    process.exit(1);
  }
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

await app.listen({ host: config.host, port: config.port });
