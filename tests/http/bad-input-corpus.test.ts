import { createHash } from 'node:crypto';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { makeTestApp, type TestApp } from '../support/app.js';
import { openForm } from '../support/forms.js';
import { expectProblem, makeGroup } from './helpers.js';

// Issue 10: a corpus of bad input against the endpoints that read input — the JSON API
// (bodies and query strings) and the HTML forms (form-encoded, with a valid CSRF token). Every case
// must be a clear 4xx (problem+json with API.md's `code`; a re-rendered form in Japanese, 422, for
// pages) and must leave every table exactly as it was: row counts and row contents of every table
// that sqlite_master lists are compared before and after.
//
// tests/http/errors.test.ts already holds ~60 POST /bookings cases; this corpus goes across every
// other endpoint and repeats a booking case only where the category needs it (encoding, nesting).
//
// Invalid UTF-8: Node decodes bytes leniently (0xFF becomes U+FFFD), so such a body would be stored
// with a replacement character nobody typed. The JSON parser and the form parser decode strictly
// instead and answer 400 `bad_request`; a JSON `\ud800` escape (a lone surrogate, which JSON allows
// but UTF-8 cannot store) is refused by the text validators like a control character.

const CLOCK = '2026-12-01T10:00'; // a Tuesday, Tokyo time
type Who = 'anon' | 'individual' | 'member' | 'staff' | 'manager';
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';

let t: TestApp;
const cookies: Record<Who, string> = { anon: '', individual: '', member: '', staff: '', manager: '' };
const forms: Record<Who, { token: string; cookie: string }> = {} as Record<Who, { token: string; cookie: string }>;
/** Ids the cases refer to as `{name}` in their URLs. */
const ids: Record<string, string | number> = {};
let requestNo = 0;

// ---- what a failed request must leave alone ------------------------------------------------------

function tableNames(): string[] {
  return t.db.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
}

/** Every table's row count and a digest of its rows: an insert, update or delete shows in one of them. */
function state(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of tableNames()) {
    const rows = t.db.$client.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all();
    out[name] = `${rows.length} rows ${createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 16)}`;
  }
  return out;
}

const fill = (url: string) => url.replace(/\{(\w+)\}/g, (_m, key: string) => {
  if (!(key in ids)) throw new Error(`no fixture {${key}}`);
  return String(ids[key]);
});

/** A distinct client address per request, so the in-memory limits (logins, opinions) never decide a case. */
const nextAddress = () => {
  requestNo += 1;
  return `10.${(requestNo >> 16) & 255}.${(requestNo >> 8) & 255}.${requestNo & 255}`;
};

// ---- payload builders ---------------------------------------------------------------------------

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
const DEEP = 'DEEP';
/** `body` as JSON with its `"DEEP"` value replaced by arrays (or objects) nested `depth` deep: JSON.stringify would overflow the stack. */
const deep = (body: unknown, depth: number, kind: 'arrays' | 'objects' = 'arrays') =>
  JSON.stringify(body).replace(`"${DEEP}"`, kind === 'arrays' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth));
const long = (n: number, c = 'a') => c.repeat(n);
const HTML = '<script>alert(1)</script>';

/** A walk-in booking at the desk, small-1 on Thursday 10 December 14:00–16:00 (free in the fixtures). */
const walkIn = (extra: Record<string, unknown> = {}) => ({
  space: 'small-1', start: '2026-12-10T14:00', end: '2026-12-10T16:00', purpose: '打ち合わせ', attendees: 4, walkIn: { name: '山田 太郎', phone: '090-1234-5678' }, ...extra,
});
const quote = (extra: Record<string, unknown> = {}) => ({ space: 'training-a', start: '2026-12-15T18:00', end: '2026-12-15T21:00', attendees: 10, ...extra });
const account = (extra: Record<string, unknown> = {}) => ({ name: '佐藤 花子', email: 'hanako@example.jp', password: 'a long passphrase', phone: '090-2222-3333', ...extra });
const application = (extra: Record<string, unknown> = {}) => ({
  name: '緑の会', kana: 'みどりのかい', type: 'volunteer',
  representative: { name: '緑川 一郎', email: 'midori@example.jp', password: 'a long passphrase', phone: '03-1111-2222' },
  memberCount: 8, fields: ['環境'], description: '公園の清掃', publicProfile: false,
  attestations: { nonPolitical: true, nonReligious: true, nonCommercial: true }, ...extra,
});
/** An application's JSON cut in the middle of the group name, to put raw bytes there. */
const APPLICATION_JSON = (() => {
  const [head, tail] = JSON.stringify(application()).split('"緑の会"') as [string, string];
  return [`${head}"緑の`, `会"${tail}`] as const;
})();
const representative = (extra: Record<string, unknown>) => ({ ...application().representative, ...extra });
const day = (extra: Record<string, unknown> = {}) => ({ open: '09:00', close: '21:00', ...extra });
const block = (extra: Record<string, unknown> = {}) => ({ start: '2026-12-20T09:00', end: '2026-12-20T12:00', reason: '設備点検', ...extra });
const rate = (extra: Record<string, unknown> = {}) => ({ space: 'hall', band: 'morning', hourlyYen: 2200, effectiveFrom: '2027-04-01', ...extra });
const notice = (extra: Record<string, unknown> = {}) => ({ title: '臨時休館のお知らせ', body: '設備点検のため休館します。', ...extra });
const opinion = (extra: Record<string, unknown> = {}) => ({ category: 'facility', body: 'トイレの案内表示が分かりにくいです。', ...extra });
const CALENDAR_RULES = { defaultOpen: '09:00', defaultClose: '22:00', closingMondays: [2, 4], yearEndFrom: '12-29', yearEndTo: '01-03', latestClose: '23:00' };
const PRICING_RULES = {
  categoryPercent: { registered: 50, general: 100, admission: 150, commercial: 300 }, admissionThresholdYen: 2000, heatingPercent: 20,
  heatingFrom: '11-01', heatingTo: '04-30', equipmentMultiplier: { registered: 0, general: 1, admission: 1, commercial: 3 },
};
const pricing = (extra: Record<string, unknown>) => ({ ...PRICING_RULES, ...extra });
/** A take-out of the fixtures' group (its id is known once the fixtures exist). */
const takeout = (extra: Record<string, unknown> = {}) => () => ({
  groupId: ids.group, start: '2026-12-08T10:00', end: '2026-12-09T17:00', items: [{ type: 'screen', quantity: 1 }], ...extra,
});
const percents = (extra: Record<string, unknown>) => pricing({ categoryPercent: { ...PRICING_RULES.categoryPercent, ...extra } });

// ---- the API corpus -----------------------------------------------------------------------------

interface ApiCase {
  what: string;
  as: Who;
  method: Method;
  url: string;
  /** Sent as JSON; a function is called when the case runs (for ids of the fixtures). */
  body?: unknown;
  /** Sent as is, as application/json (for bytes JSON.stringify cannot make). */
  raw?: string | Buffer;
  status: number;
  code: string;
  /** A path `errors` must name (422 validation_failed). */
  path?: string;
}

const c = (as: Who, method: Method, url: string, what: string, body: unknown, status: number, code: string, path?: string): ApiCase =>
  ({ what, as, method, url, body, status, code, ...(path !== undefined ? { path } : {}) });
const v = (as: Who, method: Method, url: string, what: string, body: unknown, path?: string) => c(as, method, url, what, body, 422, 'validation_failed', path);
const q = (as: Who, url: string, what: string, path?: string) => c(as, 'GET', url, what, undefined, 422, 'validation_failed', path);
const rawCase = (as: Who, method: Method, url: string, what: string, raw: string | Buffer, status: number, code: string, path?: string): ApiCase =>
  ({ what, as, method, url, raw, status, code, ...(path !== undefined ? { path } : {}) });
const deepCase = (as: Who, url: string, what: string, raw: string, path?: string) => rawCase(as, 'POST', url, what, raw, 422, 'validation_failed', path);

