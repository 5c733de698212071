import { and, desc, eq, gt, isNull, lte, or } from 'drizzle-orm';
import { z } from 'zod';
import { notices } from '../../db/schema.js';
import { fromStored, parseInstant, toApi, toStored } from '../domain/time.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { recordAudit } from '../repositories/audit.js';
import { requireManager, type Actor, type Deps } from './context.js';
import { longText, parseInput, text } from './validate.js';

const NoticeInput = z.object({
  title: text(100),
  body: longText(2000),
  publishFrom: z.string().max(40).optional(),
  publishUntil: z.string().max(40).optional(),
}).strict();

type NoticeRow = typeof notices.$inferSelect;

function view(n: NoticeRow) {
  return {
    id: n.id, title: n.title, body: n.body, publishFrom: toApi(fromStored(n.publishFrom)),
    publishUntil: n.publishUntil === null ? null : toApi(fromStored(n.publishUntil)),
    removed: n.removedAt !== null,
  };
}

/** お知らせ: managers write, schedule and remove notices; the home page shows the current ones. */
export function makeNoticeService(deps: Deps) {
  const { db, clock } = deps;
  return {
    /** Notices in force now, newest first. */
    current() {
      const now = toStored(clock());
      return db.select().from(notices).where(and(
        isNull(notices.removedAt), lte(notices.publishFrom, now), or(isNull(notices.publishUntil), gt(notices.publishUntil, now)),
      )).orderBy(desc(notices.publishFrom)).limit(20).all().map(view);
    },

    /** Every notice, scheduled and past included, for the manager. */
    all(actor: Actor | null) {
      requireManager(actor);
      return db.select().from(notices).orderBy(desc(notices.publishFrom)).limit(200).all().map(view);
    },

    create(actorOrNull: Actor | null, body: unknown) {
      const actor = requireManager(actorOrNull);
      const input = parseInput(NoticeInput, body);
      const now = clock();
      let from = now;
      let until = null;
      try {
        if (input.publishFrom) from = parseInstant(input.publishFrom);
        if (input.publishUntil) until = parseInstant(input.publishUntil);
      } catch (err) {
        throw new ValidationError([{ path: input.publishUntil ? 'publishUntil' : 'publishFrom', message: (err as Error).message }]);
      }
      if (until !== null && until <= from) throw new ValidationError([{ path: 'publishUntil', message: 'must be after the start of publication' }]);
      return db.transaction((tx) => {
        const row = tx.insert(notices).values({
          title: input.title, body: input.body, publishFrom: toStored(from), publishUntil: until === null ? null : toStored(until),
          createdBy: actor.id, createdAt: toStored(now),
        }).returning().get();
        recordAudit(tx, { at: toStored(now), actorId: actor.id, action: 'notice.create', entity: 'notice', entityId: row.id, detail: { title: input.title } });
        return view(row);
      }, { behavior: 'immediate' });
    },

    remove(actorOrNull: Actor | null, id: number) {
      const actor = requireManager(actorOrNull);
      return db.transaction((tx) => {
        const row = tx.select().from(notices).where(and(eq(notices.id, id), isNull(notices.removedAt))).get();
        if (!row) throw new NotFoundError('notice');
        const now = toStored(clock());
        tx.update(notices).set({ removedAt: now }).where(eq(notices.id, id)).run();
        recordAudit(tx, { at: now, actorId: actor.id, action: 'notice.remove', entity: 'notice', entityId: id });
        return { id, removed: true };
      }, { behavior: 'immediate' });
    },
  };
}
