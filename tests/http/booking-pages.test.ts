import { describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { groups } from '../../db/schema.js';
import { count, PASSWORD, type TestApp, appPerTest } from '../support/app.js';
import { openForm, postForm } from '../support/forms.js';

// The clock: Tuesday 2026-12-01 10:00 in Tokyo. Individuals may book up to March 2027, registered
// groups up to June 2027. December is in the heating season: small-1 for two morning hours costs
// ¥480 at the general rate (¥400 + 20%) and ¥240 at the registered rate.

const app = appPerTest('2026-12-01T10:00', { sessionHours: 24 * 30 });

function cookieValue(res: LightMyRequestResponse, name: string): string | undefined {
  return res.cookies.find((c) => c.name === name)?.value;
}

const get = (a: TestApp, url: string, cookie: string) => a.app.inject({ url, headers: { cookie } });

/** A registered group, inserted directly (status active until the end of the fiscal year). */
function makeGroup(a: TestApp, name = '市民活動ネットワーク', extra: { fields?: string } = {}): number {
  return a.db.insert(groups).values({
    name, kana: 'しみんかつどうねっとわーく', type: 'npo', status: 'active', validUntil: '2027-03-31', memberCount: 12,
    createdAt: '2026-04-01T00:00:00.000Z', ...extra,
  }).returning({ id: groups.id }).get().id;
}

/** A logged-in person with a form page open: what posting a form needs. */
async function person(a: TestApp, role: 'individual' | 'member', email: string, extra: { groupId?: number } = {}) {
  const id = await a.account(role, email, extra);
  const session = await a.login(email);
  const { token, cookie } = await openForm(a, '/book', session);
  return { id, token, cookie };
}

function rows(a: TestApp) {
  return a.db.$client.prepare('SELECT b.*, s.slug AS space FROM bookings b JOIN spaces s ON s.id = b.space_id ORDER BY b.start_at').all() as {
    id: number; space: string; start_at: string; end_at: string; use_date: string; status: string; payment_status: string;
    series_id: number | null; purpose: string; attendees: number; account_id: number | null; group_id: number | null;
  }[];
}

function stored(a: TestApp) {
  return Object.fromEntries(['bookings', 'booking_series', 'audit_log', 'payments'].map((n) => [n, count(a.db, n)]));
}

const slot = (extra: Record<string, string> = {}) => ({
  space: 'small-1', date: '2026-12-10', start: '10:00', end: '12:00', attendees: '5', purpose: '自治会の定例会', ...extra,
});

/** Books through the API (JSON): the scene a page test starts from. */
async function apiBooking(a: TestApp, email: string, body: Record<string, unknown>): Promise<number> {
  const cookie = await a.login(email);
  const res = await a.app.inject({ method: 'POST', url: '/api/v1/bookings', headers: { cookie, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
  if (res.statusCode !== 201) throw new Error(res.body);
  return (res.json() as { id: number }).id;
}

describe('signing up as an individual', () => {
  it('states the purpose of the personal data and asks for name, e-mail, password and phone, each labelled', async () => {
    const a = await app();
    const res = await a.app.inject('/signup');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('個人情報の利用目的');
    expect(res.body).toContain('施設の予約の受付と、予約に関するご連絡');
    for (const name of ['name', 'email', 'password', 'phone']) {
      expect(res.body).toMatch(new RegExp(`<label class="field__label" for="field-${name}">`));
      expect(res.body).toContain(`name="${name}"`);
    }
    expect(res.body).toContain('href="/signup" aria-current="page">新規登録</a>');
  });

  it('creates the account, logs the person in and goes to their bookings', async () => {
    const a = await app();
    const { token, cookie } = await openForm(a, '/signup');
    const res = await postForm(a, '/signup', { _csrf: token, name: '山田 花子', email: 'Hanako@Example.jp', password: PASSWORD, phone: '090-1234-5678' }, cookie);
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe('/my/bookings');
    const account = a.db.$client.prepare('SELECT role, name, email, phone, group_id FROM accounts').get();
    expect(account).toEqual({ role: 'individual', name: '山田 花子', email: 'hanako@example.jp', phone: '090-1234-5678', group_id: null });
    expect(count(a.db, 'sessions')).toBe(1);
    const session = cookieValue(res, 'hiroba_session');
    expect(session).toBeTruthy();

    const list = await get(a, '/my/bookings', `${cookie}; hiroba_session=${session}; hiroba_flash=flash.signedUp`);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('山田 花子 さん');
    expect(list.body).toContain('アカウントを作成し、ログインしました。');
    expect(list.body).toContain('これからの予約はありません。');
    expect(list.body).toContain('href="/book"');
  });

  it('re-renders a taken e-mail address with 422 and a Japanese message, never echoing the password', async () => {
    const a = await app();
    await a.account('individual', 'hanako@example.jp');
    const { token, cookie } = await openForm(a, '/signup');
    const res = await postForm(a, '/signup', { _csrf: token, name: '山田 花子', email: 'hanako@example.jp', password: 'a secret password', phone: '090-1234-5678' }, cookie);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('このメールアドレスはすでに登録されています');
    expect(res.body).toMatch(/<input class="field__input" id="field-email"[^>]*aria-invalid="true" aria-describedby="field-email-hint field-email-error">/);
    expect(res.body).not.toContain('a secret password');
    expect(res.body).toContain('value="山田 花子"');
    expect(count(a.db, 'accounts')).toBe(1);
    expect(count(a.db, 'sessions')).toBe(0);
  });

  it('names each field that is wrong, in Japanese', async () => {
    const a = await app();
    const { token, cookie } = await openForm(a, '/signup');
    const res = await postForm(a, '/signup', { _csrf: token, name: '', email: 'not-an-address', password: 'short', phone: 'abc' }, cookie);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('氏名を入力してください');
    expect(res.body).toContain('メールアドレスは「name@example.jp」のような形で入力してください');
    expect(res.body).toContain('パスワードは10文字以上で入力してください');
    expect(res.body).toContain('電話番号は数字とハイフンで入力してください');
    expect(count(a.db, 'accounts')).toBe(0);
  });
});

describe('booking as an individual', () => {
  it('sends someone not logged in to the login form, coming back to the same booking form', async () => {
    const a = await app();
    const res = await a.app.inject('/book?space=small-1&start=2026-12-10T10:00');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/login?next=${encodeURIComponent('/book?space=small-1&start=2026-12-10T10:00')}`);
  });

  it('fills the form from a free cell of the space grid: space, date, start and an hour later', async () => {
    const a = await app();
    const hanako = await person(a, 'individual', 'hanako@example.jp');
    const res = await get(a, '/book?space=small-1&start=2026-12-10T10:00', hanako.cookie);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<option value="small-1" selected>小会議室1（定員8人）</option>');
    expect(res.body).toMatch(/id="field-date" name="date" type="date" value="2026-12-10"/);
    expect(res.body).toMatch(/<select[^>]*id="field-start"[^]*?<option value="10:00" selected>/);
    expect(res.body).toMatch(/<select[^>]*id="field-end"[^]*?<option value="11:00" selected>/);
    // Individuals do not make series: no repeat section.
    expect(res.body).not.toContain('name="repeat"');
    expect(res.body).toContain('href="/book" aria-current="page">予約する</a>');
    expect(res.body).toContain('href="/my/bookings">予約一覧</a>');
  });

  it('confirms with the fee lines and the deadline, storing nothing, then books a provisional booking', async () => {
    const a = await app();
    const hanako = await person(a, 'individual', 'hanako@example.jp');
    const before = stored(a);

    const confirm = await postForm(a, '/book/confirm', { _csrf: hanako.token, ...slot() }, hanako.cookie);
    expect(confirm.statusCode, confirm.body).toBe(200);
    expect(confirm.body).toContain('予約内容の確認');
    expect(confirm.body).toContain('基本使用料（小会議室1 10:00–12:00）');
    expect(confirm.body).toContain('暖房料（20%）');
    expect(confirm.body).toMatch(/<th scope="row">合計<\/th>\s*<td class="num">¥480<\/td>/);
    expect(confirm.body).toContain('2026年12月10日(木)');
    expect(confirm.body).toContain('お支払い期限 2026年12月8日(火) 22:00までに、窓口で');
    expect(confirm.body).toMatch(/<form method="post" action="\/book" class="actions">\s*<input type="hidden" name="_csrf" value="[^"]+">/);
    expect(confirm.body).toContain('<input type="hidden" name="purpose" value="自治会の定例会">');
    expect(confirm.body).toContain('formaction="/book/edit"');
    // The confirmation is a dry run: nothing written, not even an audit entry.
    expect(stored(a)).toEqual(before);

    const res = await postForm(a, '/book', { _csrf: hanako.token, ...slot() }, hanako.cookie);
    expect(res.statusCode, res.body).toBe(303);
    const all = rows(a);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ space: 'small-1', use_date: '2026-12-10', status: 'provisional', payment_status: 'unpaid', account_id: hanako.id, attendees: 5, purpose: '自治会の定例会' });
    expect(res.headers.location).toBe(`/my/bookings/${all[0]!.id}`);

    const detail = await get(a, `/my/bookings/${all[0]!.id}`, `${hanako.cookie}; hiroba_flash=flash.booked`);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).toContain('予約を受け付けました。');
    expect(detail.body).toContain('お支払い期限 2026年12月8日(火) 22:00まで');
    expect(detail.body).toContain('仮予約');
    expect(detail.body).toContain('¥480');
    expect(detail.body).toContain(`href="/my/bookings/${all[0]!.id}/change"`);
    expect(detail.body).toContain(`href="/my/bookings/${all[0]!.id}/cancel"`);

    const list = await get(a, '/my/bookings', hanako.cookie);
    expect(list.body).toContain('これからの予約（1件）');
    expect(list.body).toMatch(/<th scope="row" class="bookings__date"><a href="\/my\/bookings\/\d+">2026年12月10日\(木\)<\/a><\/th>/);
    expect(list.body).toContain('10:00–12:00');
    expect(list.body).toContain('2026年12月8日(火) 22:00まで');
  });

  it('goes back from the confirmation to the form with everything entered', async () => {
    const a = await app();
    const hanako = await person(a, 'individual', 'hanako@example.jp');
    const res = await postForm(a, '/book/edit', { _csrf: hanako.token, ...slot({ purpose: '講座の準備', attendees: '7' }) }, hanako.cookie);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('>講座の準備</textarea>');
    expect(res.body).toMatch(/id="field-attendees" name="attendees" type="text" value="7"/);
    expect(count(a.db, 'bookings')).toBe(0);
  });

  it('refuses a closed date with 422, saying why next to the date, and keeps the input', async () => {
    const a = await app();
    const hanako = await person(a, 'individual', 'hanako@example.jp');
    const before = stored(a);
    for (const url of ['/book/confirm', '/book']) {
      const res = await postForm(a, url, { _csrf: hanako.token, ...slot({ date: '2026-12-29' }) }, hanako.cookie);
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain('<p class="field__error" id="field-date-error">この日は年末年始休館のため利用できません</p>');
      expect(res.body).toMatch(/id="field-date" name="date" type="date" value="2026-12-29" aria-required="true" aria-invalid="true" aria-describedby="field-date-hint field-date-error"/);
      expect(res.body).toContain('<a href="#field-date">この日は年末年始休館のため利用できません</a>');
      expect(res.body).toContain('>自治会の定例会</textarea>');
    }
    expect(stored(a)).toEqual(before);
  });

  it('refuses a taken slot with 422, naming the booked times next to the start', async () => {
    const a = await app();
    await a.account('individual', 'taro@example.jp');
    await apiBooking(a, 'taro@example.jp', { space: 'small-1', start: '2026-12-10T11:00', end: '2026-12-10T13:00', purpose: '会議', attendees: 3 });
    const hanako = await person(a, 'individual', 'hanako@example.jp');
    const before = stored(a);
    const res = await postForm(a, '/book', { _csrf: hanako.token, ...slot() }, hanako.cookie);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('<p class="field__error" id="field-start-error">その時間はすでに予約が入っています（11:00–13:00）。空いている時間を選んでください</p>');
    expect(stored(a)).toEqual(before);
  });

  it('refuses a date whose booking window is not open yet, with the opening date and time in Japanese', async () => {
    const a = await app();
    const hanako = await person(a, 'individual', 'hanako@example.jp');
    const before = stored(a);
    const res = await postForm(a, '/book/confirm', { _csrf: hanako.token, ...slot({ date: '2027-04-05' }) }, hanako.cookie);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('この日の予約の受付は2027年1月1日(金) 09:00から始まります');
    expect(stored(a)).toEqual(before);
  });

  it('refuses more people than the room holds, and an online booking too close to the day, next to the field', async () => {
    const a = await app();
    const hanako = await person(a, 'individual', 'hanako@example.jp');
    const crowd = await postForm(a, '/book/confirm', { _csrf: hanako.token, ...slot({ attendees: '９' }) }, hanako.cookie);
    expect(crowd.statusCode).toBe(422);
    expect(crowd.body).toContain('<p class="field__error" id="field-attendees-error">利用人数が施設の定員（8人）を超えています</p>');
    const late = await postForm(a, '/book/confirm', { _csrf: hanako.token, ...slot({ date: '2026-12-03' }) }, hanako.cookie);
    expect(late.statusCode).toBe(422);
    expect(late.body).toContain('オンラインで予約できるのは利用日の3日前までです');
    expect(count(a.db, 'bookings')).toBe(0);
  });

  it('refuses a fourth provisional booking with the quota as a message about the whole form', async () => {
    const a = await app();
    const hanako = await person(a, 'individual', 'hanako@example.jp');
    for (const date of ['2026-12-10', '2026-12-11', '2026-12-12']) {
      expect((await postForm(a, '/book', { _csrf: hanako.token, ...slot({ date }) }, hanako.cookie)).statusCode).toBe(303);
    }
    const before = stored(a);
    const res = await postForm(a, '/book', { _csrf: hanako.token, ...slot({ date: '2026-12-13' }) }, hanako.cookie);
    expect(res.statusCode).toBe(422);
    expect(res.body).toMatch(/<ul class="error-summary__list">\s*<li>仮予約は同時に3件までです。/);
    expect(stored(a)).toEqual(before);
  });

  it('checks the form itself: missing fields and an end before the start are named in Japanese', async () => {
    const a = await app();
    const hanako = await person(a, 'individual', 'hanako@example.jp');
    const res = await postForm(a, '/book/confirm', { _csrf: hanako.token, space: '', date: '2026-02-30', start: '12:00', end: '10:00', attendees: '', purpose: '' }, hanako.cookie);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('施設を選んでください');
    expect(res.body).toContain('利用日は「2026-12-05」のような正しい日付で入力してください');
    expect(res.body).toContain('終了時刻は開始時刻より後にしてください');
    expect(res.body).toContain('利用人数を入力してください');
    expect(res.body).toMatch(/<div class="error-summary" role="alert"[^>]*tabindex="-1" autofocus>/);
  });

  it('escapes what was typed on the confirmation and in the hidden fields', async () => {
    const a = await app();
    const hanako = await person(a, 'individual', 'hanako@example.jp');
    const res = await postForm(a, '/book/confirm', { _csrf: hanako.token, ...slot({ purpose: '"><script>alert(1)</script>' }) }, hanako.cookie);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('<script>alert(1)</script>');
    expect(res.body).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  });

  it('refuses a form post without the CSRF token with 403, storing nothing', async () => {
    const a = await app();
    const hanako = await person(a, 'individual', 'hanako@example.jp');
    const before = stored(a);
    for (const url of ['/book/confirm', '/book']) {
      const res = await postForm(a, url, slot(), hanako.cookie);
      expect(res.statusCode).toBe(403);
    }
    const wrong = await postForm(a, '/book', { _csrf: 'x'.repeat(43), ...slot() }, hanako.cookie);
    expect(wrong.statusCode).toBe(403);
    const signup = await postForm(a, '/signup', { name: '山田', email: 'new@example.jp', password: PASSWORD, phone: '090-1111-2222' }, '');
    expect(signup.statusCode).toBe(403);
    expect(stored(a)).toEqual(before);
    expect(count(a.db, 'accounts')).toBe(1);
  });
});

describe('a group member’s recurring booking', () => {
  it('offers the repeat section and previews the dates booked and skipped, then books the rest', async () => {
    const a = await app();
    const groupId = makeGroup(a);
    const member = await person(a, 'member', 'kaiin@example.jp', { groupId });
    const form = await get(a, '/book?space=small-1&date=2026-12-22&start=10:00&end=12:00', member.cookie);
    // This group row has no activity fields (its column default): the page still names the group.
    expect(form.body).toContain('登録団体「市民活動ネットワーク」として予約します');
    expect(form.body).toContain('name="repeat" value="weekly"');
    expect(form.body).toContain('（この利用日なら毎月第4火曜日）');

    const fields = { _csrf: member.token, ...slot({ date: '2026-12-22' }), repeat: 'weekly', repeatEnd: 'count', count: '4' };
    const before = stored(a);
    const preview = await postForm(a, '/book/confirm', fields, member.cookie);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.body).toContain('毎週火曜日・4回');
    expect(preview.body).toContain('予約される日（2件）');
    expect(preview.body).toContain('2026年12月22日(火)');
    expect(preview.body).toContain('2027年1月5日(火)');
    expect(preview.body).toContain('予約できない日（2件）');
    expect(preview.body).toMatch(/<th scope="row">2026年12月29日\(火\) 10:00<\/th>\s*<td>休館日（年末年始休館）<\/td>/);
    expect(preview.body).toMatch(/<th scope="row">2027年1月12日\(火\) 10:00<\/th>\s*<td>休館日（定例休館日）<\/td>/);
    expect(preview.body).toContain('2件の合計');
    expect(preview.body).toContain('¥480'); // 2 × ¥240
    expect(preview.body).toContain('予約する（2件）');
    expect(stored(a)).toEqual(before);

    const res = await postForm(a, '/book', fields, member.cookie);
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe('/my/bookings?booked=2&skipped=2');
    const all = rows(a);
    expect(all.map((r) => r.use_date)).toEqual(['2026-12-22', '2027-01-05']);
    expect(all.every((r) => r.status === 'confirmed' && r.group_id === groupId && r.series_id !== null)).toBe(true);
    expect(count(a.db, 'booking_series')).toBe(1);

    const list = await get(a, res.headers.location as string, `${member.cookie}; hiroba_flash=flash.seriesBooked`);
    expect(list.body).toContain('繰り返しの予約を受け付けました。');
    expect(list.body).toContain('2件を予約しました。予約できなかった日は2件です。');
    expect(list.body).toContain('これからの予約（2件）');
  });

  it('builds monthly and every-other-week rules, and a last date', async () => {
    const a = await app();
    const groupId = makeGroup(a, '市民活動ネットワーク', { fields: '["まちづくり"]' });
    const member = await person(a, 'member', 'kaiin@example.jp', { groupId });
    expect((await get(a, '/book', member.cookie)).body).toContain('登録団体「市民活動ネットワーク」として予約します');
    // 2026-12-09 is the 2nd Wednesday.
    const monthly = await postForm(a, '/book/confirm', { _csrf: member.token, ...slot({ date: '2026-12-09' }), repeat: 'monthly', repeatEnd: 'count', count: '3' }, member.cookie);
    expect(monthly.statusCode, monthly.body).toBe(200);
    expect(monthly.body).toContain('毎月第2水曜日・3回');
    for (const d of ['2026年12月9日(水)', '2027年1月13日(水)', '2027年2月10日(水)']) expect(monthly.body).toContain(d);

    const biweekly = await postForm(a, '/book/confirm', { _csrf: member.token, ...slot({ date: '2027-01-06' }), repeat: 'biweekly', repeatEnd: 'until', until: '2027-02-03' }, member.cookie);
    expect(biweekly.statusCode, biweekly.body).toBe(200);
    expect(biweekly.body).toContain('2週間ごとの水曜日・2027年2月3日(水)まで');
    expect(biweekly.body).toContain('予約される日（3件）');
    expect(count(a.db, 'bookings')).toBe(0);
  });

  it('gives the opening date and time of a skipped date whose window is not open yet', async () => {
    const a = await app();
    const groupId = makeGroup(a);
    const member = await person(a, 'member', 'kaiin@example.jp', { groupId });
    // Groups may book June 2027 from December 1st; July opens on January 1st at 09:00.
    const res = await postForm(a, '/book/confirm', { _csrf: member.token, ...slot({ date: '2027-06-22' }), repeat: 'weekly', repeatEnd: 'count', count: '3' }, member.cookie);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain('予約される日（2件）');
    expect(res.body).toMatch(/<th scope="row">2027年7月6日\(火\) 10:00<\/th>\s*<td>まだ予約の受付が始まっていません。（2027年1月1日\(金\) 09:00から受付）<\/td>/);
    expect(count(a.db, 'bookings')).toBe(0);
  });

  it('asks for the number of times, and lists the reasons when no date of a series can be booked', async () => {
    const a = await app();
    const groupId = makeGroup(a);
    const member = await person(a, 'member', 'kaiin@example.jp', { groupId });
    const noCount = await postForm(a, '/book/confirm', { _csrf: member.token, ...slot(), repeat: 'weekly', repeatEnd: 'count', count: '' }, member.cookie);
    expect(noCount.statusCode).toBe(422);
    expect(noCount.body).toContain('<a href="#field-count">回数（初回を含む）を入力してください</a>');

    // 12/29 is the year-end closure and two weeks on, 1/12, the moved regular closing day.
    const none = await postForm(a, '/book', { _csrf: member.token, ...slot({ date: '2026-12-29' }), repeat: 'biweekly', repeatEnd: 'count', count: '2' }, member.cookie);
    expect(none.statusCode).toBe(422);
    expect(none.body).toContain('繰り返しのどの日も予約できませんでした');
    expect(none.body).toContain('休館日（年末年始休館）');
    expect(none.body).toContain('休館日（定例休館日）');
    expect(count(a.db, 'bookings')).toBe(0);
    expect(count(a.db, 'booking_series')).toBe(0);
  });
});

describe('changing a booking', () => {
  it('shows the form prefilled, then the change fee first, and moves the booking only when confirmed', async () => {
    const a = await app();
    const groupId = makeGroup(a);
    const member = await person(a, 'member', 'kaiin@example.jp', { groupId });
    const id = await apiBooking(a, 'kaiin@example.jp', { space: 'small-1', start: '2026-12-15T10:00', end: '2026-12-15T12:00', purpose: '定例会', attendees: 5 });

    const form = await get(a, `/my/bookings/${id}/change`, member.cookie);
    expect(form.statusCode).toBe(200);
    expect(form.body).toMatch(/id="field-date" name="date" type="date" value="2026-12-15"/);
    expect(form.body).toMatch(/<select[^>]*id="field-start"[^]*?<option value="10:00" selected>/);
    expect(form.body).toContain('>定例会</textarea>');

    const fields = { _csrf: member.token, space: 'small-1', date: '2026-12-16', start: '14:00', end: '16:00', attendees: '6', purpose: '定例会' };
    const before = stored(a);
    const confirm = await postForm(a, `/my/bookings/${id}/change/confirm`, fields, member.cookie);
    expect(confirm.statusCode, confirm.body).toBe(200);
    expect(confirm.body).toContain('変更手数料 無料');
    expect(confirm.body.indexOf('変更手数料 無料')).toBeLessThan(confirm.body.indexOf('変更後の使用料'));
    expect(confirm.body).toContain('2026年12月16日(水)');
    expect(confirm.body).toContain('14:00–16:00');
    expect(stored(a)).toEqual(before);
    expect(rows(a)[0]).toMatchObject({ use_date: '2026-12-15', attendees: 5 });

    const res = await postForm(a, `/my/bookings/${id}/change`, fields, member.cookie);
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe(`/my/bookings/${id}`);
    expect(rows(a)[0]).toMatchObject({ id, use_date: '2026-12-16', start_at: '2026-12-16T05:00:00.000Z', end_at: '2026-12-16T07:00:00.000Z', attendees: 6 });
  });

  it('shows a change fee within 6 days of use, as the service computes it', async () => {
    const a = await app();
    const groupId = makeGroup(a);
    const member = await person(a, 'member', 'kaiin@example.jp', { groupId });
    const id = await apiBooking(a, 'kaiin@example.jp', { space: 'small-1', start: '2026-12-05T10:00', end: '2026-12-05T12:00', purpose: '定例会', attendees: 5 });
    const fields = { _csrf: member.token, space: 'small-1', date: '2026-12-05', start: '14:00', end: '16:00', attendees: '5', purpose: '定例会' };
    const confirm = await postForm(a, `/my/bookings/${id}/change/confirm`, fields, member.cookie);
    expect(confirm.statusCode, confirm.body).toBe(200);
    // 4 days before use: 50% of ¥240.
    expect(confirm.body).toContain('変更手数料 ¥120');
    expect(confirm.body).toContain('変更手数料</th>');
    expect(confirm.body).toMatch(/<th scope="row">合計<\/th>\s*<td class="num">¥360<\/td>/);
  });

  it('re-renders a change into a taken slot with 422 and changes nothing', async () => {
    const a = await app();
    const groupId = makeGroup(a);
    const member = await person(a, 'member', 'kaiin@example.jp', { groupId });
    const id = await apiBooking(a, 'kaiin@example.jp', { space: 'small-1', start: '2026-12-15T10:00', end: '2026-12-15T12:00', purpose: '定例会', attendees: 5 });
    await apiBooking(a, 'kaiin@example.jp', { space: 'small-1', start: '2026-12-15T14:00', end: '2026-12-15T16:00', purpose: '別の会', attendees: 5 });
    const before = stored(a);
    const res = await postForm(a, `/my/bookings/${id}/change`, { _csrf: member.token, space: 'small-1', date: '2026-12-15', start: '15:00', end: '17:00', attendees: '5', purpose: '定例会' }, member.cookie);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('その時間はすでに予約が入っています（14:00–16:00）');
    expect(res.body).toMatch(/<option value="15:00" selected>/);
    expect(stored(a)).toEqual(before);
  });
});

describe('cancelling a booking', () => {
  it('shows the charge, refund and balance first, then cancels; a second cancel says it is already cancelled', async () => {
    const a = await app();
    const hanako = await person(a, 'individual', 'hanako@example.jp');
    await postForm(a, '/book', { _csrf: hanako.token, ...slot() }, hanako.cookie);
    const id = rows(a)[0]!.id;

    const page = await get(a, `/my/bookings/${id}/cancel`, hanako.cookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<dt>キャンセル料<\/dt><dd>¥0<\/dd>/);
    expect(page.body).toMatch(/<dt>返金<\/dt><dd>¥0<\/dd>/);
    expect(page.body).toMatch(/<dt>未払い残高<\/dt><dd>¥0<\/dd>/);
    expect(page.body.indexOf('キャンセル料')).toBeLessThan(page.body.indexOf('name="reason"'));
    expect(rows(a)[0]!.status).toBe('provisional');

    const res = await postForm(a, `/my/bookings/${id}/cancel`, { _csrf: hanako.token, reason: '予定が変わったため' }, hanako.cookie);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/my/bookings/${id}`);
    expect(rows(a)[0]!.status).toBe('cancelled');
    const detail = await get(a, `/my/bookings/${id}`, `${hanako.cookie}; hiroba_flash=flash.bookingCancelled`);
    expect(detail.body).toContain('予約を取り消しました。');
    expect(detail.body).toContain('この予約は取り消されました。');
    expect(detail.body).not.toContain(`href="/my/bookings/${id}/cancel"`);

    const again = await postForm(a, `/my/bookings/${id}/cancel`, { _csrf: hanako.token }, hanako.cookie);
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('この予約はすでに取り消されています。');
    expect((await get(a, `/my/bookings/${id}/cancel`, hanako.cookie)).statusCode).toBe(409);
    expect((await get(a, `/my/bookings/${id}/change`, hanako.cookie)).statusCode).toBe(409);
  });

  it('states a charge for a confirmed booking cancelled within 6 days of use', async () => {
    const a = await app();
    const groupId = makeGroup(a);
    const member = await person(a, 'member', 'kaiin@example.jp', { groupId });
    const id = await apiBooking(a, 'kaiin@example.jp', { space: 'small-1', start: '2026-12-05T10:00', end: '2026-12-05T12:00', purpose: '定例会', attendees: 5 });
    const page = await get(a, `/my/bookings/${id}/cancel`, member.cookie);
    expect(page.body).toMatch(/<dt>キャンセル料<\/dt><dd>¥120<\/dd>/);
    expect(page.body).toMatch(/<dt>未払い残高<\/dt><dd>¥120<\/dd>/);
    const res = await postForm(a, `/my/bookings/${id}/cancel`, { _csrf: member.token }, member.cookie);
    expect(res.statusCode).toBe(303);
    expect(rows(a)[0]).toMatchObject({ status: 'cancelled' });
  });
});

describe('other people’s bookings', () => {
  it('answer 404 on every page and change nothing', async () => {
    const a = await app();
    await a.account('individual', 'taro@example.jp');
    const theirs = await apiBooking(a, 'taro@example.jp', { space: 'small-1', start: '2026-12-10T10:00', end: '2026-12-10T12:00', purpose: '会議', attendees: 3 });
    const hanako = await person(a, 'individual', 'hanako@example.jp');
    for (const url of [`/my/bookings/${theirs}`, `/my/bookings/${theirs}/change`, `/my/bookings/${theirs}/cancel`, '/my/bookings/999999', '/my/bookings/abc']) {
      const res = await get(a, url, hanako.cookie);
      expect(res.statusCode, url).toBe(404);
      expect(res.body).toContain('ページが見つかりません');
    }
    const cancel = await postForm(a, `/my/bookings/${theirs}/cancel`, { _csrf: hanako.token }, hanako.cookie);
    expect(cancel.statusCode).toBe(404);
    const change = await postForm(a, `/my/bookings/${theirs}/change`, { _csrf: hanako.token, ...slot({ start: '14:00', end: '16:00' }) }, hanako.cookie);
    expect(change.statusCode).toBe(404);
    expect(rows(a)[0]).toMatchObject({ status: 'provisional', use_date: '2026-12-10', start_at: '2026-12-10T01:00:00.000Z' });
    expect((await get(a, '/my/bookings', hanako.cookie)).body).toContain('これからの予約はありません。');
  });
});

describe('my bookings', () => {
  it('lists upcoming bookings first, soonest first, then past ones, latest first, with status and payment', async () => {
    const a = await app();
    const hanako = await person(a, 'individual', 'hanako@example.jp');
    await apiBooking(a, 'hanako@example.jp', { space: 'small-1', start: '2026-12-20T10:00', end: '2026-12-20T12:00', purpose: 'B', attendees: 3 });
    await apiBooking(a, 'hanako@example.jp', { space: 'small-2', start: '2026-12-10T18:00', end: '2026-12-10T20:00', purpose: 'A', attendees: 3 });
    a.clock.set('2026-12-15T10:00');
    const list = await get(a, '/my/bookings', hanako.cookie);
    expect(list.statusCode).toBe(200);
    const upcoming = list.body.indexOf('これからの予約（1件）');
    const past = list.body.indexOf('過去の予約（1件）');
    expect(upcoming).toBeGreaterThan(0);
    expect(past).toBeGreaterThan(upcoming);
    expect(list.body.indexOf('2026年12月20日(日)')).toBeLessThan(past);
    expect(list.body.indexOf('2026年12月10日(木)')).toBeGreaterThan(past);
    // The one on 12/10 was never paid: it expired at its deadline.
    expect(list.body).toContain('<span class="status status--expired">期限切れ</span>');
    expect(list.body).toContain('<th scope="col">お支払い期限</th>');
    // Its own page says so too, and offers neither change nor cancel.
    const lapsed = rows(a).find((r) => r.use_date === '2026-12-10')!;
    const detail = await get(a, `/my/bookings/${lapsed.id}`, hanako.cookie);
    expect(detail.body).toContain('お支払い期限を過ぎたため、この予約は期限切れになりました。');
    expect(detail.body).not.toContain(`/my/bookings/${lapsed.id}/cancel`);
    expect((await get(a, `/my/bookings/${lapsed.id}/cancel`, hanako.cookie)).statusCode).toBe(409);
  });

  it('answers a bad period with 400, and renders in English when asked', async () => {
    const a = await app();
    const hanako = await person(a, 'individual', 'hanako@example.jp');
    expect((await get(a, '/my/bookings?from=2026-13-01', hanako.cookie)).statusCode).toBe(400);
    const en = await get(a, '/my/bookings', `${hanako.cookie}; hiroba_lang=en`);
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('My bookings');
    const form = await get(a, '/book', `${hanako.cookie}; hiroba_lang=en`);
    expect(form.body).toContain('Book a space');
  });

  it('walks through a series, a booking, a change and a cancellation in English', async () => {
    const a = await app();
    const groupId = makeGroup(a, '市民活動ネットワーク', { fields: '[]' });
    const member = await person(a, 'member', 'kaiin@example.jp', { groupId });
    const cookie = `${member.cookie}; hiroba_lang=en`;
    const form = await get(a, '/book?space=small-1&date=2026-12-09', cookie);
    expect(form.body).toContain('(for this date: the Wednesday of week 2 of every month)');
    const preview = await postForm(a, '/book/confirm', { _csrf: member.token, ...slot({ date: '2026-12-22' }), repeat: 'weekly', repeatEnd: 'count', count: '4' }, cookie);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.body).toContain('every Tuesday, 4 times');
    expect(preview.body).toContain('Closed (Year-end closure)');
    await postForm(a, '/book', { _csrf: member.token, ...slot({ date: '2026-12-22' }) }, cookie);
    const id = rows(a)[0]!.id;
    const detail = await get(a, `/my/bookings/${id}`, cookie);
    expect(detail.body).toContain('Booking details');
    // Fee lines are stored in Japanese; their fixed parts are shown in English.
    expect(detail.body).toContain('<th scope="row" class="fee-lines__label">Room charge (小会議室1 10:00–12:00)</th>');
    expect(detail.body).toContain('Registered group (50%)');
    const change = await postForm(a, `/my/bookings/${id}/change/confirm`, { _csrf: member.token, ...slot({ date: '2026-12-23' }) }, cookie);
    expect(change.body).toContain('Change fee: free');
    const cancel = await get(a, `/my/bookings/${id}/cancel`, cookie);
    expect(cancel.body).toContain('Cancellation fee');
  });

  it('is not for staff, who book at the desk', async () => {
    const a = await app();
    await a.account('staff', 'madoguchi@example.jp');
    const cookie = await a.login('madoguchi@example.jp');
    expect((await get(a, '/book', cookie)).statusCode).toBe(403);
    expect((await get(a, '/my/bookings', cookie)).statusCode).toBe(403);
  });
});
