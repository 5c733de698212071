/**
 * The report's CSVs, for Excel in Japan: UTF-8 with a BOM (without it Excel reads Shift_JIS and
 * shows mojibake), CRLF line ends, every text quoted. A text cell that starts with `= + - @`, a tab
 * or a CR would run as a formula in a spreadsheet, so it is defused with a leading `'` (OWASP,
 * "CSV Injection"); purposes and names are typed by the public.
 */
import type { ReportData } from './figures.js';
import { BANDS } from './occupancy.js';
import { BAND_LABEL, CENTER_NAME, CHANNEL_LABEL, HEAT_ROW_LABEL, channelLabel, t } from './labels.js';

const BOM = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;

export type Cell = string | number | null;

/** One cell: numbers as they are, text defused and quoted, null empty. */
export function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function csvText(rows: readonly (readonly Cell[])[]): string {
  return BOM + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

const hoursOf = (minutes: number) => Math.round(minutes / 6) / 10;
const percentOf = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10);

export const BOOKINGS_HEADER = [
  '予約番号', '利用日', '開始', '終了', '施設', '利用区分', '受付方法', '予約状況', '支払状況', '利用状況', '利用目的',
  '予定人数', '実人数', '使用料', '入金額', '取消料', '減免率', '減免額', '減免理由', '許可番号',
] as const;

/** `{YYYY-MM}.csv`: one row per booking used in the period, every status. */
export function bookingsCsv(data: ReportData): string {
  const rows: Cell[][] = [[...BOOKINGS_HEADER]];
  for (const b of data.rows) {
    rows.push([
      b.id, b.useDate, b.start, b.end, b.spaceName, t(`category.${b.category}`), channelLabel(b), t(`status.${b.status}`),
      t(`payment.${b.paymentStatus}`), t(`attendance.${b.attendance}`), b.purpose, b.attendees, b.actualAttendees,
      b.totalYen, b.paidYen, b.cancellationFeeYen, b.exemptionPercent, b.exemptionYen, b.exemptionReason, b.permitNo,
    ]);
  }
  return csvText(rows);
}

export const SUMMARY_HEADER = ['区分', '項目', '内訳', '値', '単位', '備考'] as const;

