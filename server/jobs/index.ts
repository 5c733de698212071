import type { FastifyBaseLogger } from 'fastify';
import type { Services } from '../services/index.js';
import type { Clock } from '../services/context.js';

/**
 * Periodic work of the running server: expiry of unpaid provisional bookings, no-show marking,
 * and the lapse of registrations with the deletion of lapsed groups' personal data.
 * Tests call `services.bookingLife.runPeriodic(now)` directly with a given `now`.
 */
export function startJobs(opts: { services: Services; clock: Clock; log: FastifyBaseLogger; intervalSeconds: number }) {
  const run = () => {
    try {
      const { expired, noShows } = opts.services.bookingLife.runPeriodic(opts.clock());
      if (expired.length > 0 || noShows.length > 0) opts.log.info({ expired, noShows }, 'periodic job');
      // Cheap when nothing is due: lapses happen on April 1, erasures a retention period later.
      const { lapsed, erased } = opts.services.registrations.runLapseAndRetention(opts.clock());
      if (lapsed.length > 0 || erased.length > 0) opts.log.info({ lapsed, erased }, 'registration job');
      // Contact details sent with opinions are kept only for the retention period a manager sets.
      const opinionContacts = opts.services.opinions.runContactRetention(opts.clock());
      if (opinionContacts.erased.length > 0) opts.log.info({ erased: opinionContacts.erased }, 'opinion contact retention');
    } catch (err) {
      opts.log.error({ err }, 'periodic job failed');
    }
  };
  const timer = setInterval(run, opts.intervalSeconds * 1000);
  timer.unref();
  run();
  return { stop: () => clearInterval(timer) };
}
