/**
 * Who may use which route: ONE table of every route the app registers × seven roles, read by
 * tests/http/access-control.test.ts (every row, every role), tests/http/csrf.test.ts (every form
 * and API POST) and tests/http/headers.test.ts (every GET, signed in). They fail when the app
 * registers a route this table does not name (or the table names one that is gone), so a new
 * route cannot ship without deciding who may use it.
 *
 * Roles (one account each, built by `buildWorld`):
 *   anonymous       no session
 *   individual      an individual account (一般利用者) with a booking of its own
 *   otherMember     the REPRESENTATIVE of another group: the strongest outsider, who may do
 *                   everything to its own group and must see nothing of the member's group
 *   member          a member of the member's group (not its representative)
 *   representative  the representative of the member's group
 *   staff, manager  the desk and the center's manager
 *
 * HOW TO ADD A ROW
 *   1. Key: `METHOD /path` exactly as the route is registered (with `:params`, prefix included),
 *      e.g. `'POST /api/v1/loans/:id/checkout'`. HEAD routes are Fastify's copies of GETs: leave them out.
 *   2. `access`: one outcome per role — use a pattern below (PUBLIC, SIGNED_IN, STAFF, MANAGER,
 *      GROUP_OBJECT, REPRESENTATIVE, …) or `access(anonymous, individual, otherMember, member,
 *      representative, staff, manager)` for a row of its own.
 *   3. `url` for a route with params or a query: fill each param with an object that belongs to
 *      THE MEMBER'S GROUP (`w.booking`, `w.group`, …; add new objects to `World` and `buildWorld`),
 *      so that an individual and the other group's representative must be told 404.
 *   4. `body` when `{}` (API) or no fields (forms) would not reach the authorization check. The
 *      test only asserts the authorization outcome: an allowed role may get 422 for a thin body.
 *      Forms get a valid `_csrf` added; the CSRF test takes it away.
 *
 * Outcomes:
 *   ok        allowed: anything below 500 but 401, 403 and 404 (a write may answer 422 or 409 to a
 *             thin body); a GET must answer 2xx or 3xx, and never send to the login page.
 *   login     not signed in: the API (and /reports, /calendars) answers 401 `unauthenticated`;
 *             a page answers 303 to `/login?next=…`.
 *   forbidden 403 (`forbidden` from the API): a role that may not do this at all.
 *   hidden    404 (`not_found` from the API): another person's or group's object, which must not
 *             be told apart from one that does not exist (API.md: "Another user's booking, group,
 *             loan or case is 404, not 403"); also a page that has nothing of this person's.
 * A role that is not `ok` must leave every table as it was (row counts and SQLite's total_changes()).
 */
import { makeTestApp, PASSWORD, type TestApp } from '../support/app.js';
import type { LightMyRequestResponse } from 'fastify';
import type { Actor } from '../../server/services/context.js';
import { call, makeGroup, body as bookingBody } from './helpers.js';

export const ROLES = ['anonymous', 'individual', 'otherMember', 'member', 'representative', 'staff', 'manager'] as const;
export type RoleName = (typeof ROLES)[number];
export type Outcome = 'ok' | 'login' | 'forbidden' | 'hidden';
export type Access = Record<RoleName, Outcome>;

export function access(anonymous: Outcome, individual: Outcome, otherMember: Outcome, member: Outcome, representative: Outcome, staff: Outcome, manager: Outcome): Access {
  return { anonymous, individual, otherMember, member, representative, staff, manager };
}

