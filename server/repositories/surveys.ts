import { and, asc, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { surveyAnswers, surveyQuestions, surveyResponses, surveys } from '../../db/schema.js';

export type SurveyRow = typeof surveys.$inferSelect;
export type QuestionRow = typeof surveyQuestions.$inferSelect;
export type AnswerRow = typeof surveyAnswers.$inferSelect;
export type ResponseRow = typeof surveyResponses.$inferSelect;

export function findSurvey(db: Tx, id: number): SurveyRow | undefined {
  return db.select().from(surveys).where(eq(surveys.id, id)).get();
}

export function surveyBySlug(db: Tx, slug: string): SurveyRow | undefined {
  return db.select().from(surveys).where(eq(surveys.slug, slug)).get();
}

export function allSurveys(db: Tx): (SurveyRow & { responses: number })[] {
  const counts = new Map(db.select({ surveyId: surveyResponses.surveyId, n: sql<number>`count(*)` }).from(surveyResponses)
    .groupBy(surveyResponses.surveyId).all().map((r) => [r.surveyId, r.n]));
  return db.select().from(surveys).orderBy(desc(surveys.opensAt), desc(surveys.id)).limit(200).all()
    .map((s) => ({ ...s, responses: counts.get(s.id) ?? 0 }));
}

export function questionsOf(db: Tx, surveyId: number): QuestionRow[] {
  return db.select().from(surveyQuestions).where(eq(surveyQuestions.surveyId, surveyId)).orderBy(asc(surveyQuestions.position)).all();
}

export function responsesOf(db: Tx, surveyId: number): ResponseRow[] {
  return db.select().from(surveyResponses).where(eq(surveyResponses.surveyId, surveyId)).orderBy(asc(surveyResponses.submittedAt), asc(surveyResponses.id)).all();
}

export function answersOf(db: Tx, surveyId: number): AnswerRow[] {
  const ids = db.select({ id: surveyQuestions.id }).from(surveyQuestions).where(eq(surveyQuestions.surveyId, surveyId));
  return db.select().from(surveyAnswers).where(inArray(surveyAnswers.questionId, ids)).orderBy(asc(surveyAnswers.id)).all();
}

/** Average and count of the rating answers in responses submitted in `[from, to)` (stored instants). */
export function ratingStats(db: Tx, from: string, to: string): { average: number | null; count: number } {
  const row = db.select({ average: sql<number | null>`avg(${surveyAnswers.rating})`, count: sql<number>`count(${surveyAnswers.rating})` })
    .from(surveyAnswers).innerJoin(surveyResponses, eq(surveyAnswers.responseId, surveyResponses.id))
    .where(and(gte(surveyResponses.submittedAt, from), lt(surveyResponses.submittedAt, to), sql`${surveyAnswers.rating} IS NOT NULL`)).get();
  return { average: row?.average ?? null, count: row?.count ?? 0 };
}
