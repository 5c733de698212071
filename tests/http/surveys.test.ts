import { afterEach, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { count, makeTestApp, type TestApp } from '../support/app.js';
import { openForm } from '../support/forms.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const cookieValue = (res: LightMyRequestResponse, name: string) => res.cookies.find((c) => c.name === name)?.value;

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
