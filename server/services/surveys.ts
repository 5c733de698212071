import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/client.js';
import { surveyAnswers, surveyQuestions, surveyResponses, surveys } from '../../db/schema.js';
import { fromStored, parseInstant, toApi, toStored, ZONE } from '../domain/time.js';
import { NotFoundError, ProblemError, ValidationError, type FieldError } from '../errors.js';
import { csvText, type Cell } from '../reports/csv.js';
import { recordAudit } from '../repositories/audit.js';
import {
  allSurveys, answersOf, findSurvey, questionsOf, ratingStats, responsesOf, surveyBySlug, type AnswerRow, type QuestionRow, type SurveyRow,
} from '../repositories/surveys.js';
import { requireManager, type Actor, type Deps } from './context.js';
import { hasControlCharacters, longText, parseInput, text } from './validate.js';

export const QUESTION_KINDS = ['rating', 'single', 'multiple', 'text'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];
export const MAX_QUESTIONS = 20;
export const TEXT_ANSWER_MAX = 1000;

const Question = z.object({
  kind: z.enum(QUESTION_KINDS),
  prompt: text(200),
  options: z.array(text(100)).max(10).default([]),
  required: z.boolean().default(false),
}).strict().superRefine((q, ctx) => {
  const choice = q.kind === 'single' || q.kind === 'multiple';
  if (choice && q.options.length < 2) ctx.addIssue({ code: 'custom', path: ['options'], message: 'at least two options' });
  if (!choice && q.options.length > 0) ctx.addIssue({ code: 'custom', path: ['options'], message: 'only choice questions have options' });
  if (new Set(q.options).size !== q.options.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'options must differ' });
});

const SurveyInput = z.object({
  title: text(100),
  description: longText(1000, 0).default(''),
  opensAt: z.string().max(40),
  closesAt: z.string().max(40),
  questions: z.array(Question).min(1, 'at least one question').max(MAX_QUESTIONS),
}).strict();

/** A question as the service hands it out: its options parsed. */
export interface SurveyQuestion {
  id: number;
  position: number;
  kind: QuestionKind;
  prompt: string;
  options: string[];
  required: boolean;
}

/** One answer as stored: exactly one of the three is set. */
export interface StoredAnswer {
  questionId: number;
  rating: number | null;
  choices: number[] | null;
  text: string | null;
}

export function questionView(q: QuestionRow): SurveyQuestion {
  return { id: q.id, position: q.position, kind: q.kind, prompt: q.prompt, options: JSON.parse(q.optionsJson) as string[], required: q.required };
}

/**
 * Reads one response: `answers` maps a question id to a value (a form sends strings, a repeated
 * field an array). Choices are option indexes. Every problem is reported, per question.
 */
export function readAnswers(questions: readonly SurveyQuestion[], answers: Record<string, unknown>): StoredAnswer[] {
  const errors: FieldError[] = [];
  const stored: StoredAnswer[] = [];
  const known = new Set(questions.map((q) => String(q.id)));
  for (const key of Object.keys(answers)) if (!known.has(key)) errors.push({ path: `answers.${key}`, message: 'unknown question' });
  for (const q of questions) {
    const path = `answers.${q.id}`;
    const raw = answers[String(q.id)];
    const list = (Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw]).map((v) => (typeof v === 'number' ? String(v) : v));
    if (list.some((v) => typeof v !== 'string')) {
      errors.push({ path, message: 'invalid' });
      continue;
    }
    const values = (list as string[]).map((v) => v.trim()).filter((v) => v !== '');
    if (values.length === 0) {
      if (q.required) errors.push({ path, message: 'required' });
      continue;
    }
    if (q.kind === 'rating') {
      if (values.length !== 1 || !/^[1-5]$/.test(values[0]!)) errors.push({ path, message: 'a rating from 1 to 5' });
      else stored.push({ questionId: q.id, rating: Number(values[0]), choices: null, text: null });
    } else if (q.kind === 'single' || q.kind === 'multiple') {
      const indexes = values.map((v) => (/^\d{1,2}$/.test(v) ? Number(v) : -1));
      if ((q.kind === 'single' && indexes.length !== 1) || indexes.some((i) => i < 0 || i >= q.options.length) || new Set(indexes).size !== indexes.length) {
        errors.push({ path, message: 'not one of the options' });
      } else stored.push({ questionId: q.id, rating: null, choices: [...indexes].sort((a, b) => a - b), text: null });
    } else {
      const value = values.join('\n');
      if (value.length > TEXT_ANSWER_MAX) errors.push({ path, message: `at most ${TEXT_ANSWER_MAX} characters` });
      else if (hasControlCharacters(value)) errors.push({ path, message: 'control characters are not allowed' });
      else stored.push({ questionId: q.id, rating: null, choices: null, text: value });
    }
  }
  if (errors.length > 0) throw new ValidationError(errors);
  return stored;
}

