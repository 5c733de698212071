import { afterEach, describe, expect, it } from 'vitest';
import { count, makeTestApp, type TestApp } from '../support/app.js';
import { openForm } from '../support/forms.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});


async function submit(a: TestApp, formUrl: string, action: string, fields: [string, string][], cookie = '') {
  const form = await openForm(a, formUrl, cookie);
  return a.app.inject({
    method: 'POST', url: action, payload: new URLSearchParams([['_csrf', form.token], ...fields]).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie },
  });
}

const rows = (a: TestApp, sql: string, ...p: unknown[]) => a.db.$client.prepare(sql).all(...p) as Record<string, unknown>[];

const BUILD: [string, string][] = [
  ['title', '12月の利用者アンケート'], ['description', 'ご協力ください'], ['opensAt', '2026-12-01T09:00'], ['closesAt', '2026-12-31T22:00'],
  ['q1.kind', 'rating'], ['q1.prompt', '満足度は？'], ['q1.required', 'true'],
  ['q2.kind', 'single'], ['q2.prompt', 'どの部屋？'], ['q2.options', 'ホール\n小会議室'],
  ['q3.kind', 'multiple'], ['q3.prompt', '知ったきっかけ'], ['q3.options', '広報誌\nウェブ\n友人'],
  ['q4.kind', 'text'], ['q4.prompt', 'ご意見'],
];

async function built(a: TestApp) {
  await a.account('manager', 'manager@example.jp');
  const manager = await a.login('manager@example.jp');
  const res = await submit(a, '/manage/surveys', '/manage/surveys', BUILD, manager);
  expect(res.statusCode, res.body).toBe(303);
  const survey = rows(a, 'SELECT id, slug FROM surveys')[0] as { id: number; slug: string };
  const q = rows(a, 'SELECT id FROM survey_questions ORDER BY position').map((r) => r.id as number);
  return { manager, survey, q, location: res.headers.location as string };
}

describe('building a survey', () => {
  it('stores the survey and its questions and shows an unguessable link and a QR code', async () => {
    t = await makeTestApp('2026-12-01T10:00');
    const { manager, survey, location } = await built(t);
    expect(location).toBe(`/manage/surveys/${survey.id}`);
    expect(survey.slug).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(rows(t, 'SELECT kind, prompt, options_json, required FROM survey_questions ORDER BY position')).toEqual([
      { kind: 'rating', prompt: '満足度は？', options_json: '[]', required: 1 },
      { kind: 'single', prompt: 'どの部屋？', options_json: '["ホール","小会議室"]', required: 0 },
      { kind: 'multiple', prompt: '知ったきっかけ', options_json: '["広報誌","ウェブ","友人"]', required: 0 },
      { kind: 'text', prompt: 'ご意見', options_json: '[]', required: 0 },
    ]);
    const page = await t.app.inject({ url: location, headers: { cookie: manager } });
    expect(page.body).toContain(`/s/${survey.slug}`);
    const print = await t.app.inject({ url: `${location}/print`, headers: { cookie: manager } });
    expect(print.statusCode).toBe(200);
    expect(print.body).toMatch(/<svg[^>]*viewBox/);
    expect(print.body).not.toMatch(/\sstyle=/);
    expect(print.body).not.toMatch(/<(img|script)\b/);
  });

  it('refuses a choice question with one option and a period that ends before it starts (422, nothing stored)', async () => {
    t = await makeTestApp('2026-12-01T10:00');
    await t.account('manager', 'manager@example.jp');
    const manager = await t.login('manager@example.jp');
    const res = await submit(t, '/manage/surveys', '/manage/surveys', [
      ['title', 'x'], ['opensAt', '2026-12-10T09:00'], ['closesAt', '2026-12-01T09:00'], ['q1.kind', 'single'], ['q1.prompt', 'どれ？'], ['q1.options', 'ひとつ'],
    ], manager);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('href="#field-q1.options"');
    expect(count(t.db, 'surveys')).toBe(0);
    expect((await t.app.inject({ url: '/manage/surveys', headers: { cookie: await (async () => { await t!.account('staff', 's@example.jp'); return t!.login('s@example.jp'); })() } })).statusCode).toBe(403);
  });
});

