/**
 * The documents a booker holds: the use permit (使用許可書) of a confirmed booking and the
 * receipt (領収書) of a payment, as Japanese A4 PDFs fed with plain data.
 */
import { isoWeekday } from '../domain/time.js';
import { num, seirekiDate, warekiDate, weekdayJa, yen } from './japanese.js';
import { BOLD, contentWidth, FONT, footers, GREY, INK, MARGIN, newDocument, SHADE, table, textAt, toBuffer, type Doc } from './pdf.js';

export interface PermitData {
  center: string;
  permitNo: string;
  bookingId: number;
  /** Tokyo date of issue. */
  issuedOn: string;
  /** 使用者: the group's name, the person's, or the walk-in's. */
  holder: string;
  /** 申込者: the member or clerk who applied for a group, when known. */
  applicant: string | null;
  spaceName: string;
  useDate: string;
  start: string;
  end: string;
  purpose: string;
  attendees: number;
  category: string;
  lines: { label: string; amountYen: number }[];
  totalYen: number;
  paidYen: number;
  /** Cancellation tiers, for the conditions: charge `percent` from `minDaysBefore` days before. */
  cancellationTiers: readonly { minDaysBefore: number; percent: number }[];
}

export interface ReceiptData {
  center: string;
  receiptNo: string;
  bookingId: number;
  permitNo: string | null;
  /** 宛名 */
  payer: string;
  amountYen: number;
  /** 但し書き */
  forWhat: string;
  /** Tokyo date the money was received. */
  receivedOn: string;
  spaceName: string;
  useDate: string;
  start: string;
  end: string;
  /** Set when the payment was voided afterwards. */
  voidedOn: string | null;
}

const dateWithWeekday = (date: string) => `${warekiDate(date)}（${weekdayJa(isoWeekday(date))}）`;

function frame(doc: Doc, title: string, number: string, issued: string): void {
  const w = contentWidth(doc);
  textAt(doc, `No. ${number}`, MARGIN.left, MARGIN.top, { width: w, align: 'right', size: 10 });
  textAt(doc, issued, MARGIN.left, MARGIN.top + 15, { width: w, align: 'right', size: 10 });
  textAt(doc, title, MARGIN.left, MARGIN.top + 44, { width: w, align: 'center', size: 26, bold: true });
  doc.y = MARGIN.top + 96;
}

/** Label / value rows with a shaded label column. */
function facts(doc: Doc, rows: readonly [string, string][]): void {
  const labelW = 110;
  const w = contentWidth(doc);
  for (const [label, value] of rows) {
    doc.font(FONT).fontSize(11);
    const hgt = Math.max(24, doc.heightOfString(value, { width: w - labelW - 16 }) + 10);
    const y = doc.y;
    doc.rect(MARGIN.left, y, labelW, hgt).fill(SHADE);
    doc.rect(MARGIN.left, y, w, hgt).lineWidth(0.6).strokeColor(INK).stroke();
    doc.moveTo(MARGIN.left + labelW, y).lineTo(MARGIN.left + labelW, y + hgt).stroke();
    textAt(doc, label, MARGIN.left + 8, y + 6, { size: 10.5, bold: true, width: labelW - 12 });
    doc.font(FONT).fontSize(11).fillColor(INK).text(value, MARGIN.left + labelW + 8, y + 5, { width: w - labelW - 16 });
    doc.y = y + hgt;
  }
  doc.x = MARGIN.left;
  doc.y += 12;
}

function signature(doc: Doc, center: string): void {
  const w = contentWidth(doc);
  const y = Math.max(doc.y + 16, doc.page.height - MARGIN.bottom - 70);
  textAt(doc, center, MARGIN.left, y, { width: w - 50, align: 'right', size: 13, bold: true });
  // The seal's place (押印欄): printed documents are stamped at the desk when asked.
  doc.rect(MARGIN.left + w - 40, y - 12, 40, 40).lineWidth(0.6).strokeColor(GREY).stroke();
  textAt(doc, '印', MARGIN.left + w - 40, y + 3, { width: 40, align: 'center', size: 10, color: GREY });
}

function paymentLine(totalYen: number, paidYen: number): string {
  const owed = totalYen - paidYen;
  if (totalYen === 0) return 'お支払い：なし';
  if (owed <= 0) return `お支払い：${yen(totalYen)} 受領済`;
  const pay = '使用日までに窓口でお支払いください';
  return paidYen > 0 ? `お支払い：${yen(paidYen)} 受領済、残額 ${yen(owed)}（${pay}）` : `お支払い：${yen(owed)} 未納（${pay}）`;
}

/** 7日前までは無料、6日前〜前日は使用料の50%、当日以降は使用料の100% — from the tiers (DESIGN.md, cancellation). */
export function cancellationText(tiers: readonly { minDaysBefore: number; percent: number }[]): string {
  const sorted = [...tiers].sort((a, b) => b.minDaysBefore - a.minDaysBefore);
  const day = (n: number) => (n === 0 ? '当日' : n === 1 ? '前日' : `${n}日前`);
  return sorted.map((tier, i) => {
    const upper = i === 0 ? null : sorted[i - 1]!.minDaysBefore - 1;
    const when = upper === null ? `${day(tier.minDaysBefore)}まで`
      : tier.minDaysBefore === 0 ? '当日以降'
        : upper === tier.minDaysBefore ? day(tier.minDaysBefore) : `${day(upper)}〜${day(tier.minDaysBefore)}`;
    return `${when}は${tier.percent === 0 ? '無料' : `使用料の${tier.percent}%`}`;
  }).join('、');
}