const API: ApiCase[] = [
  // -- POST /auth/login --
  v('anon', 'POST', '/api/v1/auth/login', 'an e-mail as a number', { email: 12345, password: 'a long passphrase' }, 'email'),
  v('anon', 'POST', '/api/v1/auth/login', 'a password of null', { email: 'kojin@example.jp', password: null }, 'password'),
  v('anon', 'POST', '/api/v1/auth/login', 'a body that is an array', [{ email: 'kojin@example.jp', password: 'x' }], '(body)'),
  v('anon', 'POST', '/api/v1/auth/login', 'an e-mail of 100,000 characters', { email: `${long(100_000)}@example.jp`, password: 'x' }, 'email'),
  v('anon', 'POST', '/api/v1/auth/login', 'a password of 100,000 characters', { email: 'kojin@example.jp', password: long(100_000) }, 'password'),
  rawCase('anon', 'POST', '/api/v1/auth/login', 'NaN, which is not JSON', '{"email":"kojin@example.jp","password":NaN}', 400, 'bad_request'),
  rawCase('anon', 'POST', '/api/v1/auth/login', 'invalid UTF-8 (0xFF) in the password', bytes('{"email":"kojin@example.jp","password":"pass', [0xff], 'word12345"}'), 400, 'bad_request'),

  // -- POST /accounts --
  v('anon', 'POST', '/api/v1/accounts', 'no name', account({ name: undefined }), 'name'),
  v('anon', 'POST', '/api/v1/accounts', 'a NUL in the name', account({ name: '佐藤\u0000花子' }), 'name'),
  v('anon', 'POST', '/api/v1/accounts', 'CR/LF in the name', account({ name: '佐藤\r\n花子' }), 'name'),
  v('anon', 'POST', '/api/v1/accounts', 'an escape sequence in the name', account({ name: '佐藤\u001b[31m花子' }), 'name'),
  v('anon', 'POST', '/api/v1/accounts', 'a C1 control (U+0085) in the name', account({ name: '佐藤\u0085花子' }), 'name'),
  v('anon', 'POST', '/api/v1/accounts', 'a lone surrogate (\\ud800) in the name', account({ name: '佐藤\ud800' }), 'name'),
  v('anon', 'POST', '/api/v1/accounts', 'a name of 100,000 characters', account({ name: long(100_000) }), 'name'),
  v('anon', 'POST', '/api/v1/accounts', 'a name as an object', account({ name: { family: '佐藤' } }), 'name'),
  deepCase('anon', '/api/v1/accounts', 'a name nested 10,000 arrays deep', deep(account({ name: DEEP }), 10_000), 'name'),
  v('anon', 'POST', '/api/v1/accounts', 'an e-mail that is not one', account({ email: 'hanako at example.jp' }), 'email'),
  v('anon', 'POST', '/api/v1/accounts', 'a header injected into the e-mail', account({ email: 'hanako@example.jp\r\nBcc: all@example.jp' }), 'email'),
  v('anon', 'POST', '/api/v1/accounts', 'a password of 9 characters', account({ password: '123456789' }), 'password'),
  v('anon', 'POST', '/api/v1/accounts', 'a password as a number', account({ password: 12345678901 }), 'password'),
  v('anon', 'POST', '/api/v1/accounts', 'a phone number with letters', account({ phone: '090-CALL-ME' }), 'phone'),
  v('anon', 'POST', '/api/v1/accounts', 'a formula as the phone number', account({ phone: '=HYPERLINK("http://evil.example")' }), 'phone'),
  v('anon', 'POST', '/api/v1/accounts', 'a role smuggled in', account({ role: 'manager' }), '(body)'),
  v('anon', 'POST', '/api/v1/accounts', 'an e-mail already registered', account({ email: 'kojin@example.jp' }), 'email'),
  rawCase('anon', 'POST', '/api/v1/accounts', 'invalid UTF-8 (0xC3 0x28) in the name', bytes('{"name":"佐藤', [0xc3, 0x28], '","email":"hanako@example.jp","password":"a long passphrase","phone":"090-2222-3333"}'), 400, 'bad_request'),

  // -- POST /api-tokens, /staff-accounts --
  v('manager', 'POST', '/api/v1/api-tokens', 'no name', {}, 'name'),
  v('manager', 'POST', '/api/v1/api-tokens', 'a name of 101 characters', { name: long(101) }, 'name'),
  v('manager', 'POST', '/api/v1/api-tokens', 'a BEL character in the name', { name: '集計\u0007' }, 'name'),
  v('manager', 'POST', '/api/v1/api-tokens', 'a name as an array', { name: ['集計'] }, 'name'),
  v('manager', 'POST', '/api/v1/staff-accounts', 'a role that does not exist', { ...account({ email: 'new-staff@example.jp' }), role: 'admin' }, 'role'),
  v('manager', 'POST', '/api/v1/staff-accounts', 'a role as an array', { ...account({ email: 'new-staff@example.jp' }), role: ['manager'] }, 'role'),
  v('manager', 'POST', '/api/v1/staff-accounts', 'an e-mail already registered', account({ email: 'madoguchi@example.jp' }), 'email'),
  v('manager', 'POST', '/api/v1/staff-accounts', 'a NUL in the name', account({ email: 'new-staff@example.jp', name: 'a\u0000' }), 'name'),

  // -- POST /quotes --
  v('anon', 'POST', '/api/v1/quotes', 'attendees as a string', quote({ attendees: '10' }), 'attendees'),
  v('anon', 'POST', '/api/v1/quotes', 'a space of null', quote({ space: null }), 'space'),
  v('anon', 'POST', '/api/v1/quotes', '24:00 as an end', quote({ start: '2026-12-15T21:00', end: '2026-12-15T24:00' }), 'end'),
  v('anon', 'POST', '/api/v1/quotes', 'a date that does not exist (2027-02-30)', quote({ start: '2027-02-30T18:00', end: '2027-02-30T21:00' }), 'start'),
  v('anon', 'POST', '/api/v1/quotes', 'February 29 of a common year', quote({ start: '2027-02-29T18:00', end: '2027-02-29T21:00' }), 'start'),
  v('anon', 'POST', '/api/v1/quotes', 'a negative admission fee', quote({ use: { commercial: false, admissionFeeYen: -100 } }), 'use.admissionFeeYen'),
  v('anon', 'POST', '/api/v1/quotes', 'a fractional admission fee', quote({ use: { commercial: false, admissionFeeYen: 500.5 } }), 'use.admissionFeeYen'),
  v('anon', 'POST', '/api/v1/quotes', 'an admission fee as a string', quote({ use: { commercial: false, admissionFeeYen: '500' } }), 'use.admissionFeeYen'),
  v('anon', 'POST', '/api/v1/quotes', 'an admission fee over ¥1,000,000', quote({ use: { commercial: false, admissionFeeYen: 1_000_001 } }), 'use.admissionFeeYen'),
  v('anon', 'POST', '/api/v1/quotes', 'use as an array', quote({ use: [false, 0] }), 'use'),
  v('anon', 'POST', '/api/v1/quotes', 'commercial as the string "true"', quote({ use: { commercial: 'true', admissionFeeYen: 0 } }), 'use.commercial'),
  v('anon', 'POST', '/api/v1/quotes', 'equipment as an object', quote({ equipment: { type: 'projector', quantity: 1 } }), 'equipment'),
  deepCase('anon', '/api/v1/quotes', 'equipment nested 10,000 arrays deep', deep(quote({ equipment: [DEEP] }), 10_000), 'equipment.0'),
  deepCase('anon', '/api/v1/quotes', 'a body nested 10,000 arrays deep', deep(DEEP, 10_000), '(body)'),
  deepCase('anon', '/api/v1/quotes', 'a body nested 10,000 objects deep', deep(DEEP, 10_000, 'objects'), '(body)'),
  v('anon', 'POST', '/api/v1/quotes', 'a week date (2026-W51-2)', quote({ start: '2026-W51-2T18:00', end: '2026-W51-2T21:00' }), 'start'),
  v('anon', 'POST', '/api/v1/quotes', 'an hour of 25', quote({ start: '2026-12-15T25:00', end: '2026-12-15T26:00' }), 'start'),
  v('anon', 'POST', '/api/v1/quotes', 'a minute of 60', quote({ start: '2026-12-15T18:60' }), 'start'),
  v('anon', 'POST', '/api/v1/quotes', 'a month of 13', quote({ start: '2026-13-15T18:00', end: '2026-13-15T21:00' }), 'start'),
  v('anon', 'POST', '/api/v1/quotes', 'a start of 41 characters', quote({ start: `2026-12-15T18:00${long(25, '0')}` }), 'start'),
  v('anon', 'POST', '/api/v1/quotes', 'words instead of a time', quote({ start: 'tomorrow evening' }), 'start'),
  v('staff', 'POST', '/api/v1/quotes', 'an exemption of 75%', quote({ walkIn: { name: '山田 太郎' }, exemption: { percent: 75, reason: '市の共催' } }), 'exemption.percent'),
  rawCase('anon', 'POST', '/api/v1/quotes', 'a body over 256 KiB', JSON.stringify(quote({ purpose: long(270_000) })), 413, 'payload_too_large'),
  rawCase('anon', 'POST', '/api/v1/quotes', 'invalid UTF-8 (a truncated 3-byte sequence)', bytes('{"space":"training-a","start":"2026-12-15T18:00","end":"2026-12-15T21:00","attendees":10,"purpose":"', [0xe3, 0x81], '"}'), 400, 'bad_request'),
  rawCase('anon', 'POST', '/api/v1/quotes', 'a raw control character inside a JSON string', '{"space":"training-a\u0001","start":"2026-12-15T18:00","end":"2026-12-15T21:00","attendees":10}', 400, 'bad_request'),

  // -- POST /bookings (beyond errors.test.ts: encodings, nesting, sizes, staff-only fields) --
  v('staff', 'POST', '/api/v1/bookings', 'an exemption of 0%', walkIn({ exemption: { percent: 0, reason: '市の共催' } }), 'exemption.percent'),
  v('staff', 'POST', '/api/v1/bookings', 'an exemption of 49.5%', walkIn({ exemption: { percent: 49.5, reason: '市の共催' } }), 'exemption.percent'),
  v('staff', 'POST', '/api/v1/bookings', 'an exemption of "50" (a string)', walkIn({ exemption: { percent: '50', reason: '市の共催' } }), 'exemption.percent'),
  v('staff', 'POST', '/api/v1/bookings', 'an exemption of 150%', walkIn({ exemption: { percent: 150, reason: '市の共催' } }), 'exemption.percent'),
  v('staff', 'POST', '/api/v1/bookings', 'an exemption of -50%', walkIn({ exemption: { percent: -50, reason: '市の共催' } }), 'exemption.percent'),
  v('staff', 'POST', '/api/v1/bookings', 'an exemption without a reason', walkIn({ exemption: { percent: 50 } }), 'exemption.reason'),
  v('staff', 'POST', '/api/v1/bookings', 'a NUL in the override reason', walkIn({ overrideReason: '電話\u0000受付' }), 'overrideReason'),
  v('staff', 'POST', '/api/v1/bookings', 'an override reason of 501 characters', walkIn({ overrideReason: long(501) }), 'overrideReason'),
  v('staff', 'POST', '/api/v1/bookings', 'a walk-in name of 100,000 characters', walkIn({ walkIn: { name: long(100_000) } }), 'walkIn.name'),
  v('staff', 'POST', '/api/v1/bookings', 'a walk-in as an array', walkIn({ walkIn: ['山田 太郎'] }), 'walkIn'),
  v('staff', 'POST', '/api/v1/bookings', 'a walk-in phone with letters', walkIn({ walkIn: { name: '山田 太郎', phone: 'call me' } }), 'walkIn.phone'),
  v('staff', 'POST', '/api/v1/bookings', 'CR/LF in the walk-in name', walkIn({ walkIn: { name: '山田\r\nX-Injected: 1' } }), 'walkIn.name'),
  deepCase('staff', '/api/v1/bookings', 'a walk-in nested 10,000 objects deep', deep(walkIn({ walkIn: DEEP }), 10_000, 'objects'), 'walkIn'),
  v('staff', 'POST', '/api/v1/bookings', 'a negative group id', walkIn({ walkIn: undefined, groupId: -1 }), 'groupId'),
  v('staff', 'POST', '/api/v1/bookings', 'a fractional group id', walkIn({ walkIn: undefined, groupId: 1.5 }), 'groupId'),
  v('staff', 'POST', '/api/v1/bookings', 'an account id as a string', walkIn({ walkIn: undefined, accountId: '1' }), 'accountId'),
  v('staff', 'POST', '/api/v1/bookings', 'both a group and a walk-in', walkIn({ groupId: 1 })),
  v('staff', 'POST', '/api/v1/bookings', 'a purpose of 100,000 characters', walkIn({ purpose: long(100_000) }), 'purpose'),
  rawCase('staff', 'POST', '/api/v1/bookings', 'a purpose of 100,000 kana (300 kB, over the limit)', JSON.stringify(walkIn({ purpose: long(100_000, 'あ') })), 413, 'payload_too_large'),
  v('staff', 'POST', '/api/v1/bookings', 'a DEL in the purpose', walkIn({ purpose: '会議\u007f' }), 'purpose'),
  v('staff', 'POST', '/api/v1/bookings', 'a terminal escape in the purpose', walkIn({ purpose: '\u001b]0;owned\u0007会議' }), 'purpose'),
  v('staff', 'POST', '/api/v1/bookings', 'a C1 control (U+009B, CSI) in the purpose', walkIn({ purpose: '会議\u009b31m' }), 'purpose'),
  v('staff', 'POST', '/api/v1/bookings', 'a lone low surrogate in the purpose', walkIn({ purpose: '会議\udc00' }), 'purpose'),
  v('staff', 'POST', '/api/v1/bookings', 'a purpose as an array of strings', walkIn({ purpose: ['会議', '研修'] }), 'purpose'),
  deepCase('staff', '/api/v1/bookings', 'a purpose nested 10,000 arrays deep', deep(walkIn({ purpose: DEEP }), 10_000), 'purpose'),
  v('staff', 'POST', '/api/v1/bookings', 'a purpose of null', walkIn({ purpose: null }), 'purpose'),
  rawCase('staff', 'POST', '/api/v1/bookings', 'attendees of 1e400 (Infinity)', JSON.stringify(walkIn()).replace('"attendees":4', '"attendees":1e400'), 422, 'validation_failed'),
  v('staff', 'POST', '/api/v1/bookings', 'attendees of 10,001', walkIn({ attendees: 10_001 }), 'attendees'),
  v('staff', 'POST', '/api/v1/bookings', 'attendees of true', walkIn({ attendees: true }), 'attendees'),
  v('staff', 'POST', '/api/v1/bookings', 'an empty start', walkIn({ start: '' }), 'start'),
  v('staff', 'POST', '/api/v1/bookings', 'a date and time with a space instead of T', walkIn({ start: '2026-12-10 14:00', end: '2026-12-10 16:00' }), 'start'),
  v('staff', 'POST', '/api/v1/bookings', 'full-width digits in the start', walkIn({ start: '２０２６-１２-１０T１４:００' }), 'start'),
  v('staff', 'POST', '/api/v1/bookings', 'a five-digit year', walkIn({ start: '+02026-12-10T14:00', end: '+02026-12-10T16:00' }), 'start'),
  // Midnight ends the day it follows: then it is past the 22:00 closing, not a second date.
  c('staff', 'POST', '/api/v1/bookings', 'an end at midnight, the next day', walkIn({ start: '2026-12-10T20:00', end: '2026-12-11T00:00' }), 422, 'closed'),
  v('staff', 'POST', '/api/v1/bookings', 'seconds off the grid', walkIn({ start: '2026-12-10T14:00:30' }), 'start'),
  v('staff', 'POST', '/api/v1/bookings', 'an offset that puts the start off the grid (+05:45)', walkIn({ start: '2026-12-10T12:00+05:45', end: '2026-12-10T14:00+05:45' }), 'start'),
  v('staff', 'POST', '/api/v1/bookings', 'a time without an offset that is past in Tokyo, though not in UTC', walkIn({ start: '2026-12-01T09:30', end: '2026-12-01T11:30' }), 'start'),
  v('member', 'POST', '/api/v1/bookings', 'a rule repeating every second', walkIn({ walkIn: undefined, recurrence: { rrule: 'FREQ=SECONDLY' } }), 'recurrence.rrule'),
  v('member', 'POST', '/api/v1/bookings', 'a rule with CR/LF and a DTSTART line', walkIn({ walkIn: undefined, recurrence: { rrule: 'FREQ=WEEKLY;COUNT=2\r\nDTSTART:19700101T000000Z' } }), 'recurrence.rrule'),
  v('member', 'POST', '/api/v1/bookings', 'a rule of 100,000 occurrences', walkIn({ walkIn: undefined, recurrence: { rrule: 'FREQ=DAILY;COUNT=100000' } }), 'recurrence.rrule'),
  v('member', 'POST', '/api/v1/bookings', 'a rule of 501 characters', walkIn({ walkIn: undefined, recurrence: { rrule: `FREQ=WEEKLY;COUNT=2;${long(480, 'X')}` } }), 'recurrence.rrule'),
  v('member', 'POST', '/api/v1/bookings', 'a rule with a weekday that does not exist', walkIn({ walkIn: undefined, recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=XX;COUNT=3' } }), 'recurrence.rrule'),
  v('member', 'POST', '/api/v1/bookings', 'a recurrence as a string', walkIn({ walkIn: undefined, recurrence: 'FREQ=WEEKLY' }), 'recurrence'),
  v('member', 'POST', '/api/v1/bookings', '21 equipment lines', walkIn({ walkIn: undefined, equipment: Array.from({ length: 21 }, () => ({ type: 'panel', quantity: 1 })) }), 'equipment'),
  v('member', 'POST', '/api/v1/bookings', 'a negative equipment quantity', walkIn({ walkIn: undefined, equipment: [{ type: 'projector', quantity: -1 }] })),
  v('member', 'POST', '/api/v1/bookings', 'a fractional equipment quantity', walkIn({ walkIn: undefined, equipment: [{ type: 'projector', quantity: 1.5 }] }), 'equipment.0.quantity'),
  v('member', 'POST', '/api/v1/bookings', 'commercial of null', walkIn({ walkIn: undefined, use: { commercial: null, admissionFeeYen: 0 } }), 'use.commercial'),
  v('member', 'POST', '/api/v1/bookings', 'a __proto__ key', JSON.parse(`{"__proto__":{"role":"manager"},${JSON.stringify(walkIn({ walkIn: undefined })).slice(1)}`), '(body)'),
  v('member', 'POST', '/api/v1/bookings', 'a constructor.prototype key', { constructor: { prototype: { role: 'manager' } }, ...walkIn({ walkIn: undefined }) }, '(body)'),
  rawCase('member', 'POST', '/api/v1/bookings', 'invalid UTF-8 (0xFF 0xFE) in the purpose', bytes('{"space":"small-1","start":"2026-12-10T14:00","end":"2026-12-10T16:00","attendees":4,"purpose":"会議', [0xff, 0xfe], '"}'), 400, 'bad_request'),
  rawCase('member', 'POST', '/api/v1/bookings', 'an overlong UTF-8 encoding of "/" (0xC0 0xAF)', bytes('{"space":"small-1","start":"2026-12-10T14:00","end":"2026-12-10T16:00","attendees":4,"purpose":"a', [0xc0, 0xaf], 'b"}'), 400, 'bad_request'),
  rawCase('member', 'POST', '/api/v1/bookings', 'a surrogate encoded in UTF-8 (0xED 0xA0 0x80)', bytes('{"space":"small-1","start":"2026-12-10T14:00","end":"2026-12-10T16:00","attendees":4,"purpose":"a', [0xed, 0xa0, 0x80], '"}'), 400, 'bad_request'),
  rawCase('member', 'POST', '/api/v1/bookings', 'a body in UTF-16', Buffer.from(JSON.stringify(walkIn({ walkIn: undefined })), 'utf16le'), 400, 'bad_request'),
  rawCase('member', 'POST', '/api/v1/bookings', 'a NUL byte between JSON tokens', `{"space":"small-1",\u0000"attendees":4}`, 400, 'bad_request'),
  rawCase('member', 'POST', '/api/v1/bookings', 'a body of null', 'null', 422, 'validation_failed'),
  rawCase('member', 'POST', '/api/v1/bookings', 'a body of true', 'true', 422, 'validation_failed'),
  rawCase('member', 'POST', '/api/v1/bookings', 'a body of 1e999', '1e999', 422, 'validation_failed'),
  rawCase('member', 'POST', '/api/v1/bookings', '300 kB of whitespace', `${' '.repeat(300 * 1024)}{}`, 413, 'payload_too_large'),
  rawCase('member', 'POST', '/api/v1/bookings', 'a body nested 100,000 arrays deep (200 kB)', '['.repeat(100_000) + ']'.repeat(100_000), 422, 'validation_failed'),

  // -- GET query strings --
  q('anon', '/api/v1/availability?space=small-1&date=2026-02-30', 'February 30', 'date'),
  q('anon', '/api/v1/availability?space=small-1&date=2027-02-29', 'February 29 of a common year', 'date'),
  q('anon', '/api/v1/availability?space=small-1&date=2026-12-10T10:00', 'a date with a time', 'date'),
  q('anon', '/api/v1/availability?space=small-1', 'no date', 'date'),
  q('anon', '/api/v1/availability?date=2026-12-10', 'no space', 'space'),
  q('anon', '/api/v1/availability?space=small-1&space=small-2&date=2026-12-10', 'two spaces', 'space'),
  q('anon', `/api/v1/availability?space=${long(51, 'x')}&date=2026-12-10`, 'a space of 51 characters', 'space'),
  q('anon', '/api/v1/availability?space=small-1&date=9999-12-31', 'the last day of year 9999', 'date'),
  q('anon', '/api/v1/availability?space=small-1&date=%2B275760-09-13', 'a six-digit year', 'date'),
  q('anon', '/api/v1/availability?space=small-1&date=2026-12-10%00', 'a NUL after the date', 'date'),
  q('anon', '/api/v1/availability?space=small-1&date=2026-2-3', 'a date without leading zeros', 'date'),
  q('anon', `/api/v1/availability?space=small-1&date=${encodeURIComponent('２０２６-１２-１０')}`, 'a date in full-width digits', 'date'),
  q('anon', '/api/v1/availability?space=attic&date=2026-12-10', 'a space that does not exist', 'space'),
  q('anon', '/api/v1/calendar?from=2026-12-31&to=2026-12-01', 'from after to', 'to'),
  q('anon', '/api/v1/calendar?from=2026-01-01&to=2099-12-31', 'a range of 74 years', 'to'),
  q('anon', '/api/v1/calendar?from=2027-02-29&to=2027-03-31', 'February 29 of a common year', 'from'),
  q('anon', '/api/v1/calendar?from=2026-12-01', 'no to', 'to'),
  q('anon', '/api/v1/calendar?from=2026-12-01&from=2026-12-02&to=2026-12-31', 'two froms', 'from'),
  q('anon', '/api/v1/calendar?from=2026-12-01T00:00&to=2026-12-31', 'a from with a time', 'from'),
  q('member', '/api/v1/bookings?from=2026-02-30&to=2026-03-31', 'a from of February 30', 'from'),
  q('member', '/api/v1/bookings?from=2026-12-31&to=2026-12-01', 'a to before the from', 'to'),
  q('member', '/api/v1/bookings?to=2026-12-31', 'no from', 'from'),
  q('member', `/api/v1/bookings?from=2026-12-01&to=2026-12-31&space=${long(51, 'x')}`, 'a space of 51 characters', 'space'),
  q('member', '/api/v1/bookings?from=20261201&to=20261231', 'dates in the basic format', 'from'),
  q('member', '/api/v1/bookings?from=2026-12-01&to=2026-12-24:00', 'a to of 24:00', 'to'),
  q('staff', '/api/v1/cash-close?date=2026-02-30', 'a cash close for February 30', 'date'),
  q('staff', '/api/v1/desk/board?date=2026-13-01', 'a board for month 13', 'date'),
  q('manager', '/api/v1/audit-log?page=0', 'page 0', 'page'),
  q('manager', '/api/v1/audit-log?page=abc', 'a page that is not a number', 'page'),
  q('manager', '/api/v1/audit-log?from=2026-02-30', 'a from of February 30', 'from'),
  q('manager', `/api/v1/audit-log?actor=${long(101, 'x')}`, 'an actor of 101 characters', 'actor'),
  q('manager', '/api/v1/registrations?status=deleted', 'a status that does not exist', 'status'),

  // -- PATCH /bookings/{id} and the booking's actions --
  v('staff', 'PATCH', '/api/v1/bookings/{booking}', 'a start of February 30', { start: '2027-02-30T10:00', end: '2027-02-30T12:00' }, 'start'),
  v('staff', 'PATCH', '/api/v1/bookings/{booking}', 'attendees as a string', { attendees: '6' }, 'attendees'),
  v('staff', 'PATCH', '/api/v1/bookings/{booking}', 'a NUL in the purpose', { purpose: '会議\u0000' }, 'purpose'),
  v('staff', 'PATCH', '/api/v1/bookings/{booking}', 'a purpose of 100,000 characters', { purpose: long(100_000) }, 'purpose'),
  v('staff', 'PATCH', '/api/v1/bookings/{booking}', 'nothing to change', {}, '(body)'),
  v('staff', 'PATCH', '/api/v1/bookings/{booking}', 'only an override reason', { overrideReason: '電話で依頼' }, '(body)'),
  v('staff', 'PATCH', '/api/v1/bookings/{booking}', 'a body that is an array', [{ attendees: 6 }], '(body)'),
  v('staff', 'PATCH', '/api/v1/bookings/{booking}', 'a time without an offset earlier today in Tokyo', { start: '2026-12-01T09:00', end: '2026-12-01T11:00' }, 'start'),
  rawCase('staff', 'PATCH', '/api/v1/bookings/{booking}', 'invalid UTF-8 in the purpose', bytes('{"purpose":"', [0xf8, 0x88, 0x80, 0x80, 0x80], '"}'), 400, 'bad_request'),
  v('staff', 'POST', '/api/v1/bookings/{booking}/cancel', 'a reason of 501 characters', { reason: long(501) }, 'reason'),
  v('staff', 'POST', '/api/v1/bookings/{booking}/cancel', 'facilityCaused as the string "true"', { facilityCaused: 'true' }, 'facilityCaused'),
  v('staff', 'POST', '/api/v1/bookings/{booking}/cancel', 'a reason as an object', { reason: { text: '雨天' } }, 'reason'),
  v('staff', 'POST', '/api/v1/bookings/{booking}/cancel', 'a C1 control in the reason', { reason: '雨天\u0090' }, 'reason'),
  v('staff', 'POST', '/api/v1/bookings/{booking}/exemption', 'a percent of 75', { percent: 75, reason: '市の共催' }, 'percent'),
  v('staff', 'POST', '/api/v1/bookings/{booking}/exemption', 'a percent of 0', { percent: 0, reason: '市の共催' }, 'percent'),
  v('staff', 'POST', '/api/v1/bookings/{booking}/exemption', 'a percent of "100"', { percent: '100', reason: '市の共催' }, 'percent'),
  v('staff', 'POST', '/api/v1/bookings/{booking}/exemption', 'a percent of 50.5', { percent: 50.5, reason: '市の共催' }, 'percent'),
  v('staff', 'POST', '/api/v1/bookings/{booking}/exemption', 'a percent of null', { percent: null, reason: '市の共催' }, 'percent'),
  v('staff', 'POST', '/api/v1/bookings/{booking}/exemption', 'a percent of -50', { percent: -50, reason: '市の共催' }, 'percent'),
  v('staff', 'POST', '/api/v1/bookings/{booking}/exemption', 'CR/LF in the reason', { percent: 50, reason: '市の\r\n共催' }, 'reason'),
  v('staff', 'POST', '/api/v1/bookings/{booking}/payments', 'a negative amount', { amountYen: -480, method: 'cash' }, 'amountYen'),
  v('staff', 'POST', '/api/v1/bookings/{booking}/payments', 'an amount of 0', { amountYen: 0, method: 'cash' }, 'amountYen'),
  v('staff', 'POST', '/api/v1/bookings/{booking}/payments', 'a fractional amount', { amountYen: 479.5, method: 'cash' }, 'amountYen'),
  v('staff', 'POST', '/api/v1/bookings/{booking}/payments', 'an amount written with ¥', { amountYen: '¥480', method: 'cash' }, 'amountYen'),
  rawCase('staff', 'POST', '/api/v1/bookings/{booking}/payments', 'an amount of 1e400 (Infinity)', '{"amountYen":1e400,"method":"cash"}', 422, 'validation_failed'),
  v('staff', 'POST', '/api/v1/bookings/{booking}/payments', 'an amount over ¥100,000,000', { amountYen: 100_000_001, method: 'cash' }, 'amountYen'),
  v('staff', 'POST', '/api/v1/bookings/{booking}/payments', 'a method that is not cash', { amountYen: 480, method: 'card' }, 'method'),
  v('staff', 'POST', '/api/v1/bookings/{booking}/payments', 'more than is owed', { amountYen: 10_000, method: 'cash' }, 'amountYen'),
  v('staff', 'POST', '/api/v1/bookings/{booking}/payments', 'an amount as an array', { amountYen: [480], method: 'cash' }, 'amountYen'),
  v('staff', 'POST', '/api/v1/bookings/{booking}/check-in', 'a negative headcount', { attendees: -1 }, 'attendees'),
  v('staff', 'POST', '/api/v1/bookings/{booking}/check-in', 'a headcount as a string', { attendees: '3' }, 'attendees'),
  v('staff', 'POST', '/api/v1/bookings/{booking}/check-in', 'a headcount of null', { attendees: null }, 'attendees'),
  v('staff', 'POST', '/api/v1/bookings/{paid}/refunds', 'a negative refund', { amountYen: -100, reason: '返金' }, 'amountYen'),
  v('staff', 'POST', '/api/v1/bookings/{paid}/refunds', 'a fractional refund', { amountYen: 0.5, reason: '返金' }, 'amountYen'),
  c('staff', 'POST', '/api/v1/bookings/{paid}/refunds', 'a refund when nothing was paid above the fee', { amountYen: 1_000_000, reason: '返金' }, 409, 'invalid_state'),
  v('staff', 'POST', '/api/v1/bookings/{paid}/refunds', 'a refund without a reason', { amountYen: 100 }, 'reason'),
  v('staff', 'POST', '/api/v1/bookings/{paid}/refunds', 'a refund by bank transfer', { amountYen: 100, reason: '返金', method: 'bank' }, 'method'),
  v('staff', 'POST', '/api/v1/payments/{payment}/void', 'a void without a reason', {}, 'reason'),
  v('staff', 'POST', '/api/v1/payments/{payment}/void', 'a NUL in the void reason', { reason: '誤入力\u0000' }, 'reason'),
  v('staff', 'POST', '/api/v1/payments/{payment}/void', 'a void reason of 501 characters', { reason: long(501) }, 'reason'),

  // -- PUT /calendar/{date}, POST /spaces/{slug}/blocks --
  v('manager', 'PUT', '/api/v1/calendar/2027-02-30', 'February 30', day(), 'date'),
  v('manager', 'PUT', '/api/v1/calendar/2026-12-20', 'an opening at 24:00', day({ open: '24:00', close: '23:00' }), 'open'),
  v('manager', 'PUT', '/api/v1/calendar/2026-12-20', 'a close at 23:30, past the latest', day({ close: '23:30' }), 'close'),
  v('manager', 'PUT', '/api/v1/calendar/2026-12-20', 'an open after the close', day({ open: '18:00', close: '10:00' })),
  v('manager', 'PUT', '/api/v1/calendar/2026-12-20', 'an hour without a leading zero', day({ open: '9:00' }), 'open'),
  v('manager', 'PUT', '/api/v1/calendar/2026-12-20', 'closed as the string "true"', { closed: 'true', reason: '点検' }),
  v('manager', 'PUT', '/api/v1/calendar/2026-12-20', 'closed without a reason', { closed: true }),
  v('manager', 'PUT', '/api/v1/calendar/2026-12-20', 'CR/LF in the reason', { closed: true, reason: '点検\r\nX: 1' }),
  v('manager', 'PUT', '/api/v1/calendar/2026-12-20', 'stranded bookings to be deleted', { closed: true, reason: '点検', stranded: 'delete' }),
  v('manager', 'PUT', '/api/v1/calendar/2026-12-20', 'both hours and closed', { closed: true, reason: '点検', open: '09:00', close: '21:00' }),
  v('manager', 'POST', '/api/v1/spaces/small-1/blocks', 'an end at 24:00', block({ end: '2026-12-20T24:00' })),
  v('manager', 'POST', '/api/v1/spaces/small-1/blocks', 'an end before the start', block({ start: '2026-12-20T12:00', end: '2026-12-20T09:00' }), 'end'),
  v('manager', 'POST', '/api/v1/spaces/small-1/blocks', 'February 30', block({ start: '2027-02-30T09:00', end: '2027-02-30T12:00' })),
  v('manager', 'POST', '/api/v1/spaces/small-1/blocks', 'no reason', block({ reason: undefined }), 'reason'),
  v('manager', 'POST', '/api/v1/spaces/small-1/blocks', 'a block of three years', block({ end: '2029-12-20T12:00' }), 'end'),
  v('manager', 'POST', '/api/v1/spaces/small-1/blocks', 'a reason of 201 characters', block({ reason: long(201) }), 'reason'),
  v('manager', 'POST', '/api/v1/spaces/small-1/blocks', 'a start as a number', block({ start: 1797000000000 }), 'start'),

  // -- the manager's rules and rates --
  v('manager', 'PUT', '/api/v1/rules/calendar', 'a year-end closure from February 30', { ...CALENDAR_RULES, yearEndFrom: '02-30' }, 'yearEndFrom'),
  v('manager', 'PUT', '/api/v1/rules/calendar', 'a year-end closure to April 31', { ...CALENDAR_RULES, yearEndTo: '04-31' }, 'yearEndTo'),
  v('manager', 'PUT', '/api/v1/rules/calendar', 'a closing time of 24:00', { ...CALENDAR_RULES, defaultClose: '24:00' }, 'defaultClose'),
  v('manager', 'PUT', '/api/v1/rules/calendar', 'a 6th Monday', { ...CALENDAR_RULES, closingMondays: [2, 6] }, 'closingMondays.1'),
  v('manager', 'PUT', '/api/v1/rules/pricing', 'heating from November 31', pricing({ heatingFrom: '11-31' }), 'heatingFrom'),
  v('manager', 'PUT', '/api/v1/rules/pricing', 'a registered rate of 50.5%', percents({ registered: 50.5 }), 'categoryPercent.registered'),
  v('manager', 'PUT', '/api/v1/rules/pricing', 'a general rate of -10%', percents({ general: -10 }), 'categoryPercent.general'),
  v('manager', 'PUT', '/api/v1/rules/pricing', 'a rate as a string', percents({ commercial: '300' }), 'categoryPercent.commercial'),
  v('manager', 'PUT', '/api/v1/rules/pricing', 'heating of 101%', pricing({ heatingPercent: 101 }), 'heatingPercent'),
  v('manager', 'PUT', '/api/v1/rules/pricing', 'a negative admission threshold', pricing({ admissionThresholdYen: -1 }), 'admissionThresholdYen'),
  v('manager', 'PUT', '/api/v1/rules/pricing', 'an empty body', {}),
  c('manager', 'PUT', '/api/v1/rules/nonsense', 'a rule section that does not exist', {}, 404, 'not_found'),
  v('manager', 'POST', '/api/v1/rates', 'a negative hourly rate', rate({ hourlyYen: -2 }), 'hourlyYen'),
  v('manager', 'POST', '/api/v1/rates', 'an odd hourly rate', rate({ hourlyYen: 2201 }), 'hourlyYen'),
  v('manager', 'POST', '/api/v1/rates', 'a fractional hourly rate', rate({ hourlyYen: 2200.5 }), 'hourlyYen'),
  v('manager', 'POST', '/api/v1/rates', 'a rate from February 30', rate({ effectiveFrom: '2027-02-30' }), 'effectiveFrom'),
  v('manager', 'POST', '/api/v1/rates', 'a rate from the past', rate({ effectiveFrom: '2026-04-01' }), 'effectiveFrom'),
  v('manager', 'POST', '/api/v1/rates', 'a band that does not exist', rate({ band: 'night' }), 'band'),

  // -- registrations, groups, invitations --
  v('anon', 'POST', '/api/v1/registrations', 'CR/LF in the group name (it reaches iCal)', application({ name: '緑の会\r\nBEGIN:VEVENT' }), 'name'),
  v('anon', 'POST', '/api/v1/registrations', 'a group name of 100,000 characters', application({ name: long(100_000) }), 'name'),
  v('anon', 'POST', '/api/v1/registrations', 'kanji in the kana', application({ kana: '緑の会' }), 'kana'),
  v('anon', 'POST', '/api/v1/registrations', 'a type that does not exist', application({ type: 'company' }), 'type'),
  v('anon', 'POST', '/api/v1/registrations', 'no representative', application({ representative: undefined }), 'representative'),
  v('anon', 'POST', '/api/v1/registrations', 'a representative e-mail that is not one', application({ representative: representative({ email: 'midori' }) }), 'representative.email'),
  v('anon', 'POST', '/api/v1/registrations', 'a representative password of 9 characters', application({ representative: representative({ password: 'short1234' }) }), 'representative.password'),
  v('anon', 'POST', '/api/v1/registrations', 'a member count of 0', application({ memberCount: 0 }), 'memberCount'),
  v('anon', 'POST', '/api/v1/registrations', 'a negative member count', application({ memberCount: -5 }), 'memberCount'),
  v('anon', 'POST', '/api/v1/registrations', 'a fractional member count', application({ memberCount: 8.5 }), 'memberCount'),
  v('anon', 'POST', '/api/v1/registrations', 'a member count as a string', application({ memberCount: '8' }), 'memberCount'),
  v('anon', 'POST', '/api/v1/registrations', 'a political purpose', application({ attestations: { nonPolitical: false, nonReligious: true, nonCommercial: true } }), 'attestations.nonPolitical'),
  v('anon', 'POST', '/api/v1/registrations', 'attestations as strings', application({ attestations: { nonPolitical: 'true', nonReligious: 'true', nonCommercial: 'true' } }), 'attestations.nonPolitical'),
  v('anon', 'POST', '/api/v1/registrations', '11 activity fields', application({ fields: Array.from({ length: 11 }, (_, i) => `分野${i}`) }), 'fields'),
  v('anon', 'POST', '/api/v1/registrations', 'a NUL in an activity field', application({ fields: ['環境\u0000'] }), 'fields.0'),
  deepCase('anon', '/api/v1/registrations', 'activity fields nested 10,000 arrays deep', deep(application({ fields: DEEP }), 10_000), 'fields'),
  v('anon', 'POST', '/api/v1/registrations', 'a description of 1,001 characters', application({ description: long(1001) }), 'description'),
  v('anon', 'POST', '/api/v1/registrations', 'a public profile of "yes"', application({ publicProfile: 'yes' }), 'publicProfile'),
  v('anon', 'POST', '/api/v1/registrations', 'a representative e-mail already registered', application({ representative: representative({ email: 'kojin@example.jp' }) }), 'representative.email'),
  rawCase('anon', 'POST', '/api/v1/registrations', 'invalid UTF-8 in the group name', bytes(APPLICATION_JSON[0], [0xff], APPLICATION_JSON[1]), 400, 'bad_request'),
  v('manager', 'POST', '/api/v1/registrations/{registration}/reject', 'a rejection without a reason', {}, 'reason'),
  v('manager', 'POST', '/api/v1/registrations/{registration}/reject', 'CR/LF in the rejection reason', { reason: '書類不備\r\n' + long(10) }, 'reason'),
  v('member', 'POST', '/api/v1/groups/{group}/invitations', 'an invitation to something that is not an e-mail', { email: 'not-an-address' }, 'email'),
  v('member', 'POST', '/api/v1/groups/{group}/invitations', 'an invitation to a list of addresses', { email: ['a@example.jp', 'b@example.jp'] }, 'email'),
  v('anon', 'POST', '/api/v1/invitations/{invite}/accept', 'a password of 9 characters', { name: '新会員', password: 'short1234' }, 'password'),
  v('anon', 'POST', '/api/v1/invitations/{invite}/accept', 'no name', { password: 'a long passphrase' }, 'name'),
  v('anon', 'POST', '/api/v1/invitations/{invite}/accept', 'a phone with letters', { name: '新会員', password: 'a long passphrase', phone: 'abc-defg' }, 'phone'),
  v('manager', 'POST', '/api/v1/groups/{group}/suspend', 'a suspension without a reason', {}, 'reason'),
  v('manager', 'PUT', '/api/v1/settings/registration', 'a retention of 29 days', { retentionDays: 29 }, 'retentionDays'),
  v('manager', 'PUT', '/api/v1/settings/registration', 'a retention of 3,651 days', { retentionDays: 3651 }, 'retentionDays'),
  v('manager', 'PUT', '/api/v1/settings/registration', 'a retention as a string', { retentionDays: '365' }, 'retentionDays'),
  v('manager', 'PUT', '/api/v1/settings/registration', 'a fractional retention', { retentionDays: 365.5 }, 'retentionDays'),

  // -- notices and opinions --
  v('manager', 'POST', '/api/v1/notices', 'CR/LF in the title', notice({ title: '休館\r\nのお知らせ' }), 'title'),
  v('manager', 'POST', '/api/v1/notices', 'a body of 2,001 characters', notice({ body: long(2001) }), 'body'),
  v('manager', 'POST', '/api/v1/notices', 'a publication from February 30', notice({ publishFrom: '2027-02-30T09:00' }), 'publishFrom'),
  v('manager', 'POST', '/api/v1/notices', 'a publication from 24:00', notice({ publishFrom: '2026-12-10T24:00' }), 'publishFrom'),
  v('manager', 'POST', '/api/v1/notices', 'a publication that ends before it starts', notice({ publishFrom: '2026-12-10T09:00', publishUntil: '2026-12-09T09:00' }), 'publishUntil'),
  v('manager', 'POST', '/api/v1/notices', 'no title', notice({ title: undefined }), 'title'),
  v('anon', 'POST', '/api/v1/opinions', 'a category that does not exist', opinion({ category: 'rant' }), 'category'),
  v('anon', 'POST', '/api/v1/opinions', 'no body', opinion({ body: undefined }), 'body'),
  v('anon', 'POST', '/api/v1/opinions', 'a body of 2,001 characters', opinion({ body: long(2001) }), 'body'),
  v('anon', 'POST', '/api/v1/opinions', 'a NUL in the body', opinion({ body: '案内\u0000' }), 'body'),
  v('anon', 'POST', '/api/v1/opinions', 'a contact e-mail that is not one', opinion({ contact: { email: 'x' } }), 'contact.email'),
  v('anon', 'POST', '/api/v1/opinions', 'a contact as a string', opinion({ contact: 'hanako@example.jp' }), 'contact'),
  v('anon', 'POST', '/api/v1/opinions', 'a contact phone with letters', opinion({ contact: { phone: 'phone me' } }), 'contact.phone'),
  rawCase('anon', 'POST', '/api/v1/opinions', 'a body of 100,000 kana (over the limit)', JSON.stringify(opinion({ body: long(100_000, 'あ') })), 413, 'payload_too_large'),
  rawCase('anon', 'POST', '/api/v1/opinions', 'invalid UTF-8 in the body', bytes('{"category":"facility","body":"', [0x80, 0x80], '"}'), 400, 'bad_request'),
  v('manager', 'POST', '/api/v1/opinions/{opinion}/answer', 'no answer', { publish: false }, 'answer'),
  v('manager', 'POST', '/api/v1/opinions/{opinion}/answer', 'publish as the string "true"', { answer: '改善します。', publish: 'true' }, 'publish'),
  v('manager', 'POST', '/api/v1/opinions/{opinion}/answer', 'a NUL in the answer', { answer: '改善\u0000します。' }, 'answer'),
  v('staff', 'POST', '/api/v1/opinions/{opinion}/status', 'a status that does not exist', { status: 'done' }, 'status'),
  v('manager', 'PUT', '/api/v1/settings/opinions', 'a retention of 10 days', { retentionDays: 10 }, 'retentionDays'),

  // -- equipment, loans and damage cases --
  q('anon', '/api/v1/equipment/availability?from=2027-02-30T10:00&to=2027-03-01T10:00', 'February 30', 'from'),
  q('anon', '/api/v1/equipment/availability?from=2026-12-10T10:00&to=2026-12-10T24:00', '24:00', 'to'),
  q('anon', '/api/v1/equipment/availability?from=2026-12-10T10:00', 'no to', 'to'),
  q('anon', '/api/v1/equipment/availability?from=2026-12-10T12:00&to=2026-12-10T10:00', 'a to before the from'),
  q('anon', '/api/v1/equipment/availability?from=2026-12-10T10:00&from=2026-12-11T10:00&to=2026-12-12T10:00', 'two froms', 'from'),
  q('anon', `/api/v1/equipment/availability?from=${long(41, '2')}&to=2026-12-12T10:00`, 'a from of 41 characters', 'from'),
  q('member', '/api/v1/loans?status=lost', 'a loan status that does not exist', 'status'),
  q('member', '/api/v1/loans?from=2026-12-01T10:00', 'a from of 16 characters', 'from'),
  v('member', 'POST', '/api/v1/loans', 'no items', takeout({ items: [] }), 'items'),
  v('member', 'POST', '/api/v1/loans', 'a negative quantity', takeout({ items: [{ type: 'screen', quantity: -1 }] })),
  v('member', 'POST', '/api/v1/loans', 'a fractional quantity', takeout({ items: [{ type: 'screen', quantity: 1.5 }] }), 'items.0.quantity'),
  v('member', 'POST', '/api/v1/loans', 'a quantity as a string', takeout({ items: [{ type: 'screen', quantity: '1' }] }), 'items.0.quantity'),
  v('member', 'POST', '/api/v1/loans', 'a type that does not exist', takeout({ items: [{ type: 'tank', quantity: 1 }] })),
  v('member', 'POST', '/api/v1/loans', '21 item lines', takeout({ items: Array.from({ length: 21 }, () => ({ type: 'panel', quantity: 1 })) }), 'items'),
  v('member', 'POST', '/api/v1/loans', 'items as an object', takeout({ items: { type: 'screen', quantity: 1 } }), 'items'),
  v('member', 'POST', '/api/v1/loans', 'a take-out from February 30', takeout({ start: '2027-02-30T10:00', end: '2027-03-01T10:00' })),
  v('member', 'POST', '/api/v1/loans', 'a take-out until 24:00', takeout({ end: '2026-12-09T24:00' })),
  v('member', 'POST', '/api/v1/loans', 'a take-out of 9 days', takeout({ end: '2026-12-17T10:00' })),
  v('member', 'POST', '/api/v1/loans', 'a take-out that ends before it starts', takeout({ start: '2026-12-09T10:00', end: '2026-12-08T10:00' })),
  v('member', 'POST', '/api/v1/loans', 'a booking and a take-out at once', takeout({ bookingId: 1 })),
  v('member', 'POST', '/api/v1/loans', 'a booking id as a string', { bookingId: '1', items: [{ type: 'screen', quantity: 1 }] }, 'bookingId'),
  deepCase('member', '/api/v1/loans', 'items nested 10,000 arrays deep', deep({ bookingId: 1, items: DEEP }, 10_000), 'items.0'),
  v('staff', 'POST', '/api/v1/loans/{reserved}/checkout', 'units as a string', { units: 'SC-01' }, 'units'),
  v('staff', 'POST', '/api/v1/loans/{reserved}/checkout', 'units as numbers', { units: [1] }, 'units.0'),
  v('staff', 'POST', '/api/v1/loans/{reserved}/checkout', 'CR/LF in who picked it up', { pickedUpBy: '緑川\r\n一郎' }, 'pickedUpBy'),
  v('staff', 'POST', '/api/v1/loans/{reserved}/checkout', '51 units', { units: Array.from({ length: 51 }, (_, i) => `SC-${i}`) }, 'units'),
  v('staff', 'POST', '/api/v1/loans/{reserved}/checkout', 'a tag of 21 characters', { units: [long(21, 'X')] }, 'units.0'),
  v('staff', 'POST', '/api/v1/loans/{out}/return', 'a condition that does not exist', { units: [{ tag: 'MC-01', condition: 'broken' }] }, 'units.0.condition'),
  v('staff', 'POST', '/api/v1/loans/{out}/return', 'a NUL in the note', { units: [{ tag: 'MC-01', condition: 'damaged', note: 'ノイズ\u0000' }] }, 'units.0.note'),
  v('staff', 'POST', '/api/v1/loans/{out}/return', 'no units', { units: [] }, 'units'),
  v('staff', 'POST', '/api/v1/loans/{out}/return', 'a return without units', {}, 'units'),
  v('staff', 'POST', '/api/v1/loans/{out}/return', 'a tag as a number', { units: [{ tag: 1, condition: 'ok' }] }, 'units.0.tag'),
  v('manager', 'POST', '/api/v1/damage-cases/{case}/assess', 'a negative cost', { costYen: -5000, liable: true }, 'costYen'),
  v('manager', 'POST', '/api/v1/damage-cases/{case}/assess', 'a fractional cost', { costYen: 1500.5, liable: true }, 'costYen'),
  v('manager', 'POST', '/api/v1/damage-cases/{case}/assess', 'a cost as a string', { costYen: '5000', liable: true }, 'costYen'),
  v('manager', 'POST', '/api/v1/damage-cases/{case}/assess', 'a cost above the replacement value', { costYen: 99_999_999, liable: true }, 'costYen'),
  v('manager', 'POST', '/api/v1/damage-cases/{case}/assess', 'liable as "yes"', { costYen: 5000, liable: 'yes' }, 'liable'),
  v('manager', 'POST', '/api/v1/damage-cases/{case}/assess', 'a NUL in the note', { costYen: 5000, liable: true, note: '修理\u0000' }, 'note'),
  v('manager', 'POST', '/api/v1/damage-cases/{case}/waive', 'a waiver without a reason', {}, 'reason'),
  v('manager', 'POST', '/api/v1/damage-cases/{case}/waive', 'a C1 control in the reason', { reason: '経年劣化\u0085' }, 'reason'),
  v('manager', 'POST', '/api/v1/damage-cases/{case}/settle', 'a settlement with a body', { paidYen: 5000 }, '(body)'),
  v('manager', 'POST', '/api/v1/equipment/projector/units', 'an asset tag with a space', { tag: 'PJ 09' }, 'tag'),
  v('manager', 'POST', '/api/v1/equipment/projector/units', 'a NUL in the note', { note: '予備\u0000' }, 'note'),
  v('manager', 'POST', '/api/v1/equipment/units/PJ-02/state', 'a state change that does not exist', { action: 'destroy' }, 'action'),
  v('manager', 'POST', '/api/v1/equipment/units/PJ-02/state', 'a note of 201 characters', { action: 'repair', note: long(201) }, 'note'),
];

// ---- the form corpus ----------------------------------------------------------------------------

interface FormCase {
  what: string;
  as: Who;
  url: string;
  /** Posted with the session's `_csrf` added; or `raw`, a body sent as is (with `_csrf=` prepended). */
  fields?: Record<string, string | string[]>;
  raw?: Buffer;
  /** 422 (a re-rendered form) unless a request that cannot be read (400) or is too large (413). */
  status?: number;
}

const f = (as: Who, url: string, what: string, fields: Record<string, string | string[]>, status = 422): FormCase => ({ what, as, url, fields, status });
const rawForm = (as: Who, url: string, what: string, raw: Buffer, status: number): FormCase => ({ what, as, url, raw, status });

const signup = (extra: Record<string, string | string[]> = {}) => ({ name: '佐藤 花子', email: 'hanako@example.jp', password: 'a long passphrase', phone: '090-2222-3333', ...extra });
const register = (extra: Record<string, string | string[]> = {}) => ({
  name: '緑の会', kana: 'みどりのかい', type: 'volunteer', 'representative.name': '緑川 一郎', 'representative.email': 'midori@example.jp',
  'representative.password': 'a long passphrase', 'representative.phone': '03-1111-2222', memberCount: '8', fields: '環境、清掃', description: '公園の清掃',
  'attestations.nonPolitical': 'true', 'attestations.nonReligious': 'true', 'attestations.nonCommercial': 'true', ...extra,
});
const opinionForm = (extra: Record<string, string | string[]> = {}) => ({ category: 'facility', body: '案内表示が分かりにくいです。', ...extra });
const bookForm = (extra: Record<string, string | string[]> = {}) => ({
  space: 'small-2', date: '2026-12-17', start: '10:00', end: '12:00', attendees: '5', purpose: '読書会', repeat: 'none', ...extra,
});
const deskForm = (extra: Record<string, string | string[]> = {}) => ({ ...bookForm(), booker: 'walk-in', walkInName: '山田 太郎', walkInPhone: '090-1234-5678', ...extra });
const dayForm = (extra: Record<string, string | string[]> = {}) => ({ date: '2026-12-20', mode: 'hours', open: '09:00', close: '21:00', reason: '', stranded: 'contact', ...extra });
const blockForm = (extra: Record<string, string | string[]> = {}) => ({
  space: 'small-1', startDate: '2026-12-20', startTime: '09:00', endDate: '2026-12-20', endTime: '12:00', reason: '設備点検', stranded: 'contact', ...extra,
});
const rateForm = (extra: Record<string, string | string[]> = {}) => ({ space: 'hall', band: 'morning', hourlyYen: '2200', effectiveFrom: '2027-04-01', ...extra });
const noticeForm = (extra: Record<string, string | string[]> = {}) => ({ title: '臨時休館のお知らせ', body: '設備点検のため休館します。', publishFrom: '', publishUntil: '', ...extra });
const surveyForm = (extra: Record<string, string | string[]> = {}) => ({
  title: '利用者アンケート', description: '', opensAt: '2026-12-02T09:00', closesAt: '2026-12-31T17:00', 'q1.kind': 'rating', 'q1.prompt': '満足度', 'q1.options': '', ...extra,
});
const takeoutForm = (extra: Record<string, string | string[]> = {}) => ({
  startDate: '2026-12-08', startTime: '10:00', endDate: '2026-12-09', endTime: '17:00', 'equipment-screen': '1', ...extra,
});
const formBytes = (before: string, raw: number[], after: string) => bytes(before, raw, after);

const FORMS: FormCase[] = [
  // -- anonymous: sign-up, registration, the opinion box, a survey --
  f('anon', '/signup', 'CR/LF in the name', signup({ name: '佐藤\r\n花子' })),
  f('anon', '/signup', 'a NUL in the name', signup({ name: '佐藤\u0000花子' })),
  f('anon', '/signup', 'a C1 control in the name', signup({ name: '佐藤\u0085花子' })),
  f('anon', '/signup', 'a name of 10,000 characters', signup({ name: long(10_000) })),
  f('anon', '/signup', 'a name repeated (an array)', signup({ name: ['佐藤', '花子'] })),
  f('anon', '/signup', 'no name', signup({ name: '' })),
  f('anon', '/signup', 'an e-mail that is not one', signup({ email: 'hanako' })),
  f('anon', '/signup', 'a password of 9 characters', signup({ password: '123456789' })),
  f('anon', '/signup', 'a formula as the phone number', signup({ phone: '=1+1' })),
  f('anon', '/signup', 'a script as the name, shown back escaped', signup({ name: HTML, email: 'bad' })),
  f('anon', '/signup', 'a name of 100,000 characters (over the form limit)', signup({ name: long(100_000) }), 413),
  rawForm('anon', '/signup', 'raw 0xFF bytes in the name', formBytes('&name=', [0xff, 0xfe], '&email=hanako%40example.jp&password=a+long+passphrase&phone=090-2222-3333'), 400),
  rawForm('anon', '/signup', 'percent-encoded invalid UTF-8 (%FF) in the name', formBytes('&name=%FF%FE', [], '&email=hanako%40example.jp&password=a+long+passphrase&phone=090-2222-3333'), 400),
  rawForm('anon', '/signup', 'a truncated percent-encoded sequence (%E3%81)', formBytes('&name=%E3%81', [], '&email=hanako%40example.jp&password=a+long+passphrase&phone=090-2222-3333'), 400),
  f('anon', '/register', 'CR/LF in the group name', register({ name: '緑の会\r\nBEGIN:VEVENT' })),
  f('anon', '/register', 'kanji in the kana', register({ kana: '緑の会' })),
  f('anon', '/register', 'a negative member count', register({ memberCount: '-1' })),
  f('anon', '/register', 'a fractional member count', register({ memberCount: '1.5' })),
  f('anon', '/register', 'a member count in words', register({ memberCount: '八人' })),
  f('anon', '/register', 'an attestation left unticked', register({ 'attestations.nonReligious': '' })),
  f('anon', '/register', 'a type that does not exist', register({ type: 'company' })),
  f('anon', '/register', 'a description of 1,001 characters', register({ description: long(1001) })),
  f('anon', '/register', 'a NUL in the activity fields', register({ fields: '環境\u0000' })),
  f('anon', '/register', 'a script as the group name with a bad e-mail, shown back escaped', register({ name: HTML, 'representative.email': 'x' })),
  f('anon', '/opinions/new', 'a category that does not exist', opinionForm({ category: 'rant' })),
  f('anon', '/opinions/new', 'no body', opinionForm({ body: '' })),
  f('anon', '/opinions/new', 'a NUL in the body', opinionForm({ body: '案内\u0000' })),
  f('anon', '/opinions/new', 'a body of 2,001 characters', opinionForm({ body: long(2001) })),
  f('anon', '/opinions/new', 'a contact e-mail that is not one', opinionForm({ 'contact.email': 'x' })),
  f('anon', '/s/{survey}', 'a rating of 6', { 'q{q1}': '6' }),
  f('anon', '/s/{survey}', 'a rating of 2.5', { 'q{q1}': '2.5' }),
  f('anon', '/s/{survey}', 'no answer to a required question', { 'q{q2}': '0' }),
  f('anon', '/s/{survey}', 'a choice that is not an option', { 'q{q1}': '3', 'q{q2}': '7' }),
  f('anon', '/s/{survey}', 'two choices for a single-choice question', { 'q{q1}': '3', 'q{q2}': ['0', '1'] }),
  f('anon', '/s/{survey}', 'a NUL in a text answer', { 'q{q1}': '3', 'q{q3}': '良い\u0000' }),
  f('anon', '/s/{survey}', 'a C1 control (NEL) in a text answer', { 'q{q1}': '3', 'q{q3}': '良い\u0085です' }),
  f('anon', '/s/{survey}', 'a text answer of 1,001 characters', { 'q{q1}': '3', 'q{q3}': long(1001) }),

  // -- an individual booking and changing --
  f('individual', '/book/confirm', 'February 30', bookForm({ date: '2027-02-30' })),
  f('individual', '/book/confirm', '24:00 as an end', bookForm({ start: '21:00', end: '24:00' })),
  f('individual', '/book/confirm', 'an end before the start', bookForm({ start: '12:00', end: '10:00' })),
  f('individual', '/book/confirm', 'no date', bookForm({ date: '' })),
  f('individual', '/book/confirm', 'a negative headcount', bookForm({ attendees: '-1' })),
  f('individual', '/book/confirm', 'a fractional headcount', bookForm({ attendees: '1.5' })),
  f('individual', '/book/confirm', 'a headcount in words', bookForm({ attendees: 'five' })),
  f('individual', '/book/confirm', 'a negative admission fee', bookForm({ admissionFeeYen: '-100' })),
  f('individual', '/book/confirm', 'a fractional admission fee', bookForm({ admissionFeeYen: '100.5' })),
  f('individual', '/book/confirm', 'a NUL in the purpose', bookForm({ purpose: '読書会\u0000' })),
  f('individual', '/book/confirm', 'a purpose of 201 characters', bookForm({ purpose: long(201) })),
  f('individual', '/book/confirm', 'a space that does not exist', bookForm({ space: 'attic' })),
  f('individual', '/book/confirm', 'a start off the grid', bookForm({ start: '10:15' })),
  f('individual', '/book', 'February 30, on the final step', bookForm({ date: '2027-02-30' })),
  f('individual', '/book', 'a headcount of 0, on the final step', bookForm({ attendees: '0' })),
  f('individual', '/book', 'a C1 control in the purpose, on the final step', bookForm({ purpose: '読書会\u009b' })),
  f('individual', '/my/bookings/{mine}/change/confirm', 'a change to February 30', { space: 'small-1', date: '2027-02-30', start: '10:00', end: '12:00', attendees: '3', purpose: '勉強会' }),
  f('individual', '/my/bookings/{mine}/change/confirm', 'a change to 0 people', { space: 'small-1', date: '2026-12-11', start: '10:00', end: '12:00', attendees: '0', purpose: '勉強会' }),
  f('individual', '/my/bookings/{mine}/change', 'a NUL in the changed purpose', { space: 'small-1', date: '2026-12-11', start: '10:00', end: '12:00', attendees: '3', purpose: '勉強会\u0000' }),
  f('individual', '/my/bookings/{mine}/cancel', 'a NUL in the cancellation reason', { reason: '都合\u0000' }),
  f('member', '/book/confirm', 'a series of 53 dates', bookForm({ repeat: 'weekly', repeatEnd: 'count', count: '53' })),
  f('member', '/book/confirm', 'a series until February 30', bookForm({ repeat: 'weekly', repeatEnd: 'until', until: '2027-02-30' })),
  f('member', '/book/confirm', 'a series that ends before it starts', bookForm({ repeat: 'weekly', repeatEnd: 'until', until: '2026-12-01' })),
  f('member', '/my/group/invitations', 'an invitation to something that is not an e-mail', { email: 'not-an-address' }),

  // -- the desk --
  f('staff', '/desk/book', 'no booker chosen', deskForm({ booker: '' })),
  f('staff', '/desk/book', 'CR/LF in the walk-in name', deskForm({ walkInName: '山田\r\n太郎' })),
  f('staff', '/desk/book/confirm', 'February 30 at the desk', deskForm({ date: '2027-02-30' })),
  f('staff', '/desk/book/confirm', 'a negative admission fee at the desk', deskForm({ admissionFeeYen: '-1' })),
  f('staff', '/desk/bookings/{booking}/payments', 'a negative payment', { amountYen: '-480' }),
  f('staff', '/desk/bookings/{booking}/payments', 'a fractional payment', { amountYen: '479.5' }),
  f('staff', '/desk/bookings/{booking}/payments', 'a payment in words', { amountYen: 'four hundred' }),
  f('staff', '/desk/bookings/{booking}/payments', 'a payment of 0', { amountYen: '0' }),
  f('staff', '/desk/bookings/{booking}/payments', 'a payment of more than is owed', { amountYen: '10000' }),
  f('staff', '/desk/bookings/{booking}/payments', 'a payment with an exponent', { amountYen: '4.8e2' }),
  f('staff', '/desk/bookings/{booking}/exemption', 'an exemption of 75%', { exemptPercent: '75', exemptReason: '市の共催' }),
  f('staff', '/desk/bookings/{booking}/exemption', 'an exemption of 0%', { exemptPercent: '0', exemptReason: '市の共催' }),
  f('staff', '/desk/bookings/{booking}/exemption', 'an exemption without a reason', { exemptPercent: '50', exemptReason: '' }),
  f('staff', '/desk/bookings/{booking}/exemption', 'CR/LF in the exemption reason', { exemptPercent: '50', exemptReason: '市の\r\n共催' }),
  f('staff', '/desk/bookings/{booking}/check-in', 'a negative headcount at check-in', { attendees: '-3', back: '/desk/bookings/{booking}' }),
  f('staff', '/desk/bookings/{paid}/refunds', 'a negative refund', { refundYen: '-100', refundReason: '返金' }),
  f('staff', '/desk/bookings/{paid}/refunds', 'a fractional refund', { refundYen: '0.5', refundReason: '返金' }),
  f('staff', '/desk/bookings/{paid}/refunds', 'a refund without a reason', { refundYen: '100', refundReason: '' }),
  f('staff', '/desk/payments/{payment}/void', 'a void without a reason', { reason: '', booking: '{paid}' }),
  f('staff', '/desk/bookings/{booking}/cancel', 'a NUL in the cancellation reason', { reason: '雨天\u0000' }),
  f('staff', '/desk/bookings/{booking}/change/confirm', 'a change to 24:00', { space: 'small-1', date: '2026-12-10', start: '21:00', end: '24:00', attendees: '4', purpose: '打ち合わせ' }),

  // -- the manager's console --
  f('manager', '/manage/days', 'February 30', dayForm({ date: '2027-02-30' })),
  f('manager', '/manage/days', 'a close at 24:00', dayForm({ close: '24:00' })),
  f('manager', '/manage/days', 'a close at 23:30, past the latest', dayForm({ close: '23:30' })),
  f('manager', '/manage/days', 'closing without a reason', dayForm({ mode: 'closed', reason: '' })),
  f('manager', '/manage/days', 'CR/LF in the closing reason', dayForm({ mode: 'closed', reason: '点検\r\nのため' })),
  f('manager', '/manage/days', 'a mode that does not exist', dayForm({ mode: 'party' })),
  f('manager', '/manage/blocks', 'a block from February 30', blockForm({ startDate: '2027-02-30', endDate: '2027-02-30' })),
  f('manager', '/manage/blocks', 'a block to 24:00', blockForm({ endTime: '24:00' })),
  f('manager', '/manage/blocks', 'a block that ends before it starts', blockForm({ startTime: '12:00', endTime: '09:00' })),
  f('manager', '/manage/blocks', 'a block of a space that does not exist', blockForm({ space: 'attic' })),
  f('manager', '/manage/blocks', 'a block of three years', blockForm({ endDate: '2029-12-20' })),
  f('manager', '/manage/rates', 'a negative rate', rateForm({ hourlyYen: '-2' })),
  f('manager', '/manage/rates', 'a fractional rate', rateForm({ hourlyYen: '2200.5' })),
  f('manager', '/manage/rates', 'an odd rate', rateForm({ hourlyYen: '2201' })),
  f('manager', '/manage/rates', 'a rate from February 30', rateForm({ effectiveFrom: '2027-02-30' })),
  f('manager', '/manage/rates', 'a band that does not exist', rateForm({ band: 'night' })),
  f('manager', '/manage/staff', 'a staff e-mail that is not one', { name: '窓口 次郎', email: 'jiro', phone: '03-0000-0000', password: 'a long passphrase', role: 'staff' }),
  f('manager', '/manage/staff', 'a NUL in the staff name', { name: '窓口\u0000次郎', email: 'jiro@example.jp', phone: '03-0000-0000', password: 'a long passphrase', role: 'staff' }),
  f('manager', '/manage/tokens', 'CR/LF in the token name', { name: '集計\r\nシステム' }),
  f('manager', '/manage/tokens', 'no token name', { name: '' }),
  f('manager', '/manage/notices', 'CR/LF in the notice title', noticeForm({ title: '休館\r\nのお知らせ' })),
  f('manager', '/manage/notices', 'a notice from February 30', noticeForm({ publishFrom: '2027-02-30T09:00' })),
  f('manager', '/manage/notices', 'a notice body of 2,001 characters', noticeForm({ body: long(2001) })),
  f('manager', '/manage/surveys', 'a survey opening on February 30', surveyForm({ opensAt: '2027-02-30T09:00' })),
  f('manager', '/manage/surveys', 'a survey without questions', surveyForm({ 'q1.prompt': '' })),
  f('manager', '/manage/surveys', 'a survey that closes before it opens', surveyForm({ closesAt: '2026-12-01T09:00' })),
  f('manager', '/manage/surveys', 'a choice question with one option', surveyForm({ 'q1.kind': 'single', 'q1.options': 'はい' })),
  f('manager', '/manage/rules/calendar', 'a year-end closure from February 30', { value: JSON.stringify({ ...CALENDAR_RULES, yearEndFrom: '02-30' }) }),
  f('manager', '/manage/rules/pricing', 'a registered rate of 50.5%', { value: JSON.stringify(percents({ registered: 50.5 })) }),
  f('manager', '/manage/rules/pricing', 'rules nested 10,000 arrays deep', { value: '['.repeat(10_000) + ']'.repeat(10_000) }),
  f('manager', '/manage/rules/windows', 'rules that are not JSON', { value: '{"opensAt": "09:00",' }),
  f('manager', '/manage/opinions/{opinion}/answer', 'a NUL in the answer', { answer: '改善します\u0000', publishedBody: '', publish: '' }),
  f('manager', '/manage/opinions/retention', 'a retention of 10 days', { retentionDays: '10' }),
  f('manager', '/manage/opinions/retention', 'a fractional retention', { retentionDays: '365.5' }),
  f('manager', '/manage/registrations/{registration}/reject', 'a rejection without a reason', { reason: '' }),
  f('staff', '/manage/opinions/{opinion}/status', 'an opinion status that does not exist', { status: 'done' }),
  f('anon', '/login', 'no e-mail address', { email: '', password: 'a long passphrase' }),
  f('anon', '/invitations/{invite}', 'a password of 9 characters when joining', { name: '新会員', password: 'short1234', phone: '' }),

  // -- equipment: take-outs, the desk's check-out and return, the manager's units and damage cases --
  f('member', '/my/loans', 'a negative quantity', takeoutForm({ 'equipment-screen': '-1' })),
  f('member', '/my/loans', 'a fractional quantity', takeoutForm({ 'equipment-screen': '1.5' })),
  f('member', '/my/loans', 'a take-out from February 30', takeoutForm({ startDate: '2027-02-30' })),
  f('member', '/my/loans', 'a take-out until 24:00', takeoutForm({ endTime: '24:00' })),
  f('member', '/my/loans', 'a take-out of nothing', takeoutForm({ 'equipment-screen': '' })),
  f('staff', '/desk/loans/{reserved}/checkout', 'CR/LF in who picked it up', { pickedUpBy: '緑川\r\n一郎' }),
  f('staff', '/desk/loans/{out}/return', 'a condition that does not exist', { 'unit-0': 'MC-01', 'condition-0': 'broken', 'note-0': '' }),
  f('manager', '/manage/equipment/units', 'an asset tag with a space', { type: 'projector', tag: 'PJ 09', note: '' }),
  f('manager', '/manage/equipment/units', 'a type that does not exist', { type: 'tank', tag: '', note: '' }),
  f('manager', '/manage/damage-cases/{case}/assess', 'a negative cost', { costYen: '-5000', liable: 'yes', assessNote: '' }),
  f('manager', '/manage/damage-cases/{case}/assess', 'a fractional cost', { costYen: '1500.5', liable: 'yes', assessNote: '' }),
  f('manager', '/manage/damage-cases/{case}/assess', 'a liability that is neither yes nor no', { costYen: '5000', liable: 'maybe', assessNote: '' }),
  f('manager', '/manage/damage-cases/{case}/waive', 'a waiver without a reason', { waiveReason: '' }),
];

// ---- fixtures ------------------------------------------------------------------------------------

async function json(method: Method, url: string, who: Who, body: unknown): Promise<Record<string, unknown>> {
  const res = await t.app.inject({ method, url, headers: { 'content-type': 'application/json', ...(cookies[who] ? { cookie: cookies[who] } : {}) }, payload: JSON.stringify(body), remoteAddress: nextAddress() });
  if (res.statusCode >= 300) throw new Error(`fixture ${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json() as Record<string, unknown>;
}

beforeAll(async () => {
  t = await makeTestApp(CLOCK);
  const group = makeGroup(t);
  await t.account('manager', 'kanri@example.jp');
  await t.account('staff', 'madoguchi@example.jp');
  await t.account('individual', 'kojin@example.jp');
  await t.account('member', 'daihyo@example.jp', { groupId: group, isRepresentative: true });
  for (const [who, email] of [['manager', 'kanri@example.jp'], ['staff', 'madoguchi@example.jp'], ['individual', 'kojin@example.jp'], ['member', 'daihyo@example.jp']] as const) {
    cookies[who] = await t.login(email);
  }
  for (const [who, page] of [['anon', '/signup'], ['individual', '/book'], ['member', '/book'], ['staff', '/desk/book'], ['manager', '/manage/days']] as const) {
    forms[who] = await openForm(t, page, cookies[who]);
  }
  ids.group = group;
  ids.booking = (await json('POST', '/api/v1/bookings', 'staff', { ...walkIn(), start: '2026-12-10T10:00', end: '2026-12-10T12:00' })).id as number;
  const paid = await json('POST', '/api/v1/bookings', 'staff', { ...walkIn(), space: 'small-2', start: '2026-12-10T10:00', end: '2026-12-10T12:00' });
  ids.paid = paid.id as number;
  await json('POST', `/api/v1/bookings/${ids.paid}/payments`, 'staff', { amountYen: paid.totalYen, method: 'cash' });
  ids.payment = (t.db.$client.prepare('SELECT id FROM payments WHERE booking_id = ?').pluck().get(ids.paid) as number);
  ids.mine = (await json('POST', '/api/v1/bookings', 'individual', { space: 'small-1', start: '2026-12-11T10:00', end: '2026-12-11T12:00', purpose: '勉強会', attendees: 3 })).id as number;
  ids.registration = (await json('POST', '/api/v1/registrations', 'anon', application({ name: '審査中の会', representative: representative({ email: 'shinsa@example.jp' }) }))).id as number;
  ids.opinion = (await json('POST', '/api/v1/opinions', 'anon', opinion())).id as number;
  ids.invite = (await json('POST', `/api/v1/groups/${group}/invitations`, 'member', { email: 'shinki@example.jp' })).token as string;
  // Loans: one reserved, one out, and one returned damaged (which opens a damage case).
  ids.reserved = (await json('POST', '/api/v1/loans', 'member', { groupId: group, start: '2026-12-05T10:00', end: '2026-12-06T17:00', items: [{ type: 'screen', quantity: 1 }] })).id as number;
  ids.out = (await json('POST', '/api/v1/loans', 'member', { groupId: group, start: '2026-12-01T11:00', end: '2026-12-03T17:00', items: [{ type: 'wireless-mic', quantity: 1 }] })).id as number;
  await json('POST', `/api/v1/loans/${ids.out}/checkout`, 'staff', {});
  // Another group's, so that the fixtures' group is not suspended from borrowing by the case.
  const other = makeGroup(t, '別の会');
  const damaged = (await json('POST', '/api/v1/loans', 'staff', { groupId: other, start: '2026-12-01T11:00', end: '2026-12-03T17:00', items: [{ type: 'projector', quantity: 1 }] })).id as number;
  const [unit] = (await json('POST', `/api/v1/loans/${damaged}/checkout`, 'staff', {})).units as { tag: string }[];
  ids.case = ((await json('POST', `/api/v1/loans/${damaged}/return`, 'staff', { units: [{ tag: unit!.tag, condition: 'damaged', note: 'レンズ割れ' }] })).damageCases as number[])[0]!;
  const managerId = t.db.$client.prepare("SELECT id FROM accounts WHERE email = 'kanri@example.jp'").pluck().get() as number;
  const manager = { id: managerId, role: 'manager' as const, name: '管理者', groupId: null, isRepresentative: false };
  const survey = t.app.services.surveys.create(manager, {
    title: '利用者アンケート', opensAt: '2026-11-30T09:00', closesAt: '2026-12-31T17:00',
    questions: [
      { kind: 'rating', prompt: '満足度', required: true },
      { kind: 'single', prompt: 'また使いたいですか', options: ['はい', 'いいえ'], required: true },
      { kind: 'text', prompt: 'ご意見' },
    ],
  });
  ids.survey = survey.slug;
  const questions = t.db.$client.prepare('SELECT id FROM survey_questions WHERE survey_id = ? ORDER BY position').pluck().all(survey.id) as number[];
  [ids.q1, ids.q2, ids.q3] = questions as [number, number, number];
});

afterAll(async () => {
  await t?.close();
});

// ---- the runners ---------------------------------------------------------------------------------

function expectUnchanged(before: Record<string, string>, res: LightMyRequestResponse) {
  const after = state();
  const changed = Object.keys(after).filter((k) => after[k] !== before[k]);
  expect(changed, `tables changed by a refused request (${res.statusCode} ${res.body.slice(0, 200)})`).toEqual([]);
}

describe(`the JSON API refuses ${API.length} kinds of bad input and stores nothing`, () => {
  it.each(API)('$method $url: $what → $status $code', async (testCase) => {
    const before = state();
    const headers: Record<string, string> = { ...(cookies[testCase.as] ? { cookie: cookies[testCase.as] } : {}) };
    let payload: string | Buffer | undefined;
    if (testCase.raw !== undefined) payload = testCase.raw;
    else if (testCase.body !== undefined) payload = JSON.stringify(typeof testCase.body === 'function' ? (testCase.body as () => unknown)() : testCase.body);
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const res = await t.app.inject({ method: testCase.method, url: fill(testCase.url), headers, remoteAddress: nextAddress(), ...(payload !== undefined ? { payload } : {}) });
    const problem = expectProblem(res, testCase.status, testCase.code);
    if (testCase.code === 'validation_failed') {
      expect(problem.errors?.length, res.body).toBeGreaterThan(0);
      if (testCase.path !== undefined) expect(problem.errors!.map((e) => e.path), res.body).toContain(testCase.path);
    }
    // The answer never echoes markup back as HTML, whatever was sent.
    expect(res.headers['content-type']).not.toMatch(/html/);
    expectUnchanged(before, res);
  });
});

describe(`the HTML forms refuse ${FORMS.length} kinds of bad input, in Japanese, and store nothing`, () => {
  it.each(FORMS)('POST $url: $what → $status', async (testCase) => {
    const session = forms[testCase.as];
    const before = state();
    let payload: string | Buffer;
    if (testCase.raw) {
      payload = Buffer.concat([Buffer.from(`_csrf=${encodeURIComponent(session.token)}`), testCase.raw]);
    } else {
      const params = new URLSearchParams({ _csrf: session.token });
      for (const [key, value] of Object.entries(testCase.fields ?? {})) {
        for (const one of Array.isArray(value) ? value : [value]) params.append(fill(key), fill(one));
      }
      payload = params.toString();
    }
    const res = await t.app.inject({
      method: 'POST', url: fill(testCase.url), payload, remoteAddress: nextAddress(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: session.cookie },
    });
    expect(res.statusCode, res.body.slice(0, 2000)).toBe(testCase.status);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toMatch(/<html lang="ja"/);
    if (testCase.status === 422) {
      // The form again, its errors first, each a Japanese sentence.
      expect(res.body).toContain('class="error-summary"');
      expect(res.body).toContain('入力内容に問題があります');
      const summary = /<ul class="error-summary__list">([\s\S]*?)<\/ul>/.exec(res.body)?.[1] ?? '';
      const items = [...summary.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, '').trim());
      expect(items.length, summary).toBeGreaterThan(0);
      for (const item of items) expect(item).toMatch(/[\u3040-\u30FF\u4E00-\u9FFF]/);
    } else {
      expect(res.body).toContain(testCase.status === 413 ? '送信された内容が大きすぎます' : '送信された内容を読み取れませんでした');
    }
    // Whatever was typed comes back escaped, never as markup.
    expect(res.body).not.toContain(HTML);
    expectUnchanged(before, res);
  });
});

describe('the corpus', () => {
  it('holds more than 200 cases across the API and the forms', () => {
    expect(API.length + FORMS.length).toBeGreaterThan(200);
    const endpoints = new Set([...API.map((a) => `${a.method} ${a.url.split('?')[0]}`), ...FORMS.map((x) => `POST ${x.url}`)]);
    expect(endpoints.size).toBeGreaterThan(60);
  });
});

// ---- what is stored must come out harmless ------------------------------------------------------
// Markup, iCal line breaks and spreadsheet formulas are legitimate text (a purpose may quote HTML,
// span lines or start with a minus), so they are stored; every place that shows them must keep them
// text: escaped in HTML, escaped TEXT in iCal, defused cells in CSV.

describe('input that is stored comes out as text, never as markup, iCal lines or formulas', () => {
  let n: TestApp;
  const who: Partial<Record<Who, string>> = {};
  const SVG = '"><svg onload=alert(1)>';
  const GROUP_NAME = `<img src=x onerror=alert(1)>の会, ほか; \\`;
  const FEED_INJECTION = '定例会\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:偽の予定\r\nDTSTART:20261224T100000Z';
  const FORMULAS = ['=cmd|\' /C calc\'!A0', '+1+1', '-2+3', '@SUM(1,1)', '=HYPERLINK("http://evil.example","詳細")'];
  const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
  let group = 0;
  let htmlBooking = 0;
  let walkInBooking = 0;
  let opinionId = 0;

  async function send(method: Method, url: string, as: Who, body?: unknown) {
    return n.app.inject({
      method, url, remoteAddress: nextAddress(),
      headers: { ...(who[as] ? { cookie: who[as] } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
  }
  async function created(method: Method, url: string, as: Who, body?: unknown): Promise<Record<string, unknown>> {
    const res = await send(method, url, as, body);
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json() as Record<string, unknown>;
  }
  function expectEscaped(res: LightMyRequestResponse, text: string) {
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.body).not.toContain(text);
    expect(res.body).toContain(escapeHtml(text));
  }

  beforeAll(async () => {
    n = await makeTestApp(CLOCK);
    for (const [role, email] of [['manager', 'kanri@example.jp'], ['staff', 'madoguchi@example.jp']] as const) {
      await n.account(role, email);
      who[role] = await n.login(email);
    }
    // A group whose name is markup (and iCal punctuation), approved with a public profile.
    const applied = await created('POST', '/api/v1/registrations', 'anon', {
      ...application({ name: GROUP_NAME, publicProfile: true }), representative: representative({ email: 'daihyo@example.jp' }),
    });
    group = applied.groupId as number;
    who.member = await n.login('daihyo@example.jp', 'a long passphrase');
    // The registration queue shows the name while it is pending.
    expectEscaped(await send('GET', '/manage/registrations', 'manager'), GROUP_NAME);
    await created('POST', `/api/v1/registrations/${applied.id as number}/approve`, 'manager', {});
    htmlBooking = (await created('POST', '/api/v1/bookings', 'member', { space: 'small-1', start: '2026-12-10T10:00', end: '2026-12-10T12:00', purpose: HTML, attendees: 5 })).id as number;
    await created('POST', '/api/v1/bookings', 'member', { space: 'small-1', start: '2026-12-11T10:00', end: '2026-12-11T12:00', purpose: FEED_INJECTION, attendees: 5 });
    for (const [i, purpose] of FORMULAS.entries()) {
      await created('POST', '/api/v1/bookings', 'member', { space: 'small-2', start: `2026-12-1${5 + i}T13:00`, end: `2026-12-1${5 + i}T15:00`, purpose, attendees: 3 });
    }
    walkInBooking = (await created('POST', '/api/v1/bookings', 'staff', walkIn({ walkIn: { name: SVG } }))).id as number;
    opinionId = (await created('POST', '/api/v1/opinions', 'anon', opinion({ body: HTML }))).id as number;
    await created('POST', '/api/v1/notices', 'manager', notice({ title: SVG, body: HTML }));
  });
  afterAll(async () => {
    await n?.close();
  });

  it('stored each of them as it was typed', () => {
    const purposes = n.db.$client.prepare('SELECT purpose FROM bookings ORDER BY id').pluck().all();
    expect(purposes).toEqual([HTML, FEED_INJECTION, ...FORMULAS, '打ち合わせ']);
    expect(n.db.$client.prepare('SELECT name FROM groups WHERE id = ?').pluck().get(group)).toBe(GROUP_NAME);
  });

  it('escapes a purpose of markup on the booker\'s page and the desk\'s', async () => {
    expectEscaped(await send('GET', `/my/bookings/${htmlBooking}`, 'member'), HTML);
    expectEscaped(await send('GET', `/desk/bookings/${htmlBooking}`, 'staff'), HTML);
  });

  it('escapes a walk-in name that tries to close an attribute, on the booking and in the desk search', async () => {
    expectEscaped(await send('GET', `/desk/bookings/${walkInBooking}`, 'staff'), SVG);
    expectEscaped(await send('GET', `/desk/bookings?q=${encodeURIComponent('svg')}`, 'staff'), SVG);
  });

  it('escapes a group name of markup in the public directory and the group page', async () => {
    expectEscaped(await send('GET', '/groups', 'anon'), GROUP_NAME);
    expectEscaped(await send('GET', '/my/group', 'member'), GROUP_NAME);
  });

  it('escapes an opinion of markup for staff and a notice of markup on the home page', async () => {
    expectEscaped(await send('GET', `/manage/opinions/${opinionId}`, 'manager'), HTML);
    const home = await send('GET', '/', 'anon');
    expectEscaped(home, SVG);
    expect(home.body).toContain(escapeHtml(HTML));
  });

  it('keeps CR/LF in a purpose inside one TEXT value of the group\'s private feed', async () => {
    const { url } = await created('POST', `/api/v1/groups/${group}/calendar-token`, 'member', {}) as { url: string };
    const feed = await send('GET', new URL(url, 'http://hiroba.invalid').pathname, 'anon');
    expect(feed.statusCode).toBe(200);
    const lines = feed.body.split('\r\n');
    // No line of the feed is one the purpose tried to add.
    expect(lines).not.toContain('SUMMARY:偽の予定');
    expect(lines).not.toContain('DTSTART:20261224T100000Z');
    expect(lines.filter((l) => l === 'BEGIN:VEVENT').length).toBe(lines.filter((l) => l === 'END:VEVENT').length);
    const events = new ICAL.Component(ICAL.parse(feed.body)).getAllSubcomponents('vevent');
    expect(events.length).toBe(2 + FORMULAS.length);
    const descriptions = events.map((e) => String(e.getFirstPropertyValue('description')));
    expect(descriptions.some((d) => d.includes(FEED_INJECTION.replace(/\r\n/g, '\n')))).toBe(true);
    expect(events.map((e) => String(e.getFirstPropertyValue('summary')))).not.toContain('偽の予定');
  });

  it('writes the group\'s name with its iCal punctuation escaped in the public space feed', async () => {
    const feed = await send('GET', '/calendars/spaces/small-1.ics', 'anon');
    expect(feed.statusCode).toBe(200);
    const summaries = new ICAL.Component(ICAL.parse(feed.body)).getAllSubcomponents('vevent').map((e) => String(e.getFirstPropertyValue('summary')));
    expect(summaries).toContain(GROUP_NAME);
  });

  it('defuses purposes that start like a formula in the monthly CSV', async () => {
    const csv = await send('GET', '/reports/monthly/2026-12.csv', 'manager');
    expect(csv.statusCode, csv.body.slice(0, 300)).toBe(200);
    for (const formula of FORMULAS) {
      expect(csv.body).toContain(`"'${formula.replace(/"/g, '""')}"`);
      expect(csv.body).not.toMatch(new RegExp(`(^|,)"${formula.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/"/g, '""')}`, 'm'));
    }
  });

  it('defuses a survey answer that starts like a formula in the survey CSV', async () => {
    const managerId = n.db.$client.prepare("SELECT id FROM accounts WHERE email = 'kanri@example.jp'").pluck().get() as number;
    const survey = n.app.services.surveys.create({ id: managerId, role: 'manager', name: '管理者', groupId: null, isRepresentative: false }, {
      title: '利用者アンケート', opensAt: '2026-11-30T09:00', closesAt: '2026-12-31T17:00', questions: [{ kind: 'text', prompt: 'ご意見' }],
    });
    const question = n.db.$client.prepare('SELECT id FROM survey_questions WHERE survey_id = ?').pluck().get(survey.id) as number;
    n.app.services.surveys.answer(survey.slug, { answers: { [question]: FORMULAS[4] } });
    const csv = await send('GET', `/manage/surveys/${survey.id}/results.csv`, 'manager');
    expect(csv.statusCode, csv.body.slice(0, 300)).toBe(200);
    expect(csv.body).toContain(`"'${FORMULAS[4]!.replace(/"/g, '""')}"`);
  });
});
