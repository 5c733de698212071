import type { Deps } from './context.js';
import { makeAuthService } from './auth.js';
import { makeSpaceService } from './spaces.js';
import { makeBookingService } from './bookings.js';
import { makeBookingLifeService } from './booking-life.js';
import { makeClosureService } from './closures.js';

/** Every use case, built once per app over the same database and clock. */
export function makeServices(deps: Deps) {
  const bookings = makeBookingService(deps);
  return {
    auth: makeAuthService(deps),
    spaces: makeSpaceService(deps),
    closures: makeClosureService(deps),
    bookings,
    bookingLife: makeBookingLifeService(deps, bookings),
  };
}

export type Services = ReturnType<typeof makeServices>;
