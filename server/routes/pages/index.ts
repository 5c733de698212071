import type { FastifyError, FastifyPluginAsync } from 'fastify';
import { InvalidTimeError } from '../../domain/time.js';
import { NotFoundError, ProblemError, type ProblemCode } from '../../errors.js';
import { translator, type MessageKey } from '../../i18n/index.js';
import authPages from './auth.js';
import bookingPages from './booking.js';
import calendarPages from './calendar.js';
import feePages from './fees.js';
import groupPages from './groups.js';
import homeRoutes from './home.js';
import langRoutes from './lang.js';
import myBookingPages from './my-bookings.js';
import myLoanPages from './my-loans.js';
import noticePages from './notices.js';
import reportPages from './reports.js';
import registrationPages from './registration.js';
import signupPages from './signup.js';
import spacePages from './spaces.js';
import deskPages from './desk.js';
import deskLoanPages from './desk-loans.js';
import manageEquipmentPages from './manage-equipment.js';
import managePages from './manage.js';
import opinionPages from './opinions.js';
import surveyPages from './surveys.js';

/** The problem codes that have their own heading on an error page; the rest say "エラー". */
const HEADINGS: Partial<Record<ProblemCode | 'internal', MessageKey>> = { not_found: 'error.notFoundTitle' };

/**
 * HTML pages. Encapsulated: the error and not-found handlers set here answer in HTML for pages,
 * while anything under /api/ is handed on to the app's problem+json handler.
 */
const pages: FastifyPluginAsync = async (app) => {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (request.url.startsWith('/api/')) throw error;
    let status = 500;
    let code: ProblemCode | 'internal' = 'internal';
    if (error instanceof ProblemError) [status, code] = [error.status, error.code];
    else if (error instanceof InvalidTimeError) [status, code] = [422, 'validation_failed'];
    else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      // Fastify's own refusals (a form over the body limit, a body it cannot read) say what they are.
      status = error.statusCode;
      code = status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'bad_request';
    }
    if (status >= 500) request.log.error({ err: error }, 'page failed');
    if (error instanceof ProblemError && error.code === 'rate_limited' && typeof error.extra.retryAfter === 'number') {
      reply.header('retry-after', String(error.extra.retryAfter));
    }
    const t = translator(request.lang);
    const heading = t(HEADINGS[code] ?? 'error.title');
    // Only our own sentences are shown: a service's detail is English and may say more than a visitor should see.
    const message = t(`problem.${code}`);
    return reply.page('errors/error', { status, heading, message }, status);
  });

  app.setNotFoundHandler(async (request, reply) => {
    if (request.url.startsWith('/api/')) throw new NotFoundError('route');
    const t = translator(request.lang);
    return reply.page('errors/error', { status: 404, heading: t('error.notFoundTitle'), message: t('error.notFoundBody') }, 404);
  });

  await app.register(homeRoutes);
  await app.register(authPages);
  await app.register(langRoutes);
  await app.register(registrationPages);
  await app.register(groupPages);
  await app.register(signupPages);
  await app.register(bookingPages);
  await app.register(myBookingPages);
  await app.register(myLoanPages);
  await app.register(spacePages);
  await app.register(calendarPages);
  await app.register(feePages);
  await app.register(noticePages);
  await app.register(deskPages);
  await app.register(deskLoanPages);
  await app.register(manageEquipmentPages);
  await app.register(managePages);
  await app.register(reportPages);
  await app.register(opinionPages);
  await app.register(surveyPages);
};

export default pages;
