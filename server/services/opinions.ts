import type { DateTime } from 'luxon';
import { z } from 'zod';
import { eq } from 'drizzle-orm';
import { opinions } from '../../db/schema.js';
import { fromStored, toApi, toStored } from '../domain/time.js';
import { ForbiddenError, NotFoundError, ProblemError } from '../errors.js';
import { recordAudit } from '../repositories/audit.js';
import {
  findOpinion, lastReceiptSeq, listOpinions, nextOpinionId, opinionsWithContactBefore, publishedOpinions, readSetting, writeSetting,
  type OpinionRow,
} from '../repositories/opinions.js';
import { requireManager, requireStaff, type Actor, type Deps } from './context.js';
import { longText, parseInput, text } from './validate.js';

export const OPINION_CATEGORIES = ['facility', 'booking', 'staff', 'events', 'other'] as const;
export const OPINION_STATUSES = ['new', 'in_review', 'answered', 'closed'] as const;
export const OPINION_BODY_MAX = 2000;
export const DEFAULT_OPINION_RETENTION_DAYS = 365;
/** Accepted opinions per address in the window: enough for a family sharing a line, too few for a flood. */
export const OPINIONS_PER_WINDOW = 5;
export const OPINION_WINDOW_MS = 10 * 60 * 1000;

const optional = <S extends z.ZodType>(schema: S) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

export const OpinionInput = z.object({
  category: z.enum(OPINION_CATEGORIES),
  body: longText(OPINION_BODY_MAX),
  contact: z.object({
    name: optional(text(100)),
    email: optional(z.string().trim().toLowerCase().max(254).pipe(z.email())),
    phone: optional(z.string().trim().regex(/^[0-9+\-() ]{6,20}$/, 'phone number')),
  }).strict().optional(),
  /** The honeypot: people never see it, so whatever fills it in is a robot. */
  website: z.string().max(500).optional(),
}).strict();

const StatusInput = z.object({ status: z.enum(OPINION_STATUSES) }).strict();
const AnswerInput = z.object({
  answer: longText(OPINION_BODY_MAX),
  publish: z.boolean().default(false),
  /** The opinion's text as the public will read it; the original when left out. */
  publishedBody: longText(OPINION_BODY_MAX).optional(),
}).strict();
const RetentionInput = z.object({ retentionDays: z.number().int().min(30).max(3650) }).strict();

/**
 * Counts accepted opinions per address in a fixed window, in memory only: the address is never
 * written anywhere, and a restart forgets it.
 */
export class OpinionLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  constructor(private readonly limit = OPINIONS_PER_WINDOW, private readonly windowMs = OPINION_WINDOW_MS) {}

  /** Seconds to wait when the address has used its window, or 0. */
  blockedFor(address: string, nowMs: number): number {
    const w = this.windows.get(address);
    if (!w || nowMs - w.start >= this.windowMs || nowMs < w.start) return 0;
    return w.count >= this.limit ? Math.max(1, Math.ceil((w.start + this.windowMs - nowMs) / 1000)) : 0;
  }

  take(address: string, nowMs: number): void {
    let w = this.windows.get(address);
    if (!w || nowMs - w.start >= this.windowMs || nowMs < w.start) {
      if (this.windows.size >= 50_000) this.windows.clear(); // bounded memory under a spray of addresses
      w = { start: nowMs, count: 0 };
      this.windows.set(address, w);
    }
    w.count += 1;
  }
}

export function receiptNo(year: number, seq: number): string {
  return `O${year}-${String(seq).padStart(6, '0')}`;
}

/** An opinion for staff; contact details only when the viewer is a manager. */
function staffView(o: OpinionRow, withContact: boolean) {
  return {
    id: o.id, receiptNo: o.receiptNo, category: o.category, body: o.body, status: o.status,
    answerDraft: o.answerDraft, answer: o.answer, publishedBody: o.publishedBody,
    publishedAt: o.publishedAt === null ? null : toApi(fromStored(o.publishedAt)),
    createdAt: toApi(fromStored(o.createdAt)),
    hasContact: o.contactName !== null || o.contactEmail !== null || o.contactPhone !== null,
    contactDeleted: o.contactDeletedAt !== null,
    ...(withContact ? { contact: { name: o.contactName, email: o.contactEmail, phone: o.contactPhone } } : {}),
  };
}

export type OpinionView = ReturnType<typeof staffView>;

function publicView(o: OpinionRow) {
  return {
    id: o.id, receiptNo: o.receiptNo, category: o.category, body: o.publishedBody ?? '', answer: o.answer ?? '',
    publishedAt: toApi(fromStored(o.publishedAt!)), receivedAt: toApi(fromStored(o.createdAt)),
  };
}

export type PublishedOpinion = ReturnType<typeof publicView>;