/** Anyone, signed in or not. */
export const PUBLIC = access('ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok');
/** Any signed-in account. */
export const SIGNED_IN = access('login', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok');
/** The desk: staff and managers. */
export const STAFF = access('login', 'forbidden', 'forbidden', 'forbidden', 'forbidden', 'ok', 'ok');
/** Managers only. */
export const MANAGER = access('login', 'forbidden', 'forbidden', 'forbidden', 'forbidden', 'forbidden', 'ok');
/** An object of the member's group (a booking, the group, a receipt): its members and the desk; to anyone else it does not exist. */
export const GROUP_OBJECT = access('login', 'hidden', 'hidden', 'ok', 'ok', 'ok', 'ok');
/** The representative (or a manager) acts for the group: a member and a clerk are refused, outsiders see nothing. */
export const REPRESENTATIVE = access('login', 'hidden', 'hidden', 'forbidden', 'ok', 'forbidden', 'ok');
/** Pages for people who book for themselves (the desk books for others on its own pages). */
export const BOOKER_PAGE = access('login', 'ok', 'ok', 'ok', 'ok', 'forbidden', 'forbidden');
/** An object of the member's group (a booking, a loan) on the booker's own pages. */
export const GROUP_OBJECT_PAGE = access('login', 'hidden', 'hidden', 'ok', 'ok', 'forbidden', 'forbidden');
/** `/my/group`: one's own group (the other representative sees its own); no group of theirs is a 404. */
export const MY_GROUP_PAGE = access('login', 'hidden', 'ok', 'ok', 'ok', 'hidden', 'hidden');
/** A form of `/my/group` that only the representative sends (the other group's representative acts on its own group). */
export const MY_GROUP_REPRESENTATIVE_FORM = access('login', 'hidden', 'ok', 'forbidden', 'ok', 'hidden', 'hidden');

/** The objects the rows point at; `group`, `booking`, `payment`, … belong to THE MEMBER'S GROUP. */
export interface World {
  t: TestApp;
  /** The cookie header of each signed-in role (without the CSRF cookie). */
  cookies: Record<Exclude<RoleName, 'anonymous'>, string>;
  group: number;
  otherGroup: number;
  /** A confirmed booking of the member's group, partly paid at the desk. */
  booking: number;
  otherGroupBooking: number;
  individualBooking: number;
  /** The desk payment on `booking`, and its receipt number. */
  payment: number;
  receiptNo: string;
  /** Another member of the member's group: the one removed by the representative's forms. */
  secondMember: number;
  /** An invitation to the member's group, and the group's private calendar feed token. */
  invitationToken: string;
  calendarToken: string;
  /** A pending registration (another group's application). */
  registration: number;
  opinion: number;
  notice: number;
  /** A rate scheduled for a future date, a space block, a clerk who is not the signed-in staff, an API token. */
  rate: number;
  block: number;
  clerk: number;
  apiToken: number;
  survey: { id: number; slug: string };
  /** A reserved loan of a projector with `booking`; a damage case of the member's group (assessed: not liable, so the group still borrows). */
  loan: number;
  damageCase: number;
  /** An available unit (a whiteboard). */
  unitTag: string;
}

export interface Row {
  access: Access;
  /** The URL to request (with the query a GET needs); defaults to the route's path. */
  url?: (w: World) => string;
  /** A JSON body (API) or form fields (pages); defaults to `{}` / no fields. */
  body?: (w: World) => Record<string, unknown>;
}

const DAY = '2026-12-20';
const ATTESTED = { nonPolitical: true, nonReligious: true, nonCommercial: true };
const RENEWAL = { memberCount: 20, fields: ['まちづくり'], description: '防災訓練', publicProfile: true, attestations: ATTESTED };
const RENEWAL_FORM = {
  memberCount: '20', fields: 'まちづくり', description: '防災訓練', publicProfile: 'true',
  'attestations.nonPolitical': 'true', 'attestations.nonReligious': 'true', 'attestations.nonCommercial': 'true',
};
const q = (path: string, query: Record<string, string>) => `${path}?${new URLSearchParams(query).toString()}`;

export const TABLE: Record<string, Row> = {
  // ---- outside everything ----------------------------------------------------------------------
  'GET /healthz': { access: PUBLIC },
  'GET /static/*': { access: PUBLIC, url: () => '/static/css/hiroba.css' },

  // ---- the JSON API: accounts and sessions -----------------------------------------------------
  'POST /api/v1/auth/login': { access: PUBLIC, body: () => ({ email: 'individual@example.jp', password: PASSWORD }) },
  // Logging out without a session is a harmless no-op (204), so it is not refused.
  'POST /api/v1/auth/logout': { access: PUBLIC },
  'POST /api/v1/accounts': { access: PUBLIC },
  'GET /api/v1/staff-accounts': { access: MANAGER },
  'POST /api/v1/staff-accounts': { access: MANAGER },
  'POST /api/v1/staff-accounts/:id/disable': { access: MANAGER, url: (w) => `/api/v1/staff-accounts/${w.clerk}/disable` },
  'POST /api/v1/staff-accounts/:id/enable': { access: MANAGER, url: (w) => `/api/v1/staff-accounts/${w.clerk}/enable` },
  'GET /api/v1/api-tokens': { access: MANAGER },
  'POST /api/v1/api-tokens': { access: MANAGER, body: () => ({ name: '窓口タブレット' }) },
  'POST /api/v1/api-tokens/:id/revoke': { access: MANAGER, url: (w) => `/api/v1/api-tokens/${w.apiToken}/revoke` },
  'GET /api/v1/audit-log': { access: MANAGER },

  // ---- the JSON API: spaces, calendar, rules -----------------------------------------------------
  'GET /api/v1/spaces': { access: PUBLIC },
  'GET /api/v1/availability': { access: PUBLIC, url: () => q('/api/v1/availability', { space: 'small-1', date: DAY }) },
  'GET /api/v1/calendar': { access: PUBLIC, url: () => q('/api/v1/calendar', { from: '2026-12-01', to: '2026-12-31' }) },
  'PUT /api/v1/calendar/:date': { access: MANAGER, url: () => '/api/v1/calendar/2026-12-16', body: () => ({ open: '09:00', close: '20:00' }) },
  'POST /api/v1/spaces/:slug/blocks': { access: MANAGER, url: () => '/api/v1/spaces/hall/blocks', body: () => ({ start: '2027-01-21T09:00', end: '2027-01-21T12:00', reason: '点検' }) },
  'GET /api/v1/rates': { access: MANAGER },
  'POST /api/v1/rates': { access: MANAGER, body: () => ({ space: 'small-2', band: 'morning', hourlyYen: 300, effectiveFrom: '2027-04-01' }) },
  'GET /api/v1/rules': { access: MANAGER },
  'PUT /api/v1/rules/:key': { access: MANAGER, url: () => '/api/v1/rules/bands' },
  'GET /api/v1/rules/:key': { access: MANAGER, url: () => '/api/v1/rules/bands' },
  'DELETE /api/v1/rules/:key/versions/:date': { access: MANAGER, url: () => '/api/v1/rules/bands/versions/2027-04-01' },
  'GET /api/v1/space-settings': { access: MANAGER },
  'GET /api/v1/spaces/:slug/settings': { access: MANAGER, url: () => '/api/v1/spaces/small-2/settings' },
  'PATCH /api/v1/spaces/:slug': { access: MANAGER, url: () => '/api/v1/spaces/small-2', body: () => ({ name: '小会議室2', nameEn: 'Small meeting room 2' }) },
  'POST /api/v1/spaces/:slug/versions': { access: MANAGER, url: () => '/api/v1/spaces/small-2/versions', body: () => ({ capacity: 12, effectiveFrom: '2027-05-01' }) },
  'DELETE /api/v1/spaces/:slug/versions/:date': { access: MANAGER, url: () => '/api/v1/spaces/small-2/versions/2027-04-01' },
  'PUT /api/v1/spaces/:slug/parts': { access: MANAGER, url: () => '/api/v1/spaces/training/parts', body: () => ({ parts: ['training-a', 'training-b'] }) },
  'PUT /api/v1/settings/registration': { access: MANAGER, body: () => ({ retentionDays: 365 }) },
  'PUT /api/v1/settings/opinions': { access: MANAGER, body: () => ({ retentionDays: 365 }) },

  // ---- the JSON API: bookings ----------------------------------------------------------------------
  'POST /api/v1/quotes': { access: PUBLIC, body: () => bookingBody(`${DAY}T13:00`, `${DAY}T15:00`) },
  'POST /api/v1/bookings': { access: SIGNED_IN, body: () => bookingBody('2026-12-21T13:00', '2026-12-21T15:00') },
  'GET /api/v1/bookings': { access: SIGNED_IN, url: () => q('/api/v1/bookings', { from: '2026-12-01', to: '2026-12-31' }) },
  'GET /api/v1/bookings/:id': { access: GROUP_OBJECT, url: (w) => `/api/v1/bookings/${w.booking}` },
  'PATCH /api/v1/bookings/:id': { access: GROUP_OBJECT, url: (w) => `/api/v1/bookings/${w.booking}`, body: () => ({ attendees: 6 }) },
  'POST /api/v1/bookings/:id/cancel': { access: GROUP_OBJECT, url: (w) => `/api/v1/bookings/${w.booking}/cancel` },
  'POST /api/v1/bookings/:id/exemption': { access: STAFF, url: (w) => `/api/v1/bookings/${w.booking}/exemption`, body: () => ({ percent: 50, reason: '公益' }) },
  'POST /api/v1/bookings/:id/payments': { access: STAFF, url: (w) => `/api/v1/bookings/${w.booking}/payments`, body: () => ({ amountYen: 10, method: 'cash' }) },
  'POST /api/v1/bookings/:id/check-in': { access: STAFF, url: (w) => `/api/v1/bookings/${w.booking}/check-in`, body: () => ({ attendees: 5 }) },
  'POST /api/v1/bookings/:id/refunds': { access: STAFF, url: (w) => `/api/v1/bookings/${w.booking}/refunds`, body: () => ({ amountYen: 10, reason: '過払い' }) },
  'POST /api/v1/bookings/:id/contacted': { access: STAFF, url: (w) => `/api/v1/bookings/${w.booking}/contacted` },
  'GET /api/v1/bookings/:id/permit.pdf': { access: GROUP_OBJECT, url: (w) => `/api/v1/bookings/${w.booking}/permit.pdf` },
  'GET /api/v1/receipts/:file': { access: GROUP_OBJECT, url: (w) => `/api/v1/receipts/${w.receiptNo}.pdf` },
  'POST /api/v1/payments/:id/void': { access: STAFF, url: (w) => `/api/v1/payments/${w.payment}/void`, body: () => ({ reason: '誤入力' }) },

  // ---- the JSON API: the desk -----------------------------------------------------------------------
  'GET /api/v1/cash-close': { access: STAFF, url: () => q('/api/v1/cash-close', { date: '2026-12-01' }) },
  'GET /api/v1/desk/board': { access: STAFF },
  'GET /api/v1/desk/bookings': { access: STAFF, url: () => q('/api/v1/desk/bookings', { q: '打ち合わせ' }) },
  'GET /api/v1/desk/bookings/:id': { access: STAFF, url: (w) => `/api/v1/desk/bookings/${w.booking}` },
  'GET /api/v1/desk/bookers': { access: STAFF, url: () => q('/api/v1/desk/bookers', { q: '市民' }) },

  // ---- the JSON API: registrations and groups ------------------------------------------------------
  'POST /api/v1/registrations': { access: PUBLIC },
  'GET /api/v1/registrations': { access: MANAGER },
  'POST /api/v1/registrations/:id/approve': { access: MANAGER, url: (w) => `/api/v1/registrations/${w.registration}/approve` },
  'POST /api/v1/registrations/:id/reject': { access: MANAGER, url: (w) => `/api/v1/registrations/${w.registration}/reject`, body: () => ({ reason: '書類不備' }) },
  'GET /api/v1/groups': { access: PUBLIC },
  'GET /api/v1/groups/:id': { access: GROUP_OBJECT, url: (w) => `/api/v1/groups/${w.group}` },
  'GET /api/v1/groups/:id/members': { access: GROUP_OBJECT, url: (w) => `/api/v1/groups/${w.group}/members` },
  // The desk applies for a group's renewal as it registers groups at the desk; members cannot.
  // The body is parsed before the group is looked up: only a valid one reaches the check.
  'POST /api/v1/groups/:id/renewal': { access: access('login', 'hidden', 'hidden', 'forbidden', 'ok', 'ok', 'ok'), url: (w) => `/api/v1/groups/${w.group}/renewal`, body: () => RENEWAL },
  'POST /api/v1/groups/:id/suspend': { access: MANAGER, url: (w) => `/api/v1/groups/${w.group}/suspend`, body: () => ({ reason: '規約違反' }) },
  'POST /api/v1/groups/:id/reinstate': { access: MANAGER, url: (w) => `/api/v1/groups/${w.group}/reinstate` },
  'POST /api/v1/groups/:id/invitations': { access: REPRESENTATIVE, url: (w) => `/api/v1/groups/${w.group}/invitations`, body: () => ({ email: 'newcomer@example.jp' }) },
  'POST /api/v1/groups/:id/calendar-token': { access: REPRESENTATIVE, url: (w) => `/api/v1/groups/${w.group}/calendar-token` },
  'DELETE /api/v1/groups/:id/members/:accountId': { access: REPRESENTATIVE, url: (w) => `/api/v1/groups/${w.group}/members/${w.secondMember}` },
  // The token in the path is the credential.
  'POST /api/v1/invitations/:token/accept': { access: PUBLIC, url: (w) => `/api/v1/invitations/${w.invitationToken}/accept` },
  'GET /api/v1/notices': { access: PUBLIC },
  'POST /api/v1/notices': { access: MANAGER, body: () => ({ title: '臨時休館', body: '設備点検のため休館します。' }) },
  'DELETE /api/v1/notices/:id': { access: MANAGER, url: (w) => `/api/v1/notices/${w.notice}` },

  // ---- the JSON API: opinions ---------------------------------------------------------------------------
  'POST /api/v1/opinions': { access: PUBLIC, body: () => ({ category: 'facility', body: '照明が暗いです。' }) },
  'GET /api/v1/opinions': { access: STAFF },
  'GET /api/v1/opinions/published': { access: PUBLIC },
  'GET /api/v1/opinions/:id': { access: STAFF, url: (w) => `/api/v1/opinions/${w.opinion}` },
  'POST /api/v1/opinions/:id/answer': { access: STAFF, url: (w) => `/api/v1/opinions/${w.opinion}/answer`, body: () => ({ answer: '交換します。', publish: false }) },
  'POST /api/v1/opinions/:id/status': { access: STAFF, url: (w) => `/api/v1/opinions/${w.opinion}/status`, body: () => ({ status: 'in_review' }) },

  // ---- the JSON API: equipment, loans and damage cases (API.md) ------------------------------------
  'GET /api/v1/equipment': { access: PUBLIC },
  'GET /api/v1/equipment/availability': { access: PUBLIC, url: () => q('/api/v1/equipment/availability', { from: `${DAY}T10:00`, to: `${DAY}T12:00` }) },
  'GET /api/v1/equipment/units': { access: STAFF },
  'POST /api/v1/equipment/:type/units': { access: MANAGER, url: () => '/api/v1/equipment/whiteboard/units' },
  'POST /api/v1/equipment/units/:tag/state': { access: MANAGER, url: (w) => `/api/v1/equipment/units/${w.unitTag}/state`, body: () => ({ action: 'repair', note: '点検' }) },
  // Equipment added to a booking: the booking in the body must be the actor's (or any, for the desk).
  'POST /api/v1/loans': { access: GROUP_OBJECT, body: (w) => ({ bookingId: w.booking, items: [{ type: 'panel', quantity: 2 }] }) },
  'GET /api/v1/loans': { access: SIGNED_IN },
  'GET /api/v1/loans/:id': { access: GROUP_OBJECT, url: (w) => `/api/v1/loans/${w.loan}` },
  'POST /api/v1/loans/:id/cancel': { access: GROUP_OBJECT, url: (w) => `/api/v1/loans/${w.loan}/cancel` },
  'POST /api/v1/loans/:id/checkout': { access: STAFF, url: (w) => `/api/v1/loans/${w.loan}/checkout` },
  'POST /api/v1/loans/:id/return': { access: STAFF, url: (w) => `/api/v1/loans/${w.loan}/return`, body: () => ({ units: [{ tag: 'PJ-01', condition: 'ok' }] }) },
  'POST /api/v1/loans/:id/clear-flag': { access: STAFF, url: (w) => `/api/v1/loans/${w.loan}/clear-flag` },
  'GET /api/v1/damage-cases': { access: SIGNED_IN },
  'GET /api/v1/damage-cases/:id': { access: GROUP_OBJECT, url: (w) => `/api/v1/damage-cases/${w.damageCase}` },
  'POST /api/v1/damage-cases/:id/assess': { access: MANAGER, url: (w) => `/api/v1/damage-cases/${w.damageCase}/assess`, body: () => ({ costYen: 1000, liable: true }) },
  'POST /api/v1/damage-cases/:id/settle': { access: MANAGER, url: (w) => `/api/v1/damage-cases/${w.damageCase}/settle` },
  'POST /api/v1/damage-cases/:id/waive': { access: MANAGER, url: (w) => `/api/v1/damage-cases/${w.damageCase}/waive`, body: () => ({ reason: '経年劣化' }) },

  // ---- feeds and reports ------------------------------------------------------------------------------
  'GET /calendars/spaces/:file': { access: PUBLIC, url: () => '/calendars/spaces/small-1.ics' },
  // The unguessable token is the credential of a group's private feed.
  'GET /calendars/groups/:file': { access: PUBLIC, url: (w) => `/calendars/groups/${w.calendarToken}.ics` },
  'GET /reports/monthly/:file': { access: MANAGER, url: () => '/reports/monthly/2026-11.summary.csv' },
  'GET /reports/fiscal/:file': { access: MANAGER, url: () => '/reports/fiscal/2026.summary.csv' },

  // ---- public pages ---------------------------------------------------------------------------------------
  'GET /': { access: PUBLIC },
  'GET /spaces': { access: PUBLIC },
  'GET /spaces/:slug': { access: PUBLIC, url: () => '/spaces/small-1' },
  'GET /calendar': { access: PUBLIC },
  'GET /fees': { access: PUBLIC },
  'GET /groups': { access: PUBLIC },
  'GET /lang/:lang': { access: PUBLIC, url: () => '/lang/en?next=/' },
  'GET /login': { access: PUBLIC },
  'POST /login': { access: PUBLIC },
  'POST /logout': { access: PUBLIC },
  'GET /signup': { access: PUBLIC },
  'POST /signup': { access: PUBLIC },
  'GET /register': { access: PUBLIC },
  'POST /register': { access: PUBLIC },
  'GET /register/thanks': { access: PUBLIC },
  'GET /invitations/:token': { access: PUBLIC, url: (w) => `/invitations/${w.invitationToken}` },
  'POST /invitations/:token': { access: PUBLIC, url: (w) => `/invitations/${w.invitationToken}` },
  'GET /opinions': { access: PUBLIC },
  'GET /opinions/new': { access: PUBLIC },
  'POST /opinions/new': { access: PUBLIC, body: () => ({ category: 'facility', body: '照明が暗いです。' }) },
  'GET /opinions/thanks': { access: PUBLIC },
  'GET /s/:slug': { access: PUBLIC, url: (w) => `/s/${w.survey.slug}` },
  'POST /s/:slug': { access: PUBLIC, url: (w) => `/s/${w.survey.slug}` },
  'GET /s/:slug/thanks': { access: PUBLIC, url: (w) => `/s/${w.survey.slug}/thanks` },

  // ---- booking for oneself -------------------------------------------------------------------------------
  'GET /book': { access: BOOKER_PAGE },
  'POST /book': { access: BOOKER_PAGE },
  'POST /book/edit': { access: BOOKER_PAGE },
  'POST /book/confirm': { access: BOOKER_PAGE },
  'GET /my/bookings': { access: BOOKER_PAGE },
  'GET /my/bookings/:id': { access: GROUP_OBJECT_PAGE, url: (w) => `/my/bookings/${w.booking}` },
  'GET /my/bookings/:id/change': { access: GROUP_OBJECT_PAGE, url: (w) => `/my/bookings/${w.booking}/change` },
  'POST /my/bookings/:id/change': { access: GROUP_OBJECT_PAGE, url: (w) => `/my/bookings/${w.booking}/change` },
  'POST /my/bookings/:id/change/edit': { access: GROUP_OBJECT_PAGE, url: (w) => `/my/bookings/${w.booking}/change/edit` },
  'POST /my/bookings/:id/change/confirm': { access: GROUP_OBJECT_PAGE, url: (w) => `/my/bookings/${w.booking}/change/confirm` },
  'GET /my/bookings/:id/cancel': { access: GROUP_OBJECT_PAGE, url: (w) => `/my/bookings/${w.booking}/cancel` },
  'POST /my/bookings/:id/cancel': { access: GROUP_OBJECT_PAGE, url: (w) => `/my/bookings/${w.booking}/cancel` },

  // ---- equipment for oneself: a group takes equipment out; one's loans ---------------------------------
  'GET /my/loans': { access: BOOKER_PAGE },
  // Only groups take equipment out (the other group's representative for its own group); individuals borrow with a booking.
  'POST /my/loans': { access: access('login', 'forbidden', 'ok', 'ok', 'ok', 'forbidden', 'forbidden') },
  'GET /my/loans/:id': { access: GROUP_OBJECT_PAGE, url: (w) => `/my/loans/${w.loan}` },
  'POST /my/loans/:id/cancel': { access: GROUP_OBJECT_PAGE, url: (w) => `/my/loans/${w.loan}/cancel` },

  // ---- one's group -------------------------------------------------------------------------------------
  'GET /my/group': { access: MY_GROUP_PAGE },
  'POST /my/group/renewal': { access: MY_GROUP_REPRESENTATIVE_FORM, body: () => RENEWAL_FORM },
  'POST /my/group/invitations': { access: MY_GROUP_REPRESENTATIVE_FORM, body: () => ({ email: 'newcomer@example.jp' }) },
  'POST /my/group/calendar-token': { access: MY_GROUP_REPRESENTATIVE_FORM },
  // The member to remove belongs to the member's group: the other group's representative must not find them.
  'GET /my/group/members/:accountId/remove': { access: access('login', 'hidden', 'hidden', 'forbidden', 'ok', 'hidden', 'hidden'), url: (w) => `/my/group/members/${w.secondMember}/remove` },
  'POST /my/group/members/:accountId/remove': { access: access('login', 'hidden', 'hidden', 'forbidden', 'ok', 'hidden', 'hidden'), url: (w) => `/my/group/members/${w.secondMember}/remove` },

  // ---- the desk --------------------------------------------------------------------------------------------
  'GET /desk': { access: STAFF },
  'GET /desk/book': { access: STAFF },
  'POST /desk/book': { access: STAFF },
  'POST /desk/book/edit': { access: STAFF },
  'POST /desk/book/confirm': { access: STAFF },
  'GET /desk/bookings': { access: STAFF, url: () => q('/desk/bookings', { q: '打ち合わせ' }) },
  'GET /desk/bookings/:id': { access: STAFF, url: (w) => `/desk/bookings/${w.booking}` },
  'POST /desk/bookings/:id/payments': { access: STAFF, url: (w) => `/desk/bookings/${w.booking}/payments`, body: () => ({ amountYen: '10' }) },
  'POST /desk/bookings/:id/refunds': { access: STAFF, url: (w) => `/desk/bookings/${w.booking}/refunds`, body: () => ({ refundYen: '10', refundReason: '過払い' }) },
  'POST /desk/bookings/:id/exemption': { access: STAFF, url: (w) => `/desk/bookings/${w.booking}/exemption`, body: () => ({ exemptPercent: '50', exemptReason: '公益' }) },
  'POST /desk/bookings/:id/check-in': { access: STAFF, url: (w) => `/desk/bookings/${w.booking}/check-in`, body: () => ({ attendees: '5' }) },
  'POST /desk/bookings/:id/contacted': { access: STAFF, url: (w) => `/desk/bookings/${w.booking}/contacted` },
  'GET /desk/bookings/:id/change': { access: STAFF, url: (w) => `/desk/bookings/${w.booking}/change` },
  'POST /desk/bookings/:id/change': { access: STAFF, url: (w) => `/desk/bookings/${w.booking}/change` },
  'POST /desk/bookings/:id/change/edit': { access: STAFF, url: (w) => `/desk/bookings/${w.booking}/change/edit` },
  'POST /desk/bookings/:id/change/confirm': { access: STAFF, url: (w) => `/desk/bookings/${w.booking}/change/confirm` },
  'GET /desk/bookings/:id/cancel': { access: STAFF, url: (w) => `/desk/bookings/${w.booking}/cancel` },
  'POST /desk/bookings/:id/cancel': { access: STAFF, url: (w) => `/desk/bookings/${w.booking}/cancel` },
  'POST /desk/payments/:id/void': { access: STAFF, url: (w) => `/desk/payments/${w.payment}/void`, body: (w) => ({ reason: '誤入力', booking: String(w.booking) }) },
  'GET /desk/calls': { access: STAFF },
  'GET /desk/loans': { access: STAFF },
  'GET /desk/loans/:id': { access: STAFF, url: (w) => `/desk/loans/${w.loan}` },
  'POST /desk/loans/:id/checkout': { access: STAFF, url: (w) => `/desk/loans/${w.loan}/checkout` },
  'POST /desk/loans/:id/return': { access: STAFF, url: (w) => `/desk/loans/${w.loan}/return` },
  'POST /desk/loans/:id/clear-flag': { access: STAFF, url: (w) => `/desk/loans/${w.loan}/clear-flag` },
  'GET /desk/loans/takeout': { access: STAFF },
  'POST /desk/loans/takeout': { access: STAFF, body: (w) => ({ group: String(w.group) }) },
  // `loan` is equipment with a booking: the desk is told to cancel the booking instead (409), after the role check.
  'POST /desk/loans/:id/cancel': { access: STAFF, url: (w) => `/desk/loans/${w.loan}/cancel`, body: () => ({ confirm: 'yes' }) },
  'GET /desk/cash': { access: STAFF },

  // ---- the manager's console -------------------------------------------------------------------------------
  'GET /manage': { access: MANAGER },
  'GET /manage/registrations': { access: MANAGER },
  'POST /manage/registrations/:id/approve': { access: MANAGER, url: (w) => `/manage/registrations/${w.registration}/approve` },
  'POST /manage/registrations/:id/reject': { access: MANAGER, url: (w) => `/manage/registrations/${w.registration}/reject`, body: () => ({ reason: '書類不備' }) },
  'POST /manage/registrations/retention': { access: MANAGER, body: () => ({ retentionDays: '400' }) },
  'GET /manage/groups': { access: MANAGER },
  'GET /manage/groups/:id': { access: MANAGER, url: (w) => `/manage/groups/${w.group}` },
  'POST /manage/groups/:id/suspend': { access: MANAGER, url: (w) => `/manage/groups/${w.group}/suspend`, body: () => ({ reason: '規約違反' }) },
  'POST /manage/groups/:id/reinstate': { access: MANAGER, url: (w) => `/manage/groups/${w.group}/reinstate` },
  'GET /manage/reports': { access: MANAGER },
  'GET /manage/rates': { access: MANAGER },
  'POST /manage/rates': { access: MANAGER },
  'POST /manage/rates/:id/withdraw': { access: MANAGER, url: (w) => `/manage/rates/${w.rate}/withdraw` },
  'GET /manage/rules': { access: MANAGER },
  'POST /manage/rules/:key': { access: MANAGER, url: () => '/manage/rules/bands' },
  'POST /manage/rules/:key/versions/:date/withdraw': { access: MANAGER, url: () => '/manage/rules/bands/versions/2027-04-01/withdraw' },
  'GET /manage/spaces': { access: MANAGER },
  'GET /manage/spaces/:slug': { access: MANAGER, url: () => '/manage/spaces/small-2' },
  'POST /manage/spaces/:slug': { access: MANAGER, url: () => '/manage/spaces/small-2', body: () => ({ name: '小会議室2', nameEn: 'Small meeting room 2' }) },
  'POST /manage/spaces/:slug/versions': { access: MANAGER, url: () => '/manage/spaces/small-2/versions' },
  'POST /manage/spaces/:slug/versions/:date/withdraw': { access: MANAGER, url: () => '/manage/spaces/small-2/versions/2027-04-01/withdraw' },
  'POST /manage/spaces/:slug/parts': { access: MANAGER, url: () => '/manage/spaces/training/parts', body: () => ({ parts: 'training-a' }) },
  'GET /manage/notices': { access: MANAGER },
  'POST /manage/notices': { access: MANAGER },
  'POST /manage/notices/:id/remove': { access: MANAGER, url: (w) => `/manage/notices/${w.notice}/remove` },
  'GET /manage/days': { access: MANAGER },
  'POST /manage/days': { access: MANAGER },
  'GET /manage/blocks': { access: MANAGER },
  'POST /manage/blocks': { access: MANAGER },
  'POST /manage/blocks/:id/remove': { access: MANAGER, url: (w) => `/manage/blocks/${w.block}/remove` },
  'GET /manage/staff': { access: MANAGER },
  'POST /manage/staff': { access: MANAGER },
  'POST /manage/staff/:id/disable': { access: MANAGER, url: (w) => `/manage/staff/${w.clerk}/disable` },
  'POST /manage/staff/:id/enable': { access: MANAGER, url: (w) => `/manage/staff/${w.clerk}/enable` },
  'GET /manage/tokens': { access: MANAGER },
  'POST /manage/tokens': { access: MANAGER },
  'POST /manage/tokens/:id/revoke': { access: MANAGER, url: (w) => `/manage/tokens/${w.apiToken}/revoke` },
  'GET /manage/audit': { access: MANAGER },
  'GET /manage/surveys': { access: MANAGER },
  'POST /manage/surveys': { access: MANAGER },
  'GET /manage/surveys/:id': { access: MANAGER, url: (w) => `/manage/surveys/${w.survey.id}` },
  'GET /manage/surveys/:id/print': { access: MANAGER, url: (w) => `/manage/surveys/${w.survey.id}/print` },
  'GET /manage/surveys/:id/results.csv': { access: MANAGER, url: (w) => `/manage/surveys/${w.survey.id}/results.csv` },
  'POST /manage/surveys/:id/close': { access: MANAGER, url: (w) => `/manage/surveys/${w.survey.id}/close` },
  'POST /manage/surveys/:id/reopen': { access: MANAGER, url: (w) => `/manage/surveys/${w.survey.id}/reopen`, body: () => ({ closesAt: '2027-03-31T22:00' }) },
  'GET /manage/surveys/:id/edit': { access: MANAGER, url: (w) => `/manage/surveys/${w.survey.id}/edit` },
  'POST /manage/surveys/:id/edit': { access: MANAGER, url: (w) => `/manage/surveys/${w.survey.id}/edit`, body: () => ({ title: '利用者アンケート', opensAt: '2026-11-01T09:00', closesAt: '2027-03-31T22:00', 'q1.kind': 'rating', 'q1.prompt': '満足度', 'q1.required': 'true' }) },
  // The desk sees the inventory and the damage cases; only managers change units and decide cases.
  'GET /manage/equipment': { access: STAFF },
  'POST /manage/equipment/units': { access: MANAGER, body: () => ({ type: 'whiteboard' }) },
  'POST /manage/equipment/units/:tag/state': { access: MANAGER, url: (w) => `/manage/equipment/units/${w.unitTag}/state`, body: () => ({ action: 'repair', note: '点検' }) },
  'GET /manage/damage-cases': { access: STAFF },
  'GET /manage/damage-cases/:id': { access: STAFF, url: (w) => `/manage/damage-cases/${w.damageCase}` },
  'POST /manage/damage-cases/:id/assess': { access: MANAGER, url: (w) => `/manage/damage-cases/${w.damageCase}/assess`, body: () => ({ costYen: '1000', liable: 'true' }) },
  'POST /manage/damage-cases/:id/settle': { access: MANAGER, url: (w) => `/manage/damage-cases/${w.damageCase}/settle` },
  'POST /manage/damage-cases/:id/waive': { access: MANAGER, url: (w) => `/manage/damage-cases/${w.damageCase}/waive`, body: () => ({ reason: '経年劣化' }) },
  // The opinion box is triaged at the desk: staff read, set a status and draft answers; managers publish.
  'GET /manage/opinions': { access: STAFF },
  'GET /manage/opinions/:id': { access: STAFF, url: (w) => `/manage/opinions/${w.opinion}` },
  'POST /manage/opinions/:id/status': { access: STAFF, url: (w) => `/manage/opinions/${w.opinion}/status`, body: () => ({ status: 'in_review' }) },
  'POST /manage/opinions/:id/answer': { access: STAFF, url: (w) => `/manage/opinions/${w.opinion}/answer`, body: () => ({ answer: '交換します。' }) },
  'POST /manage/opinions/retention': { access: MANAGER, body: () => ({ retentionDays: '365' }) },
};

// ---- the world the rows point at -------------------------------------------------------------------

const EMAIL: Record<Exclude<RoleName, 'anonymous'>, string> = {
  individual: 'individual@example.jp',
  otherMember: 'other-rep@example.jp',
  member: 'member@example.jp',
  representative: 'representative@example.jp',
  staff: 'staff@example.jp',
  manager: 'manager@example.jp',
};

function expectStatus(res: LightMyRequestResponse, status: number, what: string): void {
  if (res.statusCode !== status) throw new Error(`setting up ${what}: ${res.statusCode} ${res.body}`);
}

/**
 * The app at 2026-12-01 10:00 Tokyo with one account per role and real objects: the member's
 * group (a member, its representative and a second member) with a confirmed booking paid in part
 * at the desk; the other group, whose representative is `otherMember`, and an individual, each
 * with a booking of their own; and what the manager's and the desk's routes act on.
 */
export async function buildWorld(): Promise<World> {
  const t = await makeTestApp('2026-12-01T10:00');
  const group = makeGroup(t, '市民活動ネットワーク');
  const otherGroup = makeGroup(t, 'みどりの会');
  await t.account('individual', EMAIL.individual);
  await t.account('member', EMAIL.otherMember, { groupId: otherGroup, isRepresentative: true });
  await t.account('member', EMAIL.member, { groupId: group });
  await t.account('member', EMAIL.representative, { groupId: group, isRepresentative: true });
  const secondMember = await t.account('member', 'second-member@example.jp', { groupId: group });
  await t.account('staff', EMAIL.staff);
  const managerId = await t.account('manager', EMAIL.manager, { name: '管理 花子' });
  const clerk = await t.account('staff', 'clerk@example.jp');
  const cookies = {} as World['cookies'];
  for (const role of Object.keys(EMAIL) as (keyof typeof EMAIL)[]) cookies[role] = await t.login(EMAIL[role]);
  const manager: Actor = { id: managerId, role: 'manager', name: '管理 花子', groupId: null, isRepresentative: false };

  const book = async (role: keyof typeof EMAIL, start: string, end: string) => {
    const res = await call(t, 'POST', '/api/v1/bookings', { cookie: cookies[role], body: bookingBody(start, end) });
    expectStatus(res, 201, `a booking of ${role}`);
    return (res.json() as { id: number }).id;
  };
  const booking = await book('member', `${DAY}T10:00`, `${DAY}T12:00`);
  const otherGroupBooking = await book('otherMember', `${DAY}T14:00`, `${DAY}T16:00`);
  const individualBooking = await book('individual', `${DAY}T17:00`, `${DAY}T19:00`);

  const paid = await call(t, 'POST', `/api/v1/bookings/${booking}/payments`, { cookie: cookies.staff, body: { amountYen: 100, method: 'cash' } });
  expectStatus(paid, 201, 'a payment');
  const receiptNo = (paid.json() as { receiptNo: string }).receiptNo;
  const payment = (t.db.$client.prepare('SELECT id FROM payments WHERE receipt_no = ?').get(receiptNo) as { id: number }).id;

  const invited = await call(t, 'POST', `/api/v1/groups/${group}/invitations`, { cookie: cookies.representative, body: { email: 'invited@example.jp' } });
  expectStatus(invited, 201, 'an invitation');
  const feed = await call(t, 'POST', `/api/v1/groups/${group}/calendar-token`, { cookie: cookies.representative });
  expectStatus(feed, 201, 'a calendar feed');
  const calendarToken = /\/calendars\/groups\/([^/]+)\.ics$/.exec((feed.json() as { url: string }).url)![1]!;

  const applied = await call(t, 'POST', '/api/v1/registrations', {
    body: {
      name: 'あおぞら町内会', kana: 'あおぞらちょうないかい', type: 'neighborhood-association',
      representative: { name: '佐藤花子', email: 'aozora@example.jp', password: 'aozora-secret-1', phone: '090-1111-2222' },
      memberCount: 25, fields: ['まちづくり'], description: '地域の防災活動', publicProfile: true,
      attestations: { nonPolitical: true, nonReligious: true, nonCommercial: true },
    },
  });
  expectStatus(applied, 201, 'a registration');
  const opinion = await call(t, 'POST', '/api/v1/opinions', { body: { category: 'facility', body: 'トイレの照明が暗いです。' }, remoteAddress: '192.0.2.1' });
  expectStatus(opinion, 201, 'an opinion');
  const notice = await call(t, 'POST', '/api/v1/notices', { cookie: cookies.manager, body: { title: '年末年始の休館', body: '12月29日から1月3日まで休館します。' } });
  expectStatus(notice, 201, 'a notice');
  const rate = await call(t, 'POST', '/api/v1/rates', { cookie: cookies.manager, body: { space: 'small-1', band: 'morning', hourlyYen: 300, effectiveFrom: '2027-04-01' } });
  expectStatus(rate, 201, 'a rate');
  // A scheduled change of the rules and of a space's terms, for the routes that withdraw them.
  expectStatus(await call(t, 'PUT', '/api/v1/rules/bands', { cookie: cookies.manager, body: { afternoonFrom: '12:00', eveningFrom: '17:00', effectiveFrom: '2027-04-01' } }), 200, 'a scheduled rule');
  expectStatus(await call(t, 'POST', '/api/v1/spaces/small-2/versions', { cookie: cookies.manager, body: { capacity: 10, effectiveFrom: '2027-04-01' } }), 201, 'scheduled space terms');
  const block = await call(t, 'POST', '/api/v1/spaces/hall/blocks', { cookie: cookies.manager, body: { start: '2027-01-20T09:00', end: '2027-01-20T12:00', reason: 'ピアノ調律' } });
  expectStatus(block, 201, 'a block');
  const token = await call(t, 'POST', '/api/v1/api-tokens', { cookie: cookies.manager, body: { name: '窓口タブレット' } });
  expectStatus(token, 201, 'an API token');
  const survey = t.app.services.surveys.create(manager, {
    title: '利用者アンケート', opensAt: '2026-11-01T09:00', closesAt: '2027-03-31T22:00',
    questions: [{ kind: 'rating', prompt: '満足度', required: true }],
  });

  const loan = await call(t, 'POST', '/api/v1/loans', { cookie: cookies.member, body: { bookingId: booking, items: [{ type: 'projector', quantity: 1 }] } });
  expectStatus(loan, 201, 'a loan');
  const damaged = await call(t, 'POST', '/api/v1/loans', { cookie: cookies.member, body: { bookingId: booking, items: [{ type: 'screen', quantity: 1 }] } });
  expectStatus(damaged, 201, 'a second loan');
  const damagedId = (damaged.json() as { id: number }).id;
  const out = await call(t, 'POST', `/api/v1/loans/${damagedId}/checkout`, { cookie: cookies.staff, body: {} });
  expectStatus(out, 200, 'an early checkout');
  const screenTag = (out.json() as { units: { tag: string }[] }).units[0]!.tag;
  const back = await call(t, 'POST', `/api/v1/loans/${damagedId}/return`, { cookie: cookies.staff, body: { units: [{ tag: screenTag, condition: 'damaged', note: '布が裂けた' }] } });
  expectStatus(back, 200, 'a damaged return');
  const damageCase = (back.json() as { damageCases: number[] }).damageCases[0]!;
  expectStatus(await call(t, 'POST', `/api/v1/damage-cases/${damageCase}/assess`, { cookie: cookies.manager, body: { costYen: 0, liable: false, note: '経年劣化' } }), 200, 'an assessment');

  const one = (sql: string) => (t.db.$client.prepare(sql).get() as { id: number }).id;
  return {
    t, cookies,
    group, otherGroup, booking, otherGroupBooking, individualBooking, payment, receiptNo, secondMember,
    invitationToken: (invited.json() as { token: string }).token,
    calendarToken,
    registration: (applied.json() as { id: number }).id,
    opinion: (opinion.json() as { id: number }).id,
    notice: (notice.json() as { id: number }).id,
    rate: (rate.json() as { id: number }).id,
    block: one('SELECT max(id) AS id FROM space_blocks'),
    clerk,
    apiToken: one('SELECT max(id) AS id FROM api_tokens'),
    survey: { id: survey.id, slug: survey.slug },
    loan: (loan.json() as { id: number }).id,
    damageCase,
    unitTag: (t.db.$client.prepare("SELECT u.tag FROM equipment_units u JOIN equipment_types t ON t.id = u.type_id WHERE t.slug = 'whiteboard' ORDER BY u.tag LIMIT 1").pluck().get() as string),
  };
}

// ---- probing a route as a role -------------------------------------------------------------------------

/** A route key's method and path: `'POST /api/v1/bookings/:id/cancel'` → `['POST', '/api/v1/bookings/:id/cancel']`. */
export function splitKey(key: string): [string, string] {
  const space = key.indexOf(' ');
  return [key.slice(0, space), key.slice(space + 1)];
}

/** Routes whose anonymous answer is a problem+json 401 rather than the login page. */
export const isApiPath = (path: string) => path.startsWith('/api/') || path.startsWith('/reports/') || path.startsWith('/calendars/');
/** A POST route of an HTML form (CSRF-protected), as opposed to the JSON API and the feeds. */
export const isFormPost = (key: string) => splitKey(key)[0] === 'POST' && !isApiPath(splitKey(key)[1]);

/** The CSRF token the probes send: the double-submit check only compares the field with the cookie. */
export const CSRF_TOKEN = 'probe-csrf-token-0123456789abcdefghijklmnop';
export type Csrf = 'valid' | 'missing' | 'wrong' | 'no-cookie';
/** How a body is sent: what the route expects by default, or what a cross-site HTML form can send. */
export type Encoding = 'none' | 'json' | 'form' | 'text' | 'multipart';

let address = 0;
/** A fresh client address per request: the opinion box, the feeds and login are rate limited per address. */
const nextAddress = () => {
  address += 1;
  return `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`;
};

/** One statement per database that reads every table's row count and SQLite's total_changes() at once. */
const fingerprints = new WeakMap<object, { get(): unknown }>();

/** Row counts of every table and SQLite's count of changed rows: an UPDATE shows in the latter. */
function fingerprint(t: TestApp): { counts: Record<string, number>; changes: number } {
  const sqlite = t.db.$client;
  let statement = fingerprints.get(sqlite);
  if (!statement) {
    const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'").pluck().all() as string[];
    statement = sqlite.prepare(`SELECT ${tables.map((name) => `(SELECT count(*) FROM "${name}") AS "${name}"`).join(', ')}, total_changes() AS "(changes)"`);
    fingerprints.set(sqlite, statement);
  }
  const { '(changes)': changes, ...counts } = statement.get() as Record<string, number>;
  return { counts, changes: changes! };
}

export interface Probe {
  res: LightMyRequestResponse;
  /** What the request changed in the database: tables whose row count moved, or `rows updated`. */
  changed: string[];
}

/**
 * Sends the row's request as the role, inside a transaction that is rolled back afterwards, so
 * every probe meets the same world (an allowed cancel does not cancel the booking for the next
 * probe). The services' own transactions nest as savepoints. What the request changed is read
 * before the rollback.
 */
export async function probe(w: World, key: string, row: Row, role: RoleName, opts: { csrf?: Csrf; encoding?: Encoding } = {}): Promise<Probe> {
  const [method, path] = splitKey(key);
  const url = row.url ? row.url(w) : path;
  const csrf = opts.csrf ?? 'valid';
  const encoding = opts.encoding ?? (isFormPost(key) ? 'form' : method === 'GET' || method === 'DELETE' ? 'none' : 'json');
  const cookies: string[] = role === 'anonymous' ? [] : [w.cookies[role]];
  const headers: Record<string, string> = {};
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(row.body?.(w) ?? {})) fields[name] = typeof value === 'string' ? value : JSON.stringify(value);
  if (isFormPost(key)) {
    if (csrf !== 'no-cookie') cookies.push(`hiroba_csrf=${CSRF_TOKEN}`);
    if (csrf === 'valid' || csrf === 'no-cookie') fields._csrf = CSRF_TOKEN;
    if (csrf === 'wrong') fields._csrf = `${CSRF_TOKEN.slice(0, -1)}X`;
  }
  let payload: string | undefined;
  if (encoding === 'form') {
    payload = new URLSearchParams(fields).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (encoding === 'json') {
    payload = JSON.stringify(row.body?.(w) ?? {});
    headers['content-type'] = 'application/json';
  } else if (encoding === 'text') {
    // What a cross-site form can send with enctype="text/plain": JSON-looking text.
    payload = JSON.stringify(row.body?.(w) ?? {});
    headers['content-type'] = 'text/plain';
  } else if (encoding === 'multipart') {
    const boundary = 'probe-boundary-7MA4YWxkTrZu0gW';
    payload = `${Object.entries(fields).map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join('')}--${boundary}--\r\n`;
    headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
  }
  if (cookies.length > 0) headers.cookie = cookies.join('; ');
  const sqlite = w.t.db.$client;
  sqlite.exec('BEGIN');
  try {
    const before = fingerprint(w.t);
    const res = await w.t.app.inject({
      method: method as 'GET', url, headers, remoteAddress: nextAddress(), ...(payload === undefined ? {} : { payload }),
    });
    const after = fingerprint(w.t);
    const changed = Object.keys(after.counts).filter((name) => after.counts[name] !== before.counts[name]);
    if (changed.length === 0 && after.changes !== before.changes) changed.push('rows updated');
    return { res, changed };
  } finally {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    // A write rolled back here may have been read into the reference cache meanwhile.
    w.t.app.services.reference.invalidate();
  }
}

/**
 * The outcome class of an answer, or a description of an answer that fits no class (a 500, a GET
 * refused with 400/409, a page answering 401 instead of the login redirect …).
 */
export function classify(key: string, res: LightMyRequestResponse): Outcome | string {
  const [method, path] = splitKey(key);
  const api = isApiPath(path);
  const status = res.statusCode;
  const problemCode = () => {
    try {
      return (res.json() as { code?: string }).code;
    } catch {
      return undefined;
    }
  };
  if (status >= 500) return `error ${status}`;
  if (api) {
    if (status === 401) return problemCode() === 'unauthenticated' ? 'login' : `401 ${problemCode()}`;
    if (status === 403) return problemCode() === 'forbidden' ? 'forbidden' : `403 ${problemCode()}`;
    if (status === 404) return problemCode() === 'not_found' ? 'hidden' : `404 ${problemCode()}`;
  } else {
    const location = String(res.headers.location ?? '');
    if (status === 303 && location.startsWith('/login?next=')) return 'login';
    if (status === 401) return 'page 401';
    if (status === 403) return 'forbidden';
    if (status === 404) return 'hidden';
  }
  if (method === 'GET' && status >= 400) return `GET answered ${status}`;
  return 'ok';
}
