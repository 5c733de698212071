import { describe, expect, it } from 'vitest';
import { count, type TestApp, appPerTest } from '../support/app.js';
import { addDays } from '../../server/domain/time.js';
import { call, makeGroup, user } from './helpers.js';
import { openForm, postForm } from '../support/forms.js';

// The default clock: Tuesday 2026-12-01 10:00 in Tokyo. December 2026: the 2nd and 4th Mondays
// (12/14, 12/28) are regular closing days, 12/29–1/3 the year-end closure; heating season.
const app = appPerTest('2026-12-01T10:00');

const get = (a: TestApp, url: string, cookie?: string) => a.app.inject({ url, headers: cookie ? { cookie } : {} });

/** The visible and spoken text of some HTML: tags dropped, whitespace folded. */
const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
const unescape = (s: string) => s.replace(/&amp;/g, '&');
/** The page's own content, without the menu (whose login and language links repeat the URL, encoded). */
const main = (html: string) => /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? '';

interface Cell {
  className: string;
  text: string;
  href: string | null;
}

/**
 * The week grid of a space page as `date time` → cell, read from the HTML table: each body row is
 * a half-hour (its row header the time), each column a day from `week` on.
 */
function weekGrid(html: string, week: string): Map<string, Cell> {
  const table = /<table class="grid grid--week">([\s\S]*?)<\/table>/.exec(html)?.[1];
  if (!table) throw new Error('no week grid');
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)![1]!;
  const cells = new Map<string, Cell>();
  for (const row of body.split('</tr>').filter((r) => r.includes('<th'))) {
    const time = text(/<th scope="row"[^>]*>([\s\S]*?)<\/th>/.exec(row)![1]!);
    [...row.matchAll(/<td class="([^"]+)">([\s\S]*?)<\/td>/g)].forEach((m, i) => {
      const href = /<a href="([^"]+)"/.exec(m[2]!)?.[1];
      cells.set(`${addDays(week, i)} ${time}`, { className: m[1]!, text: text(m[2]!), href: href ? unescape(href) : null });
    });
  }
  return cells;
}

/** The column headers of a grid, in order, as text. */
function columnHeads(html: string, tableClass: string): string[] {
  const table = new RegExp(`<table class="${tableClass}">([\\s\\S]*?)</table>`).exec(html)?.[1] ?? '';
  const head = /<thead>([\s\S]*?)<\/thead>/.exec(table)?.[1] ?? '';
  return [...head.matchAll(/<th scope="col"[^>]*>([\s\S]*?)<\/th>/g)].map((m) => text(m[1]!));
}

/** The cells of the all-spaces grid in the row of `space`, as text, one a day. */
function summaryRow(html: string, space: string): { text: string; href: string | null }[] {
  const table = /<table class="grid grid--summary">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  const row = table.split('<tr>').find((r) => new RegExp(`<th scope="row"[^>]*><a href="[^"]*">${space.replace(/[()（）]/g, '\\$&')}</a>`).test(r));
  if (!row) throw new Error(`no row for ${space}`);
  return [...row.matchAll(/<td class="[^"]+">([\s\S]*?)<\/td>/g)].map((m) => ({ text: text(m[1]!), href: /<a href="([^"]+)"/.exec(m[1]!)?.[1] ?? null }));
}

/** A day cell of a month table (calendar or a space's month view), found by its full date text. */
function monthCell(html: string, dateText: string): string {
  const cell = html.split('<td').find((c) => c.includes(`<span class="month__date">${dateText}</span>`));
  if (!cell) throw new Error(`no cell for ${dateText}`);
  return text(`<td${cell.split('</td>')[0]}`);
}

/** Books a slot through the API as an individual (online, general rate). */
let citizens = 0;
async function book(a: TestApp, space: string, start: string, end: string): Promise<number> {
  citizens += 1;
  const citizen = await user(a, 'individual', `citizen${citizens}@example.jp`);
  const res = await call(a, 'POST', '/api/v1/bookings', { cookie: citizen.cookie, body: { space, start, end, purpose: '打ち合わせ', attendees: 5 } });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { id: number }).id;
}