/** The report's figures as rows: `区分, 項目, 内訳, 値, 単位, 備考`. */
export function summaryRows(data: ReportData): Cell[][] {
  const rows: Cell[][] = [];
  const add = (section: string, item: string, detail: string, value: Cell, unit = '', note = '') => rows.push([section, item, detail, value, unit, note]);
  const m = data.money;

  add('報告書', '施設名', '', CENTER_NAME);
  add('報告書', '対象期間', '', `${data.names.wareki}（${data.names.seireki}）`);
  add('報告書', '期間', '', `${data.period.from}〜${data.period.to}`);
  add('報告書', '作成日時', '', data.generatedAt);

  add('予約', '利用件数', '計', data.bookings.live, '件', '仮予約・確定の予約（利用日基準）');
  add('予約', '利用件数', 'うち確定', data.bookings.confirmed, '件');
  add('予約', '利用件数', 'うち仮予約', data.bookings.provisional, '件');
  add('予約', '取消', '', data.bookings.cancelled, '件');
  add('予約', '期限切れ', '', data.bookings.expired, '件');
  add('予約', '利用時間', '', hoursOf(data.bookings.minutes), '時間');

  for (const s of data.occupancy.spaces) {
    add('稼働率', s.name, '利用時間', hoursOf(s.bookedMinutes), '時間');
    add('稼働率', s.name, '利用可能時間', hoursOf(s.openMinutes), '時間');
    add('稼働率', s.name, '稼働率', percentOf(s.rate), '%', s.rate === null ? '利用期間外' : '');
  }
  add('稼働率', '全体', '利用時間', hoursOf(data.occupancy.bookedMinutes), '時間', '全面の予約は各部分の利用として数える');
  add('稼働率', '全体', '利用可能時間', hoursOf(data.occupancy.openMinutes), '時間');
  add('稼働率', '全体', '稼働率', percentOf(data.occupancy.rate), '%');

  for (const r of data.heatmap.rows) {
    for (const band of BANDS) add('曜日・時間帯', HEAT_ROW_LABEL[r.row], BAND_LABEL[band], hoursOf(r.minutes[band]), '時間', `開館${r.openDays}日`);
  }
  add('曜日・時間帯', '夜間の利用時間', '', hoursOf(data.heatmap.eveningMinutes), '時間');
  add('曜日・時間帯', '土日祝の利用時間', '', hoursOf(data.heatmap.weekendMinutes), '時間');

  for (const c of data.categories) {
    const name = t(`category.${c.category}`);
    add('利用区分', name, '件数', c.bookings, '件');
    add('利用区分', name, '利用時間', hoursOf(c.minutes), '時間');
    add('利用区分', name, '予定人数', c.attendees, '人');
    add('利用区分', name, '実人数', c.actualAttendees, '人', `受付済${c.checkedIn}件`);
    add('利用区分', name, '無断不使用', c.noShow, '件');
  }

  add('使用料', '使用料', '利用日基準', m.usageYen, '円');
  add('使用料', '取消料', '利用日基準', m.cancellationYen, '円', `${m.cancelledWithFee}件`);
  add('使用料', '調定額', '使用料＋取消料', m.chargedYen, '円');
  add('使用料', '減免', '50%', m.exemptions.half, '件');
  add('使用料', '減免', '100%', m.exemptions.full, '件');
  add('使用料', '減免', '減免額', m.exemptions.waivedYen, '円');
  add('収入', '入金', '件数', m.payments.count, '件', '入金日基準');
  add('収入', '入金', '金額', m.payments.yen, '円');
  add('収入', '返金', '件数', m.refunds.count, '件');
  add('収入', '返金', '金額', m.refunds.yen, '円');
  add('収入', '入金取消', '件数', m.voids.count, '件');
  add('収入', '入金取消', '金額', m.voids.yen, '円');
  add('収入', '収入額', '入金−返金−入金取消', m.incomeYen, '円');

  for (const key of ['online', 'desk', 'walkIn'] as const) {
    add('受付方法', CHANNEL_LABEL[key], '件数', data.channels[key].bookings, '件');
    add('受付方法', CHANNEL_LABEL[key], '利用時間', hoursOf(data.channels[key].minutes), '時間');
  }

  const r = data.registrations;
  add('利用登録', '新規申請', '', r.newApplications, '件');
  add('利用登録', '更新申請', '', r.renewals, '件');
  add('利用登録', '承認', '', r.approvals, '件');
  add('利用登録', '却下', '', r.rejections, '件');
  add('利用登録', '登録団体数', `${r.asOf}時点`, r.registeredGroups, '団体');

  const e = data.equipment;
  for (const x of e.types) {
    add('備品貸出', x.name, '貸出件数', x.loans, '件', '開始日基準・取消を除く');
    add('備品貸出', x.name, '数量', x.units, '点');
    add('備品貸出', x.name, '利用とあわせた貸出', x.withBooking, '件');
    add('備品貸出', x.name, '持ち出し', x.takeouts, '件');
    add('備品貸出', x.name, '備品使用料', x.feeYen, '円', '利用日基準・減免前');
  }
  add('備品貸出', '計', '貸出件数', e.total.loans, '件', '開始日基準・取消を除く');
  add('備品貸出', '計', '数量', e.total.units, '点');
  add('備品貸出', '計', '利用とあわせた貸出', e.total.withBooking, '件');
  add('備品貸出', '計', '持ち出し', e.total.takeouts, '件');
  add('備品貸出', '計', '受け取りなし', e.total.notPickedUp, '件', '作成時点で期間を過ぎて予約のまま');
  add('備品貸出', '計', '備品使用料', e.total.feeYen, '円', '利用日基準・減免前');
  const d = e.damage;
  add('破損・紛失', '届出', '破損', d.opened.damaged, '件', '届出日基準');
  add('破損・紛失', '届出', '紛失', d.opened.lost, '件', '届出日基準');
  add('破損・紛失', '弁償の請求', '件数', d.invoiced.count, '件', '査定日基準');
  add('破損・紛失', '弁償の請求', '金額', d.invoiced.yen, '円', '査定日基準');
  add('破損・紛失', '弁償なし', '件数', d.notLiable, '件', '査定日基準');
  add('破損・紛失', '収納', '件数', d.settled.count, '件', '収納日基準');
  add('破損・紛失', '収納', '金額', d.settled.yen, '円', '収納日基準');
  add('破損・紛失', '免除', '件数', d.waived.count, '件', '免除日基準');
  add('破損・紛失', '免除', '金額', d.waived.yen, '円', '免除日基準・査定額');
  const o = data.opinions;
  for (const c of o.categories) {
    const name = t(`opinionCategory.${c.category}`);
    add('意見箱', name, '受付', c.received, '件', '受付日基準');
    add('意見箱', name, 'うち回答済', c.answered, '件', '作成時点');
  }
  add('意見箱', '計', '受付', o.received, '件', '受付日基準');
  add('意見箱', '計', 'うち回答済', o.answered, '件', '作成時点');
  add('意見箱', '回答の公開', '', o.published, '件', '公開日基準');

  const s = data.surveys;
  add('アンケート', '回答数', '', s.responses, '件');
  add('アンケート', '満足度', '評価の数', s.ratings.count, '件');
  add('アンケート', '満足度', '平均', s.ratings.average, '点', s.ratings.average === null ? '回答なし' : '5段階');

  for (const mf of data.months) {
    add('月別', mf.month, '利用件数', mf.live, '件');
    add('月別', mf.month, '利用時間', hoursOf(mf.minutes), '時間');
    add('月別', mf.month, '稼働率', percentOf(mf.occupancyRate), '%');
    add('月別', mf.month, '予定人数', mf.attendees, '人');
    add('月別', mf.month, '実人数', mf.actualAttendees, '人');
    add('月別', mf.month, '調定額', mf.chargedYen, '円');
    add('月別', mf.month, '収入額', mf.incomeYen, '円');
    add('月別', mf.month, '意見の受付', mf.opinionsReceived, '件');
    add('月別', mf.month, '意見の回答済', mf.opinionsAnswered, '件');
    add('月別', mf.month, '回答の公開', mf.opinionsPublished, '件');
    add('月別', mf.month, 'アンケート回答数', mf.surveyResponses, '件');
    add('月別', mf.month, '満足度の評価の数', mf.ratingCount, '件');
    add('月別', mf.month, '満足度の平均', mf.ratingAverage, '点', mf.ratingAverage === null ? '回答なし' : '');
    add('月別', mf.month, '備品の貸出件数', mf.loans, '件');
    add('月別', mf.month, '備品の貸出数量', mf.loanUnits, '点');
    add('月別', mf.month, '備品使用料', mf.equipmentFeeYen, '円');
    add('月別', mf.month, '破損・紛失の届出', mf.damageOpened, '件');
  }
  return rows;
}

/** `{YYYY-MM}.summary.csv` */
export function summaryCsv(data: ReportData): string {
  return csvText([[...SUMMARY_HEADER], ...summaryRows(data)]);
}