export function permitPdf(p: PermitData): Promise<Buffer> {
  const doc = newDocument({ title: `使用許可書 ${p.permitNo}`, subject: '使用許可書', author: p.center, createdAt: new Date(`${p.issuedOn}T00:00:00+09:00`) });
  frame(doc, '使用許可書', p.permitNo, `発行日 ${warekiDate(p.issuedOn)}`);
  doc.font(BOLD).fontSize(14).text(`${p.holder} 様`, MARGIN.left, doc.y);
  doc.moveDown(0.8);
  doc.font(FONT).fontSize(11).text(`${p.center}の施設の使用を、次のとおり許可します。`, MARGIN.left, doc.y);
  doc.moveDown(0.8);
  facts(doc, [
    ['許可番号', p.permitNo],
    ['予約番号', String(p.bookingId)],
    ['使用者', p.holder],
    ...(p.applicant ? [['申込者', p.applicant] as [string, string]] : []),
    ['使用施設', p.spaceName],
    ['使用日', `${dateWithWeekday(p.useDate)}　${seirekiDate(p.useDate)}`],
    ['使用時間', `${p.start}〜${p.end}`],
    ['使用目的', p.purpose],
    ['使用人数', `${num(p.attendees)}人`],
    ['利用区分', p.category],
  ]);
  const w = contentWidth(doc);
  table(doc, [{ header: '使用料の内訳', width: w - 120 }, { header: '金額', width: 120, align: 'right' }], [
    ...p.lines.map((l) => ({ cells: [l.label, yen(l.amountYen)] })),
    { cells: ['合計', yen(p.totalYen)], emphasis: true },
  ]);
  doc.font(FONT).fontSize(10.5).fillColor(INK).text(paymentLine(p.totalYen, p.paidYen), MARGIN.left, doc.y);
  doc.moveDown(0.8);
  doc.font(BOLD).fontSize(10).text('使用上の注意', MARGIN.left, doc.y);
  doc.font(FONT).fontSize(9).fillColor(INK).list([
    '使用当日は、この許可書（画面の表示でも可）を窓口にお示しください。',
    '許可された目的・時間・施設以外には使用できません。使用後は原状に戻してください。',
    `取消料は、使用日の${cancellationText(p.cancellationTiers)}です（施設の都合による取消は無料）。`,
    '施設や備品を破損・紛失したときは、すぐに窓口へお知らせください。',
  ], MARGIN.left + 4, doc.y + 4, { width: w - 8, bulletRadius: 1.5, paragraphGap: 2 });
  signature(doc, p.center);
  footers(doc, `${p.center} 使用許可書 ${p.permitNo}`);
  return toBuffer(doc);
}

export function receiptPdf(r: ReceiptData): Promise<Buffer> {
  const doc = newDocument({ title: `領収書 ${r.receiptNo}`, subject: '領収書', author: r.center, createdAt: new Date(`${r.receivedOn}T00:00:00+09:00`) });
  frame(doc, '領　収　書', r.receiptNo, `${warekiDate(r.receivedOn)}（${seirekiDate(r.receivedOn)}）`);
  const w = contentWidth(doc);
  doc.font(BOLD).fontSize(15).text(`${r.payer} 様`, MARGIN.left, doc.y, { width: w - 60 });
  doc.moveTo(MARGIN.left, doc.y + 2).lineTo(MARGIN.left + w * 0.65, doc.y + 2).lineWidth(0.8).strokeColor(INK).stroke();
  doc.y += 22;
  const y = doc.y;
  doc.rect(MARGIN.left + 40, y, w - 80, 56).lineWidth(1.2).strokeColor(INK).stroke();
  textAt(doc, '金額', MARGIN.left + 56, y + 19, { size: 12, bold: true });
  textAt(doc, `${yen(r.amountYen)}-`, MARGIN.left + 110, y + 12, { size: 26, bold: true, width: w - 200, align: 'center' });
  doc.y = y + 72;
  doc.font(FONT).fontSize(12).fillColor(INK).text(`但し　${r.forWhat}`, MARGIN.left + 40, doc.y);
  doc.moveDown(0.4);
  doc.text('上記の金額を正に領収いたしました。', MARGIN.left + 40, doc.y);
  doc.moveDown(1.2);
  if (r.voidedOn) {
    const vy = doc.y;
    doc.rect(MARGIN.left, vy, w, 30).lineWidth(2).strokeColor(INK).stroke();
    textAt(doc, `この領収書は${warekiDate(r.voidedOn)}に取り消されました（無効）`, MARGIN.left, vy + 8, { width: w, align: 'center', size: 13, bold: true });
    doc.y = vy + 44;
  }
  doc.x = MARGIN.left;
  facts(doc, [
    ['領収書番号', r.receiptNo],
    ['予約番号', String(r.bookingId)],
    ...(r.permitNo ? [['許可番号', r.permitNo] as [string, string]] : []),
    ['使用施設', r.spaceName],
    ['使用日時', `${dateWithWeekday(r.useDate)} ${r.start}〜${r.end}`],
    ['領収日', `${warekiDate(r.receivedOn)}（${seirekiDate(r.receivedOn)}）`],
  ]);
  doc.font(FONT).fontSize(8.5).fillColor(GREY).text('お問い合わせの際は、領収書番号をお知らせください。', MARGIN.left, doc.y, { width: w });
  signature(doc, r.center);
  footers(doc, `${r.center} 領収書 ${r.receiptNo}`);
  return toBuffer(doc);
}