describe('a space page', () => {
  it('shows the name, capacity, how the room is made of parts, and the rates by band', async () => {
    const a = await app();
    const res = await get(a, '/spaces/training-a');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<title>会議研修室A | 市民活動交流センター Hiroba</title>');
    expect(res.body).toContain('<dt>定員</dt><dd>30人</dd>');
    expect(res.body).toContain('会議研修室（全面）の半分です。会議研修室（全面）に予約があるときは使えません。');
    const rates = /<table class="rates"[\s\S]*?<\/table>/.exec(res.body)![0];
    expect(text(rates)).toContain('午前 9〜12時 ¥400');
    expect(text(rates)).toContain('午後 12〜18時 ¥400');
    expect(text(rates)).toContain('夜間 18〜22時 ¥450');
    expect(res.body).toContain('通年（休館日を除く）');

    const whole = await get(a, '/spaces/training');
    expect(whole.body).toContain('会議研修室A・会議研修室Bを合わせた部屋です。');
    expect(whole.body).toContain('<dt>定員</dt><dd>60人</dd>');
  });

  it('says the plaza is outdoor and seasonal, and marks its December days out of season', async () => {
    const a = await app();
    const res = await get(a, '/spaces/plaza');
    expect(res.body).toContain('5月1日〜10月31日');
    const grid = weekGrid(res.body, '2026-12-01');
    expect(grid.get('2026-12-02 10:00')).toMatchObject({ className: 'grid__cell grid__cell--offSeason', text: '期間外', href: null });
    expect(columnHeads(res.body, 'grid grid--week')[2]).toContain('利用期間外');
  });

  it('shows a week from ?week as a table of half-hours: booked ones 予約済, free ones linking to the booking form', async () => {
    const a = await app();
    await book(a, 'training-a', '2026-12-10T13:00', '2026-12-10T15:00');
    const res = await get(a, '/spaces/training-a?week=2026-12-08');
    expect(res.statusCode).toBe(200);
    expect(text(/<caption id="week-caption">[\s\S]*?<\/caption>/.exec(res.body)![0])).toBe('会議研修室Aの空き状況（12月8日(火)〜12月14日(月)、30分ごと）');
    expect(columnHeads(res.body, 'grid grid--week')).toEqual([
      '時刻', '12月8日(火)', '12月9日(水)', '12月10日(木)', '12月11日(金)', '12月12日(土)', '12月13日(日)', '12月14日(月) 休館日（定例休館日）',
    ]);
    const grid = weekGrid(res.body, '2026-12-08');
    // Rows run 09:00–21:30 (the last half-hour starts at 21:30), each with a row header.
    expect(grid.has('2026-12-08 09:00')).toBe(true);
    expect(grid.has('2026-12-08 21:30')).toBe(true);
    expect(grid.has('2026-12-08 22:00')).toBe(false);
    expect(res.body).toMatch(/<th scope="row" class="grid__time">09:00<\/th>/);
    expect(grid.get('2026-12-10 13:00')).toMatchObject({ text: '予約済', href: null });
    expect(grid.get('2026-12-10 14:30')).toMatchObject({ text: '予約済', href: null });
    expect(grid.get('2026-12-10 15:00')).toMatchObject({
      text: '空き（12月10日(木) 15:00から予約）',
      href: '/book?space=training-a&date=2026-12-10&start=2026-12-10T15:00&end=2026-12-10T16:00',
    });
    expect(grid.get('2026-12-10 12:00')?.href).toBe('/book?space=training-a&date=2026-12-10&start=2026-12-10T12:00&end=2026-12-10T13:00');
    // Half an hour before a booking is free, but no booking of at least an hour can start there.
    expect(grid.get('2026-12-10 12:30')).toMatchObject({ className: 'grid__cell grid__cell--free', text: '空き', href: null });
    // The 2nd Monday is a regular closing day: no links that day.
    expect(grid.get('2026-12-14 10:00')).toMatchObject({ className: 'grid__cell grid__cell--closed', text: '休館', href: null });
    // The part's neighbour is free; the whole room is not.
    expect(weekGrid((await get(a, '/spaces/training-b?week=2026-12-08')).body, '2026-12-08').get('2026-12-10 13:00')?.text).toMatch(/^空き/);
  });

  it('shows a booking of training-a as booked on the whole training room', async () => {
    const a = await app();
    await book(a, 'training-a', '2026-12-10T13:00', '2026-12-10T15:00');
    const grid = weekGrid((await get(a, '/spaces/training?week=2026-12-08')).body, '2026-12-08');
    expect(grid.get('2026-12-10 13:00')).toMatchObject({ className: 'grid__cell grid__cell--busy', text: '予約済', href: null });
    expect(grid.get('2026-12-10 15:00')?.href).toBe('/book?space=training&date=2026-12-10&start=2026-12-10T15:00&end=2026-12-10T16:00');
  });

  it('starts at today by default, where the half-hours already gone are not offered', async () => {
    const a = await app('2026-12-01T10:10');
    const res = await get(a, '/spaces/small-1');
    const grid = weekGrid(res.body, '2026-12-01');
    expect(grid.get('2026-12-01 09:30')).toMatchObject({ text: '終了', href: null });
    expect(grid.get('2026-12-01 10:00')).toMatchObject({ text: '終了', href: null });
    expect(grid.get('2026-12-01 10:30')?.href).toBe('/book?space=small-1&date=2026-12-01&start=2026-12-01T10:30&end=2026-12-01T11:30');
    expect(res.body).toContain('href="/spaces/small-1?week=2026-12-08"');
    expect(res.body).toContain('href="/spaces/small-1?week=2026-11-24"');
  });

  it('closes the year-end days with 年末年始 in their column headers', async () => {
    const a = await app();
    const res = await get(a, '/spaces/training-a?week=2026-12-27');
    const heads = columnHeads(res.body, 'grid grid--week');
    expect(heads[2]).toBe('12月28日(月) 休館日（定例休館日）');
    expect(heads[3]).toBe('12月29日(火) 休館日（年末年始休館）');
    expect(heads[6]).toBe('1月1日(金) 元日 休館日（年末年始休館）');
    const grid = weekGrid(res.body, '2026-12-27');
    for (const time of ['09:00', '13:30', '21:30']) {
      expect(grid.get(`2026-12-29 ${time}`)).toMatchObject({ className: 'grid__cell grid__cell--closed', text: '休館', href: null });
    }
    expect(grid.get('2026-12-27 09:00')?.href).toContain('start=2026-12-27T09:00');
  });

  it('shows a month with each date’s free time, closures and holidays named', async () => {
    const a = await app();
    await book(a, 'training-a', '2026-12-10T13:00', '2026-12-10T15:00');
    const res = await get(a, '/spaces/training-a?view=month&month=2026-12');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('会議研修室Aの2026年12月の空き状況');
    expect(monthCell(res.body, '12月1日(火)')).toBe('1 12月1日(火) 空き 12時間（12月1日(火)）');
    expect(monthCell(res.body, '12月10日(木)')).toBe('10 12月10日(木) 空き 11時間（12月10日(木)）');
    expect(monthCell(res.body, '12月14日(月)')).toBe('14 12月14日(月) 休館 定例休館日');
    expect(monthCell(res.body, '12月29日(火)')).toBe('29 12月29日(火) 休館 年末年始休館');
    expect(res.body).toContain('href="/spaces/training-a?week=2026-12-10"');
    expect(res.body).toContain('href="/spaces/training-a?view=month&amp;month=2027-01"');

    const january = await get(a, '/spaces/training-a?view=month&month=2027-01');
    expect(monthCell(january.body, '1月11日(月)')).toBe('11 1月11日(月) 成人の日 空き 13時間（1月11日(月)）');
    expect(monthCell(january.body, '1月12日(火)')).toBe('12 1月12日(火) 休館 定例休館日');
  });

  it('answers 404 for a space that does not exist and 400 for a week or month that does not', async () => {
    const a = await app();
    const missing = await get(a, '/spaces/no-such-room');
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('施設が見つかりません');
    expect((await get(a, '/spaces/hall?week=2026-02-30')).statusCode).toBe(400);
    const badMonth = await get(a, '/spaces/hall?view=month&month=2026-13');
    expect(badMonth.statusCode).toBe(400);
    expect(badMonth.body).toContain('年月が正しくありません');
    expect(main(badMonth.body)).not.toContain('2026-13');
  });
});

