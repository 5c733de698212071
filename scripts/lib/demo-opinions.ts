/**
 * The demo's opinion box (意見箱): a handful of opinions over the months before `now`, in the five
 * categories, some anonymous and some with a way to reach the sender, and what the center did
 * with each — still new, in triage with a draft answer, answered and published, or answered to the
 * sender and closed.
 *
 * The seeder sends them and triages them through the real opinion service (`submit`, `setStatus`,
 * `answer`). Only publishing is written here directly: it is a manager's step, and a demo has no
 * manager account (the first one is made at the first start, see README; a manager account here
 * would stop that). It stores exactly what the service's publish stores, with no actor.
 */
import type { DateTime } from 'luxon';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { opinions } from '../../db/schema.js';
import { toStored } from '../../server/domain/time.js';
import { recordAudit } from '../../server/repositories/audit.js';
import type { OPINION_CATEGORIES } from '../../server/services/opinions.js';

export type OpinionFate =
  /** Nobody has looked at it yet. */
  | { kind: 'new' }
  /** Staff took it up and drafted an answer that is not out yet. */
  | { kind: 'triage'; draft: string }
  /** Answered in public: the opinion's text as published (personal details taken out) and the answer. */
  | { kind: 'published'; answer: string; publishedBody?: string }
  /** Answered to the sender directly, then closed. */
  | { kind: 'closed'; draft: string };

export interface DemoOpinion {
  category: (typeof OPINION_CATEGORIES)[number];
  body: string;
  contact?: { name?: string; email?: string; phone?: string };
  /** When it arrived: days before the demo's `now`, and the Tokyo hour. */
  daysAgo: number;
  hour: number;
  fate: OpinionFate;
}

export const DEMO_OPINIONS: readonly DemoOpinion[] = [
  {
    category: 'facility', daysAgo: 172, hour: 20,
    body: '和室の空調の効きが悪く、夏の夜の利用では暑くて集中できませんでした。点検をお願いします。',
    fate: { kind: 'published', answer: 'ご不便をおかけしました。専門業者による点検の結果、室外機の部品を交換し、現在は正常に運転しています。' },
  },
  {
    category: 'booking', daysAgo: 158, hour: 12,
    body: 'ネット予約で、毎週同じ曜日の予約をまとめて取れるようにしてほしいです。登録団体の代表をしている佐藤です。',
    contact: { name: '佐藤 恵子', email: 'sato.keiko@example.jp' },
    fate: {
      kind: 'published', publishedBody: 'ネット予約で、毎週同じ曜日の予約をまとめて取れるようにしてほしいです。',
      answer: '登録団体の方は、予約画面の「くり返し」から毎週・隔週・毎月の予約をまとめてお申し込みいただけます。窓口でも承ります。',
    },
  },
  {
    category: 'staff', daysAgo: 141, hour: 16,
    body: '窓口の方がプロジェクターの使い方を丁寧に教えてくださり、発表会を無事に終えられました。ありがとうございました。',
    fate: { kind: 'published', answer: '温かいお言葉をありがとうございます。職員一同の励みになります。' },
  },
  {
    category: 'events', daysAgo: 123, hour: 10,
    body: '子ども向けの工作教室を夏休み以外にも開いてほしいです。',
    fate: { kind: 'closed', draft: '冬休み期間にも工作教室を企画しています。詳しくはお知らせ欄でご案内します。' },
  },
  {
    category: 'facility', daysAgo: 104, hour: 19,
    body: '駐輪場の照明が暗く、夜に帰るときに足元が見えにくいです。',
    contact: { phone: '090-2345-6789' },
    fate: {
      kind: 'published', publishedBody: '駐輪場の照明が暗く、夜に帰るときに足元が見えにくいです。',
      answer: '駐輪場の照明をLEDに交換し、1基増設しました。ご指摘ありがとうございました。',
    },
  },
  {
    category: 'other', daysAgo: 88, hour: 14,
    body: 'ロビーに地域の催しのチラシを置けるコーナーがあるとうれしいです。',
    fate: { kind: 'closed', draft: 'ロビー入口横にチラシ架を設けました。設置の際は窓口にお声がけください。' },
  },
  {
    category: 'booking', daysAgo: 71, hour: 21,
    body: 'キャンセル料の計算が分かりにくいです。何日前なら無料なのか、予約画面に書いてほしいです。',
    contact: { name: '山本 拓也', email: 'yamamoto.t@example.jp', phone: '080-3456-7890' },
    fate: { kind: 'triage', draft: '予約の変更・取消の画面で、取消料と返金額を確定前に表示しています。表示の分かりやすさについて検討します。' },
  },
  {
    category: 'facility', daysAgo: 55, hour: 11,
    body: '多目的ホールのピアノの調律が少しずれているように感じました。',
    fate: { kind: 'published', answer: '調律を依頼し、実施しました。今後は年2回の定期調律を行います。' },
  },
  {
    category: 'staff', daysAgo: 37, hour: 17,
    body: '電話で問い合わせたとき、担当の方によって説明が違いました。',
    contact: { name: '中川 真理', phone: '045-123-4567' },
    fate: { kind: 'triage', draft: 'ご迷惑をおかけしました。職員間で案内内容を統一するよう、手順書を見直しています。' },
  },
  {
    category: 'events', daysAgo: 21, hour: 13,
    body: '市民活動フェスタの出展団体の募集はいつ頃ありますか。',
    contact: { email: 'hana.club@example.jp' },
    fate: { kind: 'new' },
  },
  {
    category: 'other', daysAgo: 9, hour: 15,
    body: '自動販売機に温かい飲み物を増やしてほしいです。',
    fate: { kind: 'new' },
  },
  {
    category: 'booking', daysAgo: 3, hour: 9,
    body: '抽選ではなく先着順なのは公平だと思いますが、受付開始日の朝は電話がつながりにくいです。',
    fate: { kind: 'new' },
  },
];

/** A manager's publishing of an answer, as `POST /opinions/{id}/answer` with `publish: true` stores it. */
export function publishOpinion(db: Db, id: number, input: { answer: string; publishedBody?: string }, now: DateTime): void {
  db.transaction((tx) => {
    const o = tx.select().from(opinions).where(eq(opinions.id, id)).get();
    if (!o) throw new Error(`demo: no opinion ${id}`);
    const nowIso = toStored(now);
    tx.update(opinions).set({
      answerDraft: input.answer, answer: input.answer, publishedBody: input.publishedBody ?? o.body, publishedAt: nowIso, status: 'answered', answeredBy: null,
    }).where(eq(opinions.id, id)).run();
    recordAudit(tx, { at: nowIso, actorId: null, action: 'opinion.publish', entity: 'opinion', entityId: id, detail: { demo: true } });
  }, { behavior: 'immediate' });
}
