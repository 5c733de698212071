import { describe, expect, it } from 'vitest';
import { readAnswers, surveyCsv, tally, type SurveyQuestion } from '../../server/services/surveys.js';
import { ValidationError } from '../../server/errors.js';

const Q: SurveyQuestion[] = [
  { id: 1, position: 0, kind: 'rating', prompt: '満足度', options: [], required: true },
  { id: 2, position: 1, kind: 'single', prompt: '部屋', options: ['ホール', '小会議室'], required: false },
  { id: 3, position: 2, kind: 'multiple', prompt: 'きっかけ', options: ['広報誌', 'ウェブ', '友人'], required: false },
  { id: 4, position: 3, kind: 'text', prompt: '=ご意見', options: [], required: false },
];

const issues = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as ValidationError).errors.map((x) => `${x.path}: ${x.message}`);
  }
  return [];
};

describe('readAnswers', () => {
  it('reads a rating, a choice, several choices and a text', () => {
    expect(readAnswers(Q, { 1: '5', 2: '1', 3: ['2', '0'], 4: ' よい ' })).toEqual([
      { questionId: 1, rating: 5, choices: null, text: null },
      { questionId: 2, rating: null, choices: [1], text: null },
      { questionId: 3, rating: null, choices: [0, 2], text: null },
      { questionId: 4, rating: null, choices: null, text: 'よい' },
    ]);
  });

  it.each<[Record<string, unknown>, string]>([
    [{ 1: '6' }, 'answers.1: a rating from 1 to 5'],
    [{ 1: '0' }, 'answers.1: a rating from 1 to 5'],
    [{ 1: '4.5' }, 'answers.1: a rating from 1 to 5'],
    [{}, 'answers.1: required'],
    [{ 1: '3', 2: '2' }, 'answers.2: not one of the options'],
    [{ 1: '3', 2: ['0', '1'] }, 'answers.2: not one of the options'],
    [{ 1: '3', 3: ['1', '1'] }, 'answers.3: not one of the options'],
    [{ 1: '3', 4: 'a\u0000b' }, 'answers.4: control characters are not allowed'],
    [{ 1: '3', 4: 'あ'.repeat(1001) }, 'answers.4: at most 1000 characters'],
    [{ 1: '3', 99: 'x' }, 'answers.99: unknown question'],
  ])('refuses case %#', (answers, message) => {
    expect(issues(() => readAnswers(Q, answers))).toContain(message);
  });
});

describe('tally', () => {
  it('counts choices and ratings and averages ratings to two places', () => {
    const answers = [
      ...readAnswers(Q, { 1: '5', 2: '0', 3: ['0', '1'] }),
      ...readAnswers(Q, { 1: '4', 2: '0', 4: 'x' }),
      ...readAnswers(Q, { 1: '4', 3: '1' }),
    ];
    const [rating, single, multiple, text] = tally(Q, answers);
    expect(rating).toMatchObject({ answered: 3, counts: [0, 0, 0, 2, 1], average: 4.33 });
    expect(single).toMatchObject({ answered: 2, counts: [2, 0], average: null });
    expect(multiple).toMatchObject({ answered: 2, counts: [1, 2, 0] });
    expect(text).toMatchObject({ answered: 1, texts: ['x'] });
  });

  it('has no average without answers', () => {
    expect(tally(Q, [])[0]).toMatchObject({ answered: 0, counts: [0, 0, 0, 0, 0], average: null });
  });
});

describe('surveyCsv', () => {
  it('starts with a BOM, names choices by their text and defuses cells that start a formula', () => {
    const csv = surveyCsv(Q, [
      { id: 1, submittedAt: '2026-12-01T10:00:00+09:00', answers: readAnswers(Q, { 1: '5', 3: ['0', '2'], 4: '+1 -2 @x' }) },
      { id: 2, submittedAt: '2026-12-01T11:00:00+09:00', answers: [...readAnswers(Q, { 1: '3' }), { questionId: 4, rating: null, choices: null, text: '\tTAB' }] },
    ]);
    expect(csv.split('\r\n')).toEqual([
      '\uFEFF"回答番号","回答日時","満足度","部屋","きっかけ","\'=ご意見"',
      '1,"2026-12-01T10:00:00+09:00",5,,"広報誌 / 友人","\'+1 -2 @x"',
      '2,"2026-12-01T11:00:00+09:00",3,,,"\'\tTAB"',
      '',
    ]);
  });
});