export interface QuestionResult {
  question: SurveyQuestion;
  /** How many responses answered this question. */
  answered: number;
  /** Rating: counts of 1..5 (index 0 is a rating of 1). Choices: counts per option. */
  counts: number[];
  average: number | null;
  texts: string[];
}

/** Counts per choice and rating, the average rating, and the free texts of one survey. */
export function tally(questions: readonly SurveyQuestion[], answers: readonly StoredAnswer[]): QuestionResult[] {
  return questions.map((question) => {
    const mine = answers.filter((a) => a.questionId === question.id);
    const counts = question.kind === 'rating' ? [0, 0, 0, 0, 0] : question.options.map(() => 0);
    let sum = 0;
    const texts: string[] = [];
    for (const a of mine) {
      if (a.rating !== null) {
        counts[a.rating - 1]! += 1;
        sum += a.rating;
      }
      for (const c of a.choices ?? []) if (c < counts.length) counts[c]! += 1;
      if (a.text !== null) texts.push(a.text);
    }
    const average = question.kind === 'rating' && mine.length > 0 ? Math.round((sum / mine.length) * 100) / 100 : null;
    return { question, answered: mine.length, counts, average, texts };
  });
}

/** One row per response: its time, then one cell per question (choices by their text, joined with ` / `). */
export function surveyCsv(questions: readonly SurveyQuestion[], responses: readonly { id: number; submittedAt: string; answers: readonly StoredAnswer[] }[]): string {
  const rows: Cell[][] = [['回答番号', '回答日時', ...questions.map((q) => q.prompt)]];
  for (const r of responses) {
    const byQuestion = new Map(r.answers.map((a) => [a.questionId, a]));
    rows.push([r.id, r.submittedAt, ...questions.map((q): Cell => {
      const a = byQuestion.get(q.id);
      if (!a) return null;
      if (a.rating !== null) return a.rating;
      if (a.choices !== null) return a.choices.map((c) => q.options[c] ?? '').join(' / ');
      return a.text;
    })]);
  }
  return csvText(rows);
}

export type SurveyState = 'scheduled' | 'open' | 'closed';

export function surveyState(s: { opensAt: string; closesAt: string }, now: DateTime): SurveyState {
  const at = toStored(now);
  if (at < s.opensAt) return 'scheduled';
  return at < s.closesAt ? 'open' : 'closed';
}

const ReopenInput = z.object({ closesAt: z.string().max(40) }).strict();

/** The build form's body, checked: the fields, the questions and a period that ends after it starts. */
function readSurvey(body: unknown): { input: z.infer<typeof SurveyInput>; opensAt: DateTime; closesAt: DateTime } {
  const input = parseInput(SurveyInput, body);
  const times: Record<'opensAt' | 'closesAt', DateTime | null> = { opensAt: null, closesAt: null };
  const errors: FieldError[] = [];
  for (const field of ['opensAt', 'closesAt'] as const) {
    try {
      times[field] = parseInstant(input[field]);
    } catch {
      errors.push({ path: field, message: 'a date and a time' });
    }
  }
  if (times.opensAt && times.closesAt && times.closesAt <= times.opensAt) errors.push({ path: 'closesAt', message: 'must be after the opening' });
  if (errors.length > 0) throw new ValidationError(errors);
  return { input, opensAt: times.opensAt!, closesAt: times.closesAt! };
}

function insertQuestions(tx: Tx, surveyId: number, questions: z.infer<typeof SurveyInput>['questions']): void {
  questions.forEach((q, position) => {
    tx.insert(surveyQuestions).values({ surveyId, position, kind: q.kind, prompt: q.prompt, optionsJson: JSON.stringify(q.options), required: q.required }).run();
  });
}

function responseCount(tx: Tx, surveyId: number): number {
  return tx.select({ n: sql<number>`count(*)` }).from(surveyResponses).where(eq(surveyResponses.surveyId, surveyId)).get()?.n ?? 0;
}

function storedAnswer(a: AnswerRow): StoredAnswer {
  return { questionId: a.questionId, rating: a.rating, choices: a.choicesJson === null ? null : (JSON.parse(a.choicesJson) as number[]), text: a.text };
}

