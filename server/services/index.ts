import type { Deps } from './context.js';
import { ReferenceCache } from '../repositories/reference-cache.js';
import { tokyoDate } from '../domain/time.js';
import { makeAuthService } from './auth.js';
import { makeSpaceService } from './spaces.js';
import { makeBookingService } from './bookings.js';
import { makeBookingLifeService } from './booking-life.js';
import { makeClosureService } from './closures.js';
import { makeRegistrationService } from './registrations.js';
import { makeGroupService } from './groups.js';
import { makeNoticeService } from './notices.js';
import { makeFeedService } from './feeds.js';
import { makeReportService } from './reports.js';
import { makeDocumentService } from './documents.js';
import { makeDeskService } from './desk.js';
import { makeAdminService } from './admin.js';
import { makeRuleService } from './rules.js';
import { makeSpaceAdminService } from './space-admin.js';
import { makeOpinionService } from './opinions.js';
import { makeSurveyService } from './surveys.js';
import { makeLoanService } from './loans.js';
import { makeLoanDeskService } from './loan-desk.js';

/** Every use case, built once per app over the same database and clock. */
export function makeServices(base: Omit<Deps, 'reference'>) {
  const deps: Deps = { ...base, reference: new ReferenceCache(base.db, () => tokyoDate(base.clock())) };
  const bookings = makeBookingService(deps);
  const loans = makeLoanService(deps, bookings);
  return {
    reference: deps.reference,
    auth: makeAuthService(deps),
    spaces: makeSpaceService(deps),
    closures: makeClosureService(deps),
    bookings,
    bookingLife: makeBookingLifeService(deps, bookings),
    registrations: makeRegistrationService(deps),
    groups: makeGroupService(deps),
    notices: makeNoticeService(deps),
    feeds: makeFeedService(deps),
    reports: makeReportService(deps),
    documents: makeDocumentService(deps, bookings),
    desk: makeDeskService(deps),
    admin: makeAdminService(deps),
    rules: makeRuleService(deps),
    spaceAdmin: makeSpaceAdminService(deps),
    opinions: makeOpinionService(deps),
    surveys: makeSurveyService(deps),
    loans,
    loanDesk: makeLoanDeskService(deps, loans),
  };
}

export type Services = ReturnType<typeof makeServices>;