describe('a space page links its public iCal feed', () => {
  it('shows カレンダーに登録（iCal） with the feed and webcal links and a head link, and the feed answers 200 text/calendar', async () => {
    const a = await app();
    const page = await a.app.inject({ url: '/spaces/training-a', headers: { host: 'hiroba.example.jp' } });
    expect(page.statusCode).toBe(200);
    const body = main(page.body);
    expect(body).toContain('カレンダーに登録（iCal）');
    expect(body).toContain('<a href="/calendars/spaces/training-a.ics" type="text/calendar">');
    expect(body).toContain('<a href="webcal://hiroba.example.jp/calendars/spaces/training-a.ics">');
    expect(text(body)).toContain('利用者の名前は出ません');
    expect(page.body).toMatch(/<head>[\s\S]*<link rel="alternate" type="text\/calendar" href="http:\/\/hiroba\.example\.jp\/calendars\/spaces\/training-a\.ics"[^>]*>[\s\S]*<\/head>/);
    // The month view carries the same link.
    expect((await get(a, '/spaces/training-a?view=month')).body).toContain('href="/calendars/spaces/training-a.ics"');

    const href = /<a href="(\/calendars\/spaces\/[^"]+)" type="text\/calendar">/.exec(body)![1]!;
    const feed = await get(a, href);
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(feed.body).toMatch(/^BEGIN:VCALENDAR\r\n/);
  });

  it('leaves the webcal link out when the Host is not one to write into a link', async () => {
    const a = await app();
    const page = await a.app.inject({ url: '/spaces/hall', headers: { host: 'evil.example/"><script>' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('webcal:');
    expect(page.body).not.toContain('<script>');
    expect(main(page.body)).toContain('<a href="/calendars/spaces/hall.ics" type="text/calendar">');
  });
});

describe('the week of all spaces', () => {
  it('has a row a space and a column a day, with free time linking to the space’s week', async () => {
    const a = await app();
    await book(a, 'training-a', '2026-12-10T13:00', '2026-12-10T15:00');
    const res = await get(a, '/spaces?date=2026-12-08');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>12月8日(火)〜12月14日(月)の空き状況</h1>');
    for (const name of ['ホール', '会議研修室（全面）', '会議研修室A', '会議研修室B', '小会議室1', '小会議室2', '談話・展示コーナー', '円環広場']) {
      expect(summaryRow(res.body, name)).toHaveLength(7);
    }
    const training = summaryRow(res.body, '会議研修室（全面）');
    expect(training[2]).toEqual({ text: '空き 11時間（会議研修室（全面）、12月10日(木)）', href: '/spaces/training?week=2026-12-10' });
    expect(summaryRow(res.body, '会議研修室B')[2]!.text).toMatch(/^空き 13時間/);
    expect(training[6]).toEqual({ text: '休館', href: null });
    expect(summaryRow(res.body, '円環広場')[0]).toEqual({ text: '期間外', href: null });
    expect(columnHeads(res.body, 'grid grid--summary')[7]).toBe('12月14日(月) 休館日（定例休館日）');
  });

  it('starts today, counting only the time still ahead, and is linked from every page as 空き状況', async () => {
    const a = await app('2026-12-01T10:00');
    const res = await get(a, '/spaces');
    expect(summaryRow(res.body, 'ホール')[0]!.text).toMatch(/^空き 12時間/);
    expect(res.body).toContain('<a href="/spaces" aria-current="page">空き状況</a>');
    const home = await get(a, '/');
    expect(home.body).toContain('<a href="/spaces">空き状況</a>');
    expect(home.body).toContain('<a href="/calendar">開館カレンダー</a>');
    expect(home.body).toContain('<a href="/fees">料金</a>');
    expect((await get(a, '/spaces?date=nope')).statusCode).toBe(400);
  });

  it('is in English with the language cookie', async () => {
    const a = await app();
    const res = await get(a, '/spaces', 'hiroba_lang=en');
    expect(res.body).toContain('<html lang="en">');
    expect(res.body).toContain('Training room A');
    expect(res.body).toMatch(/12 h free/);
  });
});

describe('the opening calendar', () => {
  it('names 成人の日 on 1/11 (open) and closes 1/12 as 定例休館日', async () => {
    const a = await app();
    const res = await get(a, '/calendar?month=2027-01');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>2027年1月の開館カレンダー</h1>');
    expect(columnHeads(res.body, 'month')).toEqual(['日', '月', '火', '水', '木', '金', '土']);
    expect(monthCell(res.body, '1月11日(月)')).toBe('11 1月11日(月) 成人の日 09:00–22:00');
    expect(monthCell(res.body, '1月12日(火)')).toBe('12 1月12日(火) 休館 定例休館日');
    expect(monthCell(res.body, '1月1日(金)')).toBe('1 1月1日(金) 元日 休館 年末年始休館');
    expect(monthCell(res.body, '1月25日(月)')).toBe('25 1月25日(月) 休館 定例休館日');
    // 1 January 2027 is a Friday: the first week has five empty days before it.
    const firstWeek = /<tbody>\s*<tr>([\s\S]*?)<\/tr>/.exec(res.body)![1]!;
    expect(firstWeek.match(/class="month__blank"/g)).toHaveLength(5);
    const changes = /<section aria-labelledby="changes-title">([\s\S]*?)<\/section>/.exec(res.body)![1]!;
    expect(text(changes)).toContain('1月12日(火) 休館 定例休館日');
    expect(text(changes)).toContain('1月3日(日) 休館 年末年始休館');
    expect(text(changes)).not.toContain('1月11日');
    expect(res.body).toContain('href="/calendar?month=2026-12"');
    expect(res.body).toContain('href="/calendar?month=2027-02"');
  });

  it('marks today, and shows a day a manager closed with the reason given', async () => {
    const a = await app();
    const managerId = await a.account('manager', 'manager@example.jp');
    a.app.services.closures.setDay({ id: managerId, role: 'manager', name: 'm', groupId: null, isRepresentative: false }, '2026-12-10', { closed: true, reason: '設備点検' }, false);
    const res = await get(a, '/calendar');
    expect(res.body).toContain('<h1>2026年12月の開館カレンダー</h1>');
    expect(res.body).toMatch(/<td class="[^"]*month__day--today"[^>]*aria-current="date">\s*<span class="month__num" aria-hidden="true">1<\/span>/);
    expect(monthCell(res.body, '12月10日(木)')).toBe('10 12月10日(木) 休館 設備点検');
    expect(text(/<section aria-labelledby="changes-title">([\s\S]*?)<\/section>/.exec(res.body)![1]!)).toContain('12月10日(木) 休館 設備点検');
  });

  it('answers 400 for a month that does not exist, without echoing it', async () => {
    const a = await app();
    const res = await get(a, '/calendar?month=%3Cscript%3E');
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toContain('<script>');
    expect(main(res.body)).not.toContain('script');
  });
});

describe('the fee table and calculator', () => {
  const QUERY = 'space=training-a&date=2026-12-20&start=18:00&end=21:00';

  it('lists every space’s hourly rates by band and the rules in words', async () => {
    const a = await app();
    const res = await get(a, '/fees');
    expect(res.statusCode).toBe(200);
    const table = text(/<table class="fee-table">[\s\S]*?<\/table>/.exec(res.body)![0]);
    expect(table).toContain('ホール 180人 ¥2,000 ¥2,000 ¥2,400');
    expect(table).toContain('会議研修室A 30人 ¥400 ¥400 ¥450');
    expect(table).toContain('円環広場 200人 ¥500 ¥500 ¥500');
    const rules = text(/<section aria-labelledby="rules-title">[\s\S]*?<\/section>/.exec(res.body)![0]);
    expect(rules).toContain('登録団体の利用：50%');
    expect(rules).toContain('入場料を取る催し（1人¥2,000以下）：150%');
    expect(rules).toContain('営利目的の利用、または入場料が1人¥2,000を超える催し：300%');
    expect(rules).toContain('屋内の施設に20%を加算');
    expect(rules).toContain('10円未満切り捨て');
    // The form is a GET (bookmarkable, no script needed) and has no category field: who is logged in decides.
    expect(res.body).toMatch(/<form method="get" action="\/fees#calculator"/);
    expect(res.body).not.toMatch(/name="category"|name="registered"/);
    expect(res.body).not.toContain('class="quote"');
  });

  it('shows the lines of the quote and the total: 3 evening hours of training-a in December', async () => {
    const a = await app();
    const res = await get(a, `/fees?${QUERY}`);
    expect(res.statusCode).toBe(200);
    const quote = /<div class="quote" id="result">([\s\S]*?)<\/table>/.exec(res.body)![1]!;
    expect(text(quote)).toContain('会議研修室A 2026年12月20日(日) 18:00–21:00の使用料');
    expect(text(quote)).toContain('基本使用料（会議研修室A 18:00–21:00） ¥1,350');
    expect(text(quote)).toContain('暖房料（20%） ¥270');
    expect(text(quote)).toContain('合計 ¥1,620');
    // The input is kept in the form.
    expect(res.body).toMatch(/<option value="training-a" selected>会議研修室A<\/option>/);
    expect(res.body).toContain('value="2026-12-20"');
    expect(res.body).toMatch(/<option value="18:00" selected>18:00<\/option>[\s\S]*<option value="21:00" selected>21:00<\/option>/);
    // A quote stores nothing.
    expect(count(a.db, 'bookings')).toBe(0);
  });

  it('charges commercial use 300% and admission up to ¥2,000 150%', async () => {
    const a = await app();
    const commercial = text((await get(a, `/fees?${QUERY}&commercial=true`)).body);
    expect(commercial).toContain('営利・高額入場料（300%） ¥2,700');
    expect(commercial).toContain('合計 ¥4,860');
    const admission = text((await get(a, `/fees?${QUERY}&admissionFeeYen=1000`)).body);
    expect(admission).toContain('入場料徴収（150%） ¥675');
    expect(admission).toContain('合計 ¥2,430');
    // Over ¥2,000 a person is the commercial rate; full-width digits and commas are read too.
    expect(text((await get(a, `/fees?${QUERY}&admissionFeeYen=${encodeURIComponent('２,５００')}`)).body)).toContain('合計 ¥4,860');
  });

  it('gives a member of a registered group the registered rate through the login, not a field', async () => {
    const a = await app();
    const groupId = makeGroup(a);
    const member = await user(a, 'member', 'member@example.jp', { groupId });
    const res = await get(a, `/fees?${QUERY}`, member.cookie);
    expect(text(res.body)).toContain('登録団体（50%） -¥675');
    expect(text(res.body)).toContain('暖房料（20%） ¥135');
    expect(text(res.body)).toContain('合計 ¥810');
    expect(res.body).toContain('登録団体の会員としてログインしています。');
  });

  it('still prices a day the room cannot be used, and says why', async () => {
    const a = await app();
    const plaza = await get(a, '/fees?space=plaza&date=2026-12-20&start=10:00&end=12:00');
    expect(plaza.statusCode).toBe(200);
    expect(plaza.body).toContain('ご注意：この日は円環広場を利用できません（利用期間外）。');
    // Outdoors: no heating surcharge, even in December.
    expect(text(plaza.body)).toContain('合計 ¥1,000');
    expect((await get(a, '/fees?space=hall&date=2026-12-29&start=10:00&end=12:00')).body).toContain('ご注意：この日はホールを利用できません（年末年始休館）。');
    expect((await get(a, '/fees?space=hall&date=2026-12-20&start=21:00&end=23:00')).body).toContain('ご注意：この日の開館時間は09:00–22:00です。');
    expect((await get(a, `/fees?${QUERY}`)).body).not.toContain('ご注意');
  });

  it('re-renders bad input with 422, Japanese messages next to the fields, and the input kept', async () => {
    const a = await app();
    const res = await get(a, '/fees?space=&date=2026-02-30&start=18:00&end=17:00&admissionFeeYen=abc');
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('role="alert"');
    expect(res.body).toMatch(/<p class="field__error" id="field-space-error">施設を選んでください<\/p>\s*<select[^>]*id="field-space"[^>]*aria-invalid="true" aria-describedby="field-space-error">/);
    expect(res.body).toMatch(/id="field-date-error">利用日は「2026-12-05」のような正しい日付で入力してください<\/p>\s*<input[^>]*id="field-date"[^>]*value="2026-02-30"[^>]*aria-invalid="true"/);
    expect(res.body).toContain('id="field-end-error">終了時刻は開始時刻より後にしてください</p>');
    expect(res.body).toContain('入場料（1人あたり・円）は0から1,000,000までの整数で入力してください');
    expect(res.body).toMatch(/id="field-admissionFeeYen"[^>]*value="abc"/);
    expect(res.body).not.toContain('class="quote"');
  });

  it('escapes what was sent and preselects a space linked from its page without calculating', async () => {
    const a = await app();
    const bad = await get(a, `/fees?space=training-a&date=${encodeURIComponent('"><script>x</script>')}&start=09:00&end=10:00`);
    expect(bad.statusCode).toBe(422);
    expect(bad.body).not.toContain('<script>x');
    expect(bad.body).toContain('&quot;&gt;&lt;script&gt;');
    const linked = await get(a, '/fees?space=plaza');
    expect(linked.statusCode).toBe(200);
    expect(linked.body).toMatch(/<option value="plaza" selected>円環広場<\/option>/);
    expect(linked.body).not.toContain('field__error');
  });
});

describe('notices (お知らせ)', () => {
  async function manager(a: TestApp) {
    const m = await user(a, 'manager', 'manager@example.jp');
    return { ...m, ...(await openForm(a, '/manage/notices', m.cookie)) };
  }

  const noticeRows = (a: TestApp) =>
    a.db.$client.prepare('SELECT id, title, body, publish_from, publish_until, created_by, removed_at FROM notices ORDER BY id').all() as
      { id: number; title: string; body: string; publish_from: string; publish_until: string | null; created_by: number; removed_at: string | null }[];

  it('a manager writes one with the form; it is stored and shown on the home page at once', async () => {
    const a = await app();
    const m = await manager(a);
    const res = await postForm(a, '/manage/notices', { _csrf: m.token, title: '年末年始の休館について', body: '12月29日から1月3日まで休館します。\nご注意ください。', publishFrom: '', publishUntil: '' }, m.cookie);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/manage/notices');
    expect(noticeRows(a)).toEqual([{
      id: 1, title: '年末年始の休館について', body: '12月29日から1月3日まで休館します。\nご注意ください。',
      publish_from: '2026-12-01T01:00:00.000Z', publish_until: null, created_by: m.id, removed_at: null,
    }]);
    expect(a.db.$client.prepare("SELECT actor_id, entity_id FROM audit_log WHERE action = 'notice.create'").all()).toEqual([{ actor_id: m.id, entity_id: '1' }]);
    const home = await get(a, '/');
    expect(home.body).toContain('<h2 id="notices-title" class="notices__title">お知らせ</h2>');
    expect(home.body).toContain('<h3 class="notices__item-title">年末年始の休館について</h3>');
    expect(home.body).toContain('2026年12月1日(火)掲載');
    const flash = res.cookies.find((c) => c.name === 'hiroba_flash')!.value;
    const list = await get(a, '/manage/notices', `${m.cookie}; hiroba_flash=${flash}`);
    expect(list.body).toContain('お知らせを登録しました。');
    expect(text(list.body)).toContain('掲載中');
  });

  it('a scheduled one is not shown until its time, and one past its end is shown no more', async () => {
    const a = await app();
    const m = await manager(a);
    const res = await postForm(a, '/manage/notices', { _csrf: m.token, title: '臨時休館', body: '設備点検のため休館します。', publishFrom: '2026-12-05T09:00', publishUntil: '2026-12-10T22:00' }, m.cookie);
    expect(res.statusCode).toBe(303);
    expect(noticeRows(a)[0]).toMatchObject({ publish_from: '2026-12-05T00:00:00.000Z', publish_until: '2026-12-10T13:00:00.000Z' });
    expect((await get(a, '/')).body).not.toContain('臨時休館');
    const list = await get(a, '/manage/notices', m.cookie);
    expect(text(list.body)).toContain('臨時休館 設備点検のため休館します。 掲載予定 2026年12月5日(土) 09:00〜2026年12月10日(木) 22:00');
    a.clock.set('2026-12-05T09:00');
    expect((await get(a, '/')).body).toContain('臨時休館');
    a.clock.set('2026-12-10T22:00');
    expect((await get(a, '/')).body).not.toContain('臨時休館');
    // The session of ten days ago has ended: log in again.
    expect(text((await get(a, '/manage/notices', await a.login('manager@example.jp'))).body)).toContain('掲載終了');
  });

  it('a removed one disappears from the home page and stays listed as removed', async () => {
    const a = await app();
    const m = await manager(a);
    await postForm(a, '/manage/notices', { _csrf: m.token, title: '駐車場の工事', body: '駐車場が使えません。' }, m.cookie);
    expect((await get(a, '/')).body).toContain('駐車場の工事');
    const res = await postForm(a, '/manage/notices/1/remove', { _csrf: m.token }, m.cookie);
    expect(res.statusCode).toBe(303);
    expect(noticeRows(a)[0]!.removed_at).toBe('2026-12-01T01:00:00.000Z');
    expect((await get(a, '/')).body).not.toContain('駐車場の工事');
    const list = await get(a, '/manage/notices', m.cookie);
    expect(text(list.body)).toContain('削除済み');
    expect(list.body).not.toContain('action="/manage/notices/1/remove"');
    // A second click finds nothing left to remove.
    expect((await postForm(a, '/manage/notices/1/remove', { _csrf: m.token }, m.cookie)).statusCode).toBe(404);
  });

  it('re-renders bad input with 422, messages by the fields and the input kept, storing nothing', async () => {
    const a = await app();
    const m = await manager(a);
    const res = await postForm(a, '/manage/notices', { _csrf: m.token, title: '', body: '本文', publishFrom: '2026-12-10T09:00', publishUntil: '2026-12-05T09:00' }, m.cookie);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('題名を入力してください');
    expect(res.body).toContain('value="2026-12-10T09:00"');
    const order = await postForm(a, '/manage/notices', { _csrf: m.token, title: '題名', body: '本文', publishFrom: '2026-12-10T09:00', publishUntil: '2026-12-05T09:00' }, m.cookie);
    expect(order.statusCode).toBe(422);
    expect(order.body).toMatch(/id="field-publishUntil-error">掲載終了は掲載開始より後の日時にしてください<\/p>/);
    const bad = await postForm(a, '/manage/notices', { _csrf: m.token, title: '題名', body: '本文', publishFrom: '2026-02-30T09:00' }, m.cookie);
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toMatch(/id="field-publishFrom-error">掲載開始は日付と時刻を正しく入力してください<\/p>/);
    expect(count(a.db, 'notices')).toBe(0);
  });

  it('escapes a notice’s text on the home page', async () => {
    const a = await app();
    const m = await manager(a);
    await postForm(a, '/manage/notices', { _csrf: m.token, title: '<script>alert(1)</script>', body: '<b>太字</b>' }, m.cookie);
    const home = await get(a, '/');
    expect(home.body).not.toContain('<script>alert(1)');
    expect(home.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(home.body).toContain('&lt;b&gt;太字&lt;/b&gt;');
  });

  it('is for managers only: 403 for other users, the login form for visitors, 403 without the CSRF token', async () => {
    const a = await app();
    const member = await user(a, 'individual', 'citizen@example.jp');
    const staff = await user(a, 'staff', 'staff@example.jp');
    for (const cookie of [member.cookie, staff.cookie]) {
      const page = await get(a, '/manage/notices', cookie);
      expect(page.statusCode).toBe(403);
      expect(page.body).toContain('このページは管理者だけが使えます。');
      const form = await openForm(a, '/', cookie);
      const post = await postForm(a, '/manage/notices', { _csrf: form.token, title: '題名', body: '本文' }, form.cookie);
      expect(post.statusCode).toBe(403);
    }
    const anonymous = await get(a, '/manage/notices');
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/login?next=%2Fmanage%2Fnotices');
    const m = await manager(a);
    const noToken = await postForm(a, '/manage/notices', { title: '題名', body: '本文' }, m.cookie);
    expect(noToken.statusCode).toBe(403);
    expect(count(a.db, 'notices')).toBe(0);
    // Only a manager's menu links to the page.
    expect((await get(a, '/', member.cookie)).body).not.toContain('href="/manage/notices"');
    expect((await get(a, '/', m.cookie)).body).toContain('<a href="/manage/notices">お知らせ管理</a>');
  });
});