/** アンケート: managers build and read surveys; anyone with the link answers, anonymously. */
export function makeSurveyService(deps: Deps) {
  const { db, clock } = deps;

  function view(s: SurveyRow, now: DateTime) {
    return {
      id: s.id, slug: s.slug, title: s.title, description: s.description, path: `/s/${s.slug}`,
      opensAt: toApi(fromStored(s.opensAt)), closesAt: toApi(fromStored(s.closesAt)), state: surveyState(s, now),
    };
  }

  function managed(actorOrNull: Actor | null, id: number) {
    requireManager(actorOrNull);
    const s = Number.isSafeInteger(id) ? findSurvey(db, id) : undefined;
    if (!s) throw new NotFoundError('survey');
    return s;
  }

  return {
    create(actorOrNull: Actor | null, body: unknown) {
      const actor = requireManager(actorOrNull);
      const { input, opensAt, closesAt } = readSurvey(body);
      const now = clock();
      return db.transaction((tx) => {
        const row = tx.insert(surveys).values({
          slug: randomBytes(16).toString('base64url'), title: input.title, description: input.description,
          opensAt: toStored(opensAt), closesAt: toStored(closesAt), createdBy: actor.id, createdAt: toStored(now),
        }).returning().get();
        insertQuestions(tx, row.id, input.questions);
        recordAudit(tx, { at: toStored(now), actorId: actor.id, action: 'survey.create', entity: 'survey', entityId: row.id, detail: { title: input.title } });
        return view(row, now);
      }, { behavior: 'immediate' });
    },

    /**
     * Rewrites a survey (title, description, period, questions) while nobody has answered it: the
     * questions are replaced. Once a response exists, its answers point at the questions, so the
     * survey can no longer be edited (409 `invalid_state`).
     */
    update(actorOrNull: Actor | null, id: number, body: unknown) {
      const actor = requireManager(actorOrNull);
      managed(actor, id);
      const { input, opensAt, closesAt } = readSurvey(body);
      const now = clock();
      return db.transaction((tx) => {
        const s = findSurvey(tx, id)!;
        if (responseCount(tx, s.id) > 0) throw new ProblemError('invalid_state', 'a survey that has been answered cannot be edited', { responses: responseCount(tx, s.id) });
        const row = tx.update(surveys).set({ title: input.title, description: input.description, opensAt: toStored(opensAt), closesAt: toStored(closesAt) })
          .where(eq(surveys.id, s.id)).returning().get();
        tx.delete(surveyQuestions).where(eq(surveyQuestions.surveyId, s.id)).run();
        insertQuestions(tx, s.id, input.questions);
        recordAudit(tx, { at: toStored(now), actorId: actor.id, action: 'survey.update', entity: 'survey', entityId: s.id, detail: { title: input.title, questions: input.questions.length } });
        return view(row, now);
      }, { behavior: 'immediate' });
    },

    /** Ends an open survey now, before its period is over: answers are refused from this instant. */
    close(actorOrNull: Actor | null, id: number) {
      const actor = requireManager(actorOrNull);
      managed(actor, id);
      const now = clock();
      return db.transaction((tx) => {
        const s = findSurvey(tx, id)!;
        const state = surveyState(s, now);
        if (state !== 'open') throw new ProblemError('invalid_state', state === 'closed' ? 'this survey is already closed' : 'this survey is not open yet', { state });
        const row = tx.update(surveys).set({ closesAt: toStored(now) }).where(eq(surveys.id, s.id)).returning().get();
        recordAudit(tx, { at: toStored(now), actorId: actor.id, action: 'survey.close', entity: 'survey', entityId: s.id, detail: { plannedClose: s.closesAt } });
        return view(row, now);
      }, { behavior: 'immediate' });
    },

    /** Opens a closed survey again until `closesAt` (later than now); its answers so far are kept. */
    reopen(actorOrNull: Actor | null, id: number, body: unknown) {
      const actor = requireManager(actorOrNull);
      managed(actor, id);
      const input = parseInput(ReopenInput, body);
      let until: DateTime;
      try {
        until = parseInstant(input.closesAt);
      } catch {
        throw new ValidationError([{ path: 'closesAt', message: 'a date and a time' }]);
      }
      const now = clock();
      if (until <= now) throw new ValidationError([{ path: 'closesAt', message: 'must be in the future' }]);
      return db.transaction((tx) => {
        const s = findSurvey(tx, id)!;
        const state = surveyState(s, now);
        if (state !== 'closed') throw new ProblemError('invalid_state', state === 'open' ? 'this survey is open' : 'this survey is not open yet', { state });
        const row = tx.update(surveys).set({ closesAt: toStored(until) }).where(eq(surveys.id, s.id)).returning().get();
        recordAudit(tx, { at: toStored(now), actorId: actor.id, action: 'survey.reopen', entity: 'survey', entityId: s.id, detail: { closedAt: s.closesAt, closesAt: toStored(until) } });
        return view(row, now);
      }, { behavior: 'immediate' });
    },

    list(actorOrNull: Actor | null) {
      requireManager(actorOrNull);
      const now = clock();
      return allSurveys(db).map((s) => ({ ...view(s, now), responses: s.responses }));
    },

    /** A survey with its questions, for the manager. */
    get(actorOrNull: Actor | null, id: number) {
      const s = managed(actorOrNull, id);
      return { ...view(s, clock()), questions: questionsOf(db, s.id).map(questionView), responses: responseCount(db, s.id) };
    },

    /** The public form behind the link; a wrong slug is simply not found. */
    bySlug(slug: string) {
      const s = /^[A-Za-z0-9_-]{10,64}$/.test(slug) ? surveyBySlug(db, slug) : undefined;
      if (!s) throw new NotFoundError('survey');
      return { ...view(s, clock()), questions: questionsOf(db, s.id).map(questionView) };
    },

    /** Stores one anonymous response: nothing about who sent it, only when. */
    answer(slug: string, body: unknown): { responseId: number } {
      const s = /^[A-Za-z0-9_-]{10,64}$/.test(slug) ? surveyBySlug(db, slug) : undefined;
      if (!s) throw new NotFoundError('survey');
      const now = clock();
      const state = surveyState(s, now);
      if (state !== 'open') throw new ProblemError('closed', state === 'scheduled' ? 'this survey is not open yet' : 'this survey is closed', { state });
      const source = (typeof body === 'object' && body !== null ? (body as Record<string, unknown>).answers : undefined) ?? {};
      if (typeof source !== 'object' || source === null || Array.isArray(source)) throw new ValidationError([{ path: 'answers', message: 'invalid' }]);
      const stored = readAnswers(questionsOf(db, s.id).map(questionView), source as Record<string, unknown>);
      if (stored.length === 0) throw new ValidationError([{ path: 'answers', message: 'required' }]);
      return db.transaction((tx) => {
        const response = tx.insert(surveyResponses).values({ surveyId: s.id, submittedAt: toStored(now) }).returning({ id: surveyResponses.id }).get();
        for (const a of stored) {
          tx.insert(surveyAnswers).values({
            responseId: response.id, questionId: a.questionId, rating: a.rating, text: a.text, choicesJson: a.choices === null ? null : JSON.stringify(a.choices),
          }).run();
        }
        return { responseId: response.id };
      }, { behavior: 'immediate' });
    },

    results(actorOrNull: Actor | null, id: number) {
      const s = managed(actorOrNull, id);
      const questions = questionsOf(db, s.id).map(questionView);
      return { survey: view(s, clock()), responses: responsesOf(db, s.id).length, questions: tally(questions, answersOf(db, s.id).map(storedAnswer)) };
    },

    csv(actorOrNull: Actor | null, id: number): { filename: string; body: string } {
      const s = managed(actorOrNull, id);
      const questions = questionsOf(db, s.id).map(questionView);
      const byResponse = new Map<number, StoredAnswer[]>();
      for (const a of answersOf(db, s.id)) byResponse.set(a.responseId, [...(byResponse.get(a.responseId) ?? []), storedAnswer(a)]);
      const responses = responsesOf(db, s.id).map((r) => ({ id: r.id, submittedAt: toApi(fromStored(r.submittedAt)), answers: byResponse.get(r.id) ?? [] }));
      return { filename: `survey-${s.id}.csv`, body: surveyCsv(questions, responses) };
    },

    /** The monthly report's satisfaction: the average of every rating answer submitted in the Tokyo month. */
    monthlySatisfaction(month: string): { month: string; average: number | null; count: number } {
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new ValidationError([{ path: 'month', message: 'a month as YYYY-MM' }]);
      const start = DateTime.fromISO(`${month}-01`, { zone: ZONE });
      const { average, count } = ratingStats(db, toStored(start), toStored(start.plus({ months: 1 })));
      return { month, average: average === null ? null : Math.round(average * 100) / 100, count };
    },
  };
}