/** 意見箱: anyone sends; staff triage and draft; managers see contacts, publish, and set the retention. */
export function makeOpinionService(deps: Deps) {
  const { db, clock } = deps;
  const limiter = new OpinionLimiter();

  function retentionDays(): number {
    return readSetting<{ retentionDays?: number }>(db, 'opinions')?.retentionDays ?? DEFAULT_OPINION_RETENTION_DAYS;
  }

  return {
    /**
     * Stores an opinion and answers its receipt number. `address` only feeds the in-memory rate
     * limit. A filled honeypot gets the same kind of answer and nothing is stored.
     */
    submit(body: unknown, address: string): { id: number; receiptNo: string } {
      const now = clock();
      const wait = limiter.blockedFor(address, now.toMillis());
      if (wait > 0) throw new ProblemError('rate_limited', 'too many opinions from this address; try again later', { retryAfter: wait });
      const input = parseInput(OpinionInput, body);
      limiter.take(address, now.toMillis());
      const year = now.setZone('Asia/Tokyo').year;
      if (input.website !== undefined && input.website.trim() !== '') {
        return { id: nextOpinionId(db), receiptNo: receiptNo(year, lastReceiptSeq(db, year) + 1) };
      }
      const c = input.contact ?? {};
      return db.transaction((tx) => {
        const no = receiptNo(year, lastReceiptSeq(tx, year) + 1);
        const row = tx.insert(opinions).values({
          receiptNo: no, category: input.category, body: input.body,
          contactName: c.name ?? null, contactEmail: c.email ?? null, contactPhone: c.phone ?? null, createdAt: toStored(now),
        }).returning({ id: opinions.id }).get();
        // No personal data in the audit trail: only that an opinion arrived.
        recordAudit(tx, { at: toStored(now), actorId: null, action: 'opinion.receive', entity: 'opinion', entityId: row.id, detail: { category: input.category } });
        return { id: row.id, receiptNo: no };
      }, { behavior: 'immediate' });
    },

    list(actorOrNull: Actor | null, filter: { status?: string; category?: string } = {}): OpinionView[] {
      const actor = requireStaff(actorOrNull);
      const status = (OPINION_STATUSES as readonly string[]).includes(filter.status ?? '') ? filter.status as OpinionRow['status'] : undefined;
      const category = (OPINION_CATEGORIES as readonly string[]).includes(filter.category ?? '') ? filter.category as OpinionRow['category'] : undefined;
      return listOpinions(db, { status, category }).map((o) => staffView(o, actor.role === 'manager'));
    },

    get(actorOrNull: Actor | null, id: number): OpinionView {
      const actor = requireStaff(actorOrNull);
      const o = Number.isSafeInteger(id) ? findOpinion(db, id) : undefined;
      if (!o) throw new NotFoundError('opinion');
      return staffView(o, actor.role === 'manager');
    },

    setStatus(actorOrNull: Actor | null, id: number, body: unknown): OpinionView {
      const actor = requireStaff(actorOrNull);
      const input = parseInput(StatusInput, body);
      return db.transaction((tx) => {
        const o = Number.isSafeInteger(id) ? findOpinion(tx, id) : undefined;
        if (!o) throw new NotFoundError('opinion');
        const now = toStored(clock());
        tx.update(opinions).set({ status: input.status }).where(eq(opinions.id, id)).run();
        recordAudit(tx, { at: now, actorId: actor.id, action: 'opinion.status', entity: 'opinion', entityId: id, detail: { from: o.status, to: input.status } });
        return staffView(findOpinion(tx, id)!, actor.role === 'manager');
      }, { behavior: 'immediate' });
    },

    /**
     * Staff save a draft answer; a manager may also publish it, with the opinion's text as the
     * public will read it (personal data removed). Publishing marks the opinion answered.
     */
    answer(actorOrNull: Actor | null, id: number, body: unknown): OpinionView {
      const actor = requireStaff(actorOrNull);
      const input = parseInput(AnswerInput, body);
      if ((input.publish || input.publishedBody !== undefined) && actor.role !== 'manager') throw new ForbiddenError('only managers publish answers');
      return db.transaction((tx) => {
        const o = Number.isSafeInteger(id) ? findOpinion(tx, id) : undefined;
        if (!o) throw new NotFoundError('opinion');
        const now = toStored(clock());
        if (input.publish) {
          tx.update(opinions).set({
            answerDraft: input.answer, answer: input.answer, publishedBody: input.publishedBody ?? o.body, publishedAt: now,
            status: 'answered', answeredBy: actor.id,
          }).where(eq(opinions.id, id)).run();
        } else {
          tx.update(opinions).set({ answerDraft: input.answer, status: o.status === 'new' ? 'in_review' : o.status }).where(eq(opinions.id, id)).run();
        }
        recordAudit(tx, { at: now, actorId: actor.id, action: input.publish ? 'opinion.publish' : 'opinion.draft', entity: 'opinion', entityId: id });
        return staffView(findOpinion(tx, id)!, actor.role === 'manager');
      }, { behavior: 'immediate' });
    },

    /** Answered opinions a manager chose to publish: their published text, never the contact. */
    published(): PublishedOpinion[] {
      return publishedOpinions(db).map(publicView);
    },

    retentionDays,

    setRetention(actorOrNull: Actor | null, body: unknown) {
      const manager = requireManager(actorOrNull);
      const input = parseInput(RetentionInput, body);
      const now = toStored(clock());
      db.transaction((tx) => {
        writeSetting(tx, 'opinions', input, now);
        recordAudit(tx, { at: now, actorId: manager.id, action: 'settings.retention', entity: 'settings', entityId: 'opinions', detail: input });
      }, { behavior: 'immediate' });
      return input;
    },

    /** The job: contact details of opinions received more than the retention period ago are deleted. */
    runContactRetention(now: DateTime = clock()): { erased: number[] } {
      return db.transaction((tx) => {
        const days = readSetting<{ retentionDays?: number }>(tx, 'opinions')?.retentionDays ?? DEFAULT_OPINION_RETENTION_DAYS;
        const nowIso = toStored(now);
        const erased: number[] = [];
        for (const o of opinionsWithContactBefore(tx, toStored(now.minus({ days })))) {
          tx.update(opinions).set({ contactName: null, contactEmail: null, contactPhone: null, contactDeletedAt: nowIso }).where(eq(opinions.id, o.id)).run();
          erased.push(o.id);
        }
        if (erased.length > 0) recordAudit(tx, { at: nowIso, actorId: null, action: 'opinion.contactErase', entity: 'opinion', entityId: null, detail: { ids: erased, days } });
        return { erased };
      }, { behavior: 'immediate' });
    },
  };
}