describe('answering a survey', () => {
  it('stores one anonymous response with its answers and marks the browser as having answered', async () => {
    t = await makeTestApp('2026-12-01T10:00');
    const { survey, q } = await built(t);
    const form = await t.app.inject(`/s/${survey.slug}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<legend>1. 満足度は？');
    expect(form.body).not.toMatch(/\sstyle=/);
    const res = await submit(t, `/s/${survey.slug}`, `/s/${survey.slug}`, [
      [`q${q[0]}`, '4'], [`q${q[1]}`, '1'], [`q${q[2]}`, '0'], [`q${q[2]}`, '2'], [`q${q[3]}`, '<b>とても良い</b>'],
    ]);
    expect(res.statusCode, res.body).toBe(303);
    expect(rows(t, 'SELECT * FROM survey_responses')).toEqual([{ id: 1, survey_id: survey.id, submitted_at: '2026-12-01T01:00:00.000Z' }]);
    expect(rows(t, 'SELECT question_id, rating, choices_json, text FROM survey_answers ORDER BY id')).toEqual([
      { question_id: q[0], rating: 4, choices_json: null, text: null },
      { question_id: q[1], rating: null, choices_json: '[1]', text: null },
      { question_id: q[2], rating: null, choices_json: '[0,2]', text: null },
      { question_id: q[3], rating: null, choices_json: null, text: '<b>とても良い</b>' },
    ]);
    const mark = res.cookies.find((c) => c.name === `hiroba_survey_${survey.id}`);
    expect(mark?.value).toBe('1');
    const again = await t.app.inject({ url: `/s/${survey.slug}`, headers: { cookie: `hiroba_survey_${survey.id}=1` } });
    expect(again.body).toContain('すでに回答いただいています');
  });

  it('refuses a rating of 6 and a missing required answer with 422 and stores nothing', async () => {
    t = await makeTestApp('2026-12-01T10:00');
    const { survey, q } = await built(t);
    const six = await submit(t, `/s/${survey.slug}`, `/s/${survey.slug}`, [[`q${q[0]}`, '6']]);
    expect(six.statusCode).toBe(422);
    expect(six.body).toContain('1〜5のいずれかを選んでください');
    const missing = await submit(t, `/s/${survey.slug}`, `/s/${survey.slug}`, [[`q${q[3]}`, 'text only']]);
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain(`href="#field-q${q[0]}"`);
    expect(missing.body).toContain('text only');
    const badChoice = await submit(t, `/s/${survey.slug}`, `/s/${survey.slug}`, [[`q${q[0]}`, '3'], [`q${q[1]}`, '0'], [`q${q[1]}`, '1']]);
    expect(badChoice.statusCode).toBe(422);
    expect(count(t.db, 'survey_responses')).toBe(0);
    expect(count(t.db, 'survey_answers')).toBe(0);
  });

  it('refuses answers to a closed survey with a clear error and stores nothing', async () => {
    t = await makeTestApp('2026-12-01T10:00');
    const { survey, q } = await built(t);
    const form = await openForm(t, `/s/${survey.slug}`);
    t.clock.set('2026-12-31T22:00');
    const res = await t.app.inject({
      method: 'POST', url: `/s/${survey.slug}`, payload: new URLSearchParams({ _csrf: form.token, [`q${q[0]}`]: '5' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie },
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('回答を受け付けていません');
    expect(count(t.db, 'survey_responses')).toBe(0);
    expect((await t.app.inject('/s/not-a-real-survey-slug')).statusCode).toBe(404);
  });
});

describe('results', () => {
  async function answered() {
    t = await makeTestApp('2026-12-01T10:00');
    const b = await built(t);
    const { q, survey } = b;
    const send = (fields: [string, string][]) => submit(t!, `/s/${survey.slug}`, `/s/${survey.slug}`, fields);
    expect((await send([[`q${q[0]}`, '5'], [`q${q[1]}`, '0'], [`q${q[3]}`, '=HYPERLINK("http://evil.example","x")']])).statusCode).toBe(303);
    expect((await send([[`q${q[0]}`, '2'], [`q${q[1]}`, '0'], [`q${q[2]}`, '1']])).statusCode).toBe(303);
    expect((await send([[`q${q[0]}`, '4'], [`q${q[3]}`, '<script>x</script>']])).statusCode).toBe(303);
    return b;
  }

  it('shows counts, the average, escaped free text and SVG bars', async () => {
    const { manager, survey } = await answered();
    const page = await t!.app.inject({ url: `/manage/surveys/${survey.id}`, headers: { cookie: manager } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('平均 3.67');
    expect(page.body).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(page.body).not.toContain('<script>x');
    expect(page.body).toMatch(/<th scope="row">ホール<\/th><td>2<\/td>/);
    expect(page.body).toMatch(/<rect class="survey-chart__bar" x="150" y="4" width="300"/);
    expect(page.body).not.toMatch(/\sstyle=/);
  });

  it('exports CSV with a BOM and defuses formulas', async () => {
    const { manager, survey } = await answered();
    const res = await t!.app.inject({ url: `/manage/surveys/${survey.id}/results.csv`, headers: { cookie: manager } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.body.startsWith('\uFEFF"回答番号"')).toBe(true);
    expect(res.body).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(res.body).not.toMatch(/(^|,)"=HYPERLINK/m);
    expect(res.body.split('\r\n')).toHaveLength(5);
  });

  it('gives the month\'s satisfaction exactly as SQL does', async () => {
    await answered();
    t!.clock.set('2027-01-05T10:00');
    const sql = t!.db.$client.prepare(`SELECT avg(a.rating) AS average, count(a.rating) AS n FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id
      WHERE a.rating IS NOT NULL AND r.submitted_at >= '2026-11-30T15:00:00.000Z' AND r.submitted_at < '2026-12-31T15:00:00.000Z'`).get() as { average: number; n: number };
    const figure = t!.app.services.surveys.monthlySatisfaction('2026-12');
    expect(figure).toEqual({ month: '2026-12', average: Math.round(sql.average * 100) / 100, count: sql.n });
    expect(figure).toEqual({ month: '2026-12', average: 3.67, count: 3 });
    expect(t!.app.services.surveys.monthlySatisfaction('2026-11')).toEqual({ month: '2026-11', average: null, count: 0 });
  });
});

describe('closing early, reopening and editing', () => {
  const survey1 = (a: TestApp) => rows(a, 'SELECT title, description, opens_at, closes_at FROM surveys')[0];
  const audits = (a: TestApp) => rows(a, "SELECT action, entity_id FROM audit_log WHERE entity = 'survey' ORDER BY id").map((r) => r.action);

  it('closes an open survey now: the public page says so and an answer is refused (422) storing nothing; reopening takes answers again', async () => {
    t = await makeTestApp('2026-12-01T10:00');
    const { survey, q } = await built(t);
    const answerForm = await openForm(t, `/s/${survey.slug}`);
    const results = `/manage/surveys/${survey.id}`;
    t.clock.set('2026-12-10T15:30');
    const manager = await t.login('manager@example.jp');
    expect((await t.app.inject({ url: results, headers: { cookie: manager } })).body).toContain(`action="/manage/surveys/${survey.id}/close"`);

    // Staff may not close it: 403, nothing changed.
    await t.account('staff', 'staff@example.jp');
    const staff = await t.login('staff@example.jp');
    const refused = await submit(t, '/desk', `${results}/close`, [], staff);
    expect(refused.statusCode).toBe(403);
    expect(survey1(t)!.closes_at).toBe('2026-12-31T13:00:00.000Z');

    const closed = await submit(t, results, `${results}/close`, [], manager);
    expect(closed.statusCode, closed.body).toBe(303);
    expect(closed.headers.location).toBe(results);
    expect(survey1(t)!.closes_at).toBe('2026-12-10T06:30:00.000Z');
    expect(audits(t)).toEqual(['survey.create', 'survey.close']);

    const page = await t.app.inject(`/s/${survey.slug}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('このアンケートの受付は終了しました');
    expect(page.body).not.toContain(`<form method="post" action="/s/${survey.slug}"`);
    const late = await t.app.inject({
      method: 'POST', url: `/s/${survey.slug}`, payload: new URLSearchParams({ _csrf: answerForm.token, [`q${q[0]}`]: '5' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: answerForm.cookie },
    });
    expect(late.statusCode).toBe(422);
    expect(late.body).toContain('回答を受け付けていません');
    expect(count(t.db, 'survey_responses')).toBe(0);
    expect(count(t.db, 'survey_answers')).toBe(0);

    // Closing twice is refused; the results page offers reopening.
    const again = await submit(t, results, `${results}/close`, [], manager);
    expect(again.statusCode).toBe(409);
    expect(survey1(t)!.closes_at).toBe('2026-12-10T06:30:00.000Z');

    // Reopening needs a closing time ahead.
    const past = await submit(t, results, `${results}/reopen`, [['closesAt', '2026-12-10T15:00']], manager);
    expect(past.statusCode).toBe(422);
    expect(past.body).toContain('現在より後の日時にしてください');
    expect(survey1(t)!.closes_at).toBe('2026-12-10T06:30:00.000Z');
    const reopened = await submit(t, results, `${results}/reopen`, [['closesAt', '2026-12-20T22:00']], manager);
    expect(reopened.statusCode, reopened.body).toBe(303);
    expect(survey1(t)!.closes_at).toBe('2026-12-20T13:00:00.000Z');
    expect(audits(t)).toEqual(['survey.create', 'survey.close', 'survey.reopen']);
    const answer = await submit(t, `/s/${survey.slug}`, `/s/${survey.slug}`, [[`q${q[0]}`, '4']]);
    expect(answer.statusCode).toBe(303);
    expect(count(t.db, 'survey_responses')).toBe(1);
    // Reopening an open survey is refused.
    expect((await submit(t, results, `${results}/reopen`, [['closesAt', '2026-12-25T22:00']], manager)).statusCode).toBe(409);
    expect(survey1(t)!.closes_at).toBe('2026-12-20T13:00:00.000Z');
  });

  it('edits the title, period and questions while nobody has answered, and refuses (409, nothing changed) once someone has', async () => {
    t = await makeTestApp('2026-12-01T10:00');
    const { manager, survey, q } = await built(t);
    const edit = `/manage/surveys/${survey.id}/edit`;
    const form = await t.app.inject({ url: edit, headers: { cookie: manager } });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('value="12月の利用者アンケート"');
    expect(form.body).toContain('value="2026-12-31T22:00"');
    expect(form.body).toMatch(/<textarea[^>]*name="q3.options"[^>]*>広報誌\n?ウェブ\n?友人<\/textarea>|広報誌\nウェブ\n友人/);

    const bad = await submit(t, edit, edit, [['title', '新しい題名'], ['opensAt', '2026-12-01T09:00'], ['closesAt', '2026-12-31T22:00']], manager);
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('質問を1つ以上入力してください');
    expect(survey1(t)!.title).toBe('12月の利用者アンケート');
    expect(count(t.db, 'survey_questions')).toBe(4);

    const saved = await submit(t, edit, edit, [
      ['title', '12月のアンケート（改訂）'], ['description', ''], ['opensAt', '2026-12-01T09:00'], ['closesAt', '2027-01-15T22:00'],
      ['q1.kind', 'single'], ['q1.prompt', 'よく使う部屋'], ['q1.options', 'ホール\n和室'], ['q1.required', 'true'],
      ['q2.kind', 'rating'], ['q2.prompt', '満足度は？'],
    ], manager);
    expect(saved.statusCode, saved.body).toBe(303);
    expect(survey1(t)).toEqual({ title: '12月のアンケート（改訂）', description: '', opens_at: '2026-12-01T00:00:00.000Z', closes_at: '2027-01-15T13:00:00.000Z' });
    expect(rows(t, 'SELECT position, kind, prompt, options_json, required FROM survey_questions WHERE survey_id = ? ORDER BY position', survey.id)).toEqual([
      { position: 0, kind: 'single', prompt: 'よく使う部屋', options_json: '["ホール","和室"]', required: 1 },
      { position: 1, kind: 'rating', prompt: '満足度は？', options_json: '[]', required: 0 },
    ]);
    expect(q).toHaveLength(4);

    // Someone answers: the survey can no longer be edited.
    const newQ = rows(t, 'SELECT id FROM survey_questions ORDER BY position').map((r) => r.id as number);
    expect((await submit(t, `/s/${survey.slug}`, `/s/${survey.slug}`, [[`q${newQ[0]}`, '1']])).statusCode).toBe(303);
    const locked = await t.app.inject({ url: edit, headers: { cookie: manager } });
    expect(locked.body).toContain('回答が1件あるため');
    expect(locked.body).not.toContain(`action="${edit}"`);
    const lockedForm = await openForm(t, `/manage/surveys/${survey.id}`, manager);
    const refused = await t.app.inject({
      method: 'POST', url: edit, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: lockedForm.cookie },
      payload: new URLSearchParams({ _csrf: lockedForm.token, title: '書き換え', opensAt: '2026-12-01T09:00', closesAt: '2027-01-15T22:00', 'q1.kind': 'text', 'q1.prompt': '自由記述' }).toString(),
    });
    expect(refused.statusCode).toBe(409);
    expect(survey1(t)!.title).toBe('12月のアンケート（改訂）');
    expect(count(t.db, 'survey_questions')).toBe(2);
    expect(count(t.db, 'survey_answers')).toBe(1);
  });
});
