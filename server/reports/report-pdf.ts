/**
 * The usage report for the city (施設利用状況報告書), monthly or for a fiscal year: a Japanese A4
 * PDF printed from the report's data object and nothing else.
 */
import { columnChart, heatmap, shareBar, stackedBar } from './charts.js';
import type { Figures, ReportData } from './figures.js';
import { hours, num, percent, seirekiDate, warekiDate, yen } from './japanese.js';
import { BAND_LABEL, CASE_KIND_LABEL, CASE_STATUS_LABEL, CHANNEL_LABEL, HEAT_ROW_LABEL, t } from './labels.js';
import { BANDS } from './occupancy.js';
import { contentWidth, ensureSpace, FONT, footers, GREY, heading, INK, MARGIN, newDocument, paragraph, SHADE, table, textAt, toBuffer, type Doc } from './pdf.js';

export const REPORT_TITLE = '施設利用状況報告書';

const rate = (r: number | null) => (r === null ? '—' : percent(r, 1));
const h = (minutes: number) => `${hours(minutes)}時間`;

function titleBlock(doc: Doc, data: ReportData): void {
  const x = MARGIN.left;
  const w = contentWidth(doc);
  textAt(doc, data.center, x, MARGIN.top, { size: 12 });
  textAt(doc, data.period.kind === 'month' ? REPORT_TITLE : `${REPORT_TITLE}（年度集計）`, x, MARGIN.top + 22, { size: 22, bold: true });
  textAt(doc, `${data.names.wareki}（${data.names.seireki}）`, x, MARGIN.top + 56, { size: 16, bold: true });
  const made = data.generatedAt.slice(0, 10);
  textAt(doc, `対象期間 ${seirekiDate(data.period.from)}〜${seirekiDate(data.period.to)}`, x, MARGIN.top + 84, { size: 9.5, color: GREY });
  textAt(doc, `作成 ${warekiDate(made)} ${data.generatedAt.slice(11, 16)}`, x, MARGIN.top + 84, { size: 9.5, color: GREY, width: w, align: 'right' });
  doc.moveTo(x, MARGIN.top + 102).lineTo(x + w, MARGIN.top + 102).lineWidth(1.5).strokeColor(INK).stroke();
  doc.y = MARGIN.top + 110;
}

/** The key figures as a grid of boxes. */
function keyFigures(doc: Doc, data: ReportData): void {
  const m = data.money;
  const boxes: [string, string, string][] = [
    ['利用件数', `${num(data.bookings.live)}件`, `うち仮予約 ${num(data.bookings.provisional)}件`],
    ['利用時間', h(data.bookings.minutes), `取消 ${num(data.bookings.cancelled)}件・期限切れ ${num(data.bookings.expired)}件`],
    ['稼働率（全体）', rate(data.occupancy.rate), `${h(data.occupancy.bookedMinutes)} ／ ${h(data.occupancy.openMinutes)}`],
    ['利用予定人数', `${num(data.attendees.planned)}人`, `受付済 ${num(data.attendees.checkedIn)}件`],
    ['利用実人数', `${num(data.attendees.actual)}人`, `無断不使用 ${num(data.attendees.noShow)}件`],
    ['夜間・土日祝の利用', percent(data.heatmap.eveningMinutes, data.heatmap.totalMinutes), `土日祝 ${percent(data.heatmap.weekendMinutes, data.heatmap.totalMinutes)}`],
    ['調定額（利用日基準）', yen(m.chargedYen), `使用料 ${yen(m.usageYen)}・取消料 ${yen(m.cancellationYen)}`],
    ['収入額（入金日基準）', yen(m.incomeYen), `返金 ${yen(m.refunds.yen)}（${num(m.refunds.count)}件）`],
    ['減免', `${num(m.exemptions.half + m.exemptions.full)}件`, `減免額 ${yen(m.exemptions.waivedYen)}`],
  ];
  const cols = 3;
  const gap = 8;
  const w = (contentWidth(doc) - gap * (cols - 1)) / cols;
  const bh = 58;
  ensureSpace(doc, Math.ceil(boxes.length / cols) * (bh + gap));
  const y0 = doc.y;
  boxes.forEach(([label, value, sub], i) => {
    const x = MARGIN.left + (i % cols) * (w + gap);
    const y = y0 + Math.floor(i / cols) * (bh + gap);
    doc.rect(x, y, w, bh).lineWidth(0.6).strokeColor(INK).stroke();
    doc.rect(x, y, w, 16).fill(SHADE);
    doc.rect(x, y, w, bh).lineWidth(0.6).strokeColor(INK).stroke();
    textAt(doc, label, x + 6, y + 3.5, { size: 8.5, bold: true, width: w - 12 });
    textAt(doc, value, x + 6, y + 20, { size: 15, bold: true, width: w - 12, align: 'right' });
    textAt(doc, sub, x + 6, y + 42, { size: 7.5, color: GREY, width: w - 12, align: 'right' });
  });
  doc.y = y0 + Math.ceil(boxes.length / cols) * (bh + gap) + 2;
  doc.x = MARGIN.left;
}

function occupancySection(doc: Doc, f: Figures, n: number): void {
  heading(doc, `${n}. 施設別の稼働率`, 200);
  const rows = f.occupancy.spaces.map((s) => ({ cells: [s.name, h(s.bookedMinutes), s.rate === null ? '利用期間外' : h(s.openMinutes), rate(s.rate), shareBar(s.rate)] }));
  rows.push({ cells: ['全体', h(f.occupancy.bookedMinutes), h(f.occupancy.openMinutes), rate(f.occupancy.rate), shareBar(f.occupancy.rate)], emphasis: true } as (typeof rows)[number]);
  table(doc, [
    { header: '施設', width: 130 }, { header: '利用時間', width: 75, align: 'right' }, { header: '利用可能時間', width: 85, align: 'right' },
    { header: '稼働率', width: 60, align: 'right' }, { header: '', width: contentWidth(doc) - 350 },
  ], rows);
  paragraph(doc, '稼働率＝利用時間÷利用可能時間。利用可能時間は開館カレンダーの開館時間（延長・短縮を反映し、休館日を除く）から、利用期間外と利用停止の時間を除いたもの。全面（会議研修室）の予約は、A・Bそれぞれの利用時間にも数える。「全体」は部分に分かれる部屋を部分ごとに数えた合計。', { size: 8, color: GREY });
}

function heatmapSection(doc: Doc, f: Figures, n: number): void {
  heading(doc, `${n}. 曜日・時間帯別の利用時間`, 320);
  heatmap(doc, {
    columns: BANDS.map((b) => `${BAND_LABEL[b]}`),
    rows: f.heatmap.rows.map((r) => ({ label: HEAT_ROW_LABEL[r.row], note: `開館${r.openDays}日`, values: BANDS.map((b) => r.minutes[b]) })),
    display: (minutes) => hours(minutes),
    totalLabel: '計',
  });
  paragraph(doc, `単位は時間（仮予約・確定の予約の時間の合計。全面の予約は全面の1件として数える）。午前は12時まで、午後は18時まで、夜間は18時以降（延長の時間を含む）。祝日は曜日の行でなく「祝日」の行に数える。夜間の利用は全体の${percent(f.heatmap.eveningMinutes, f.heatmap.totalMinutes)}、土曜・日曜・祝日の利用は${percent(f.heatmap.weekendMinutes, f.heatmap.totalMinutes)}。`, { size: 8, color: GREY });
}

function categorySection(doc: Doc, f: Figures, n: number): void {
  heading(doc, `${n}. 利用区分別の件数と利用者数`, 200);
  const rows = f.categories.map((c) => ({
    cells: [t(`category.${c.category}`), `${num(c.bookings)}件`, h(c.minutes), `${num(c.attendees)}人`, `${num(c.actualAttendees)}人`, `${num(c.checkedIn)}件`, `${num(c.noShow)}件`],
  }));
  rows.push({ cells: ['計', `${num(f.bookings.live)}件`, h(f.bookings.minutes), `${num(f.attendees.planned)}人`, `${num(f.attendees.actual)}人`, `${num(f.attendees.checkedIn)}件`, `${num(f.attendees.noShow)}件`], emphasis: true } as (typeof rows)[number]);
  table(doc, [
    { header: '利用区分', width: 85 }, { header: '件数', width: 60, align: 'right' }, { header: '利用時間', width: 75, align: 'right' },
    { header: '予定人数', width: 70, align: 'right' }, { header: '実人数', width: 70, align: 'right' }, { header: '受付済', width: 65, align: 'right' },
    { header: '無断不使用', width: contentWidth(doc) - 425, align: 'right' },
  ], rows);
  stackedBar(doc, f.categories.map((c) => ({ label: t(`category.${c.category}`), value: c.bookings, display: `${num(c.bookings)}件` })), { caption: '利用区分の内訳（件数）' });
  paragraph(doc, '実人数は窓口で受付（チェックイン）した予約の人数の合計。予定人数は予約時の人数。', { size: 8, color: GREY });
}

function moneySection(doc: Doc, f: Figures, n: number): void {
  const m = f.money;
  heading(doc, `${n}. 使用料・減免・収入`, 300);
  const w = contentWidth(doc);
  table(doc, [{ header: '調定（利用日基準）', width: 200 }, { header: '件数', width: 80, align: 'right' }, { header: '金額', width: 110, align: 'right' }, { header: '', width: w - 390 }], [
    { cells: ['使用料', `${num(f.bookings.live)}件`, yen(m.usageYen), ''] },
    { cells: ['取消料', `${num(m.cancelledWithFee)}件`, yen(m.cancellationYen), ''] },
    { cells: ['調定額 計', '', yen(m.chargedYen), ''], emphasis: true },
  ]);
  table(doc, [{ header: '減免', width: 200 }, { header: '件数', width: 80, align: 'right' }, { header: '金額', width: 110, align: 'right' }, { header: '', width: w - 390 }], [
    { cells: ['50%減免', `${num(m.exemptions.half)}件`, '', ''] },
    { cells: ['100%減免（全額免除）', `${num(m.exemptions.full)}件`, '', ''] },
    { cells: ['減免額 計', `${num(m.exemptions.half + m.exemptions.full)}件`, yen(m.exemptions.waivedYen), ''], emphasis: true },
  ]);
  table(doc, [{ header: '収入（入金日基準）', width: 200 }, { header: '件数', width: 80, align: 'right' }, { header: '金額', width: 110, align: 'right' }, { header: '', width: w - 390 }], [
    { cells: ['入金', `${num(m.payments.count)}件`, yen(m.payments.yen), ''] },
    { cells: ['返金', `${num(m.refunds.count)}件`, yen(-m.refunds.yen), ''] },
    { cells: ['入金の取消', `${num(m.voids.count)}件`, yen(-m.voids.yen), ''] },
    { cells: ['収入額 計', '', yen(m.incomeYen), ''], emphasis: true },
  ]);
  paragraph(doc, '調定額は対象期間に利用日がある予約の使用料（仮予約・確定）と取消料の合計。収入額は対象期間に窓口で動いた金額（入金から返金と入金の取消を引いたもの）で、利用日が他の期間の予約の分を含む。減免額は減免によって差し引いた金額。', { size: 8, color: GREY });
}

function channelSection(doc: Doc, f: Figures, n: number): void {
  heading(doc, `${n}. 受付方法（オンライン・窓口）`, 170);
  const keys = ['online', 'desk', 'walkIn'] as const;
  stackedBar(doc, keys.map((k) => ({ label: CHANNEL_LABEL[k], value: f.channels[k].bookings, display: `${num(f.channels[k].bookings)}件・${h(f.channels[k].minutes)}` })), { caption: '受付方法の内訳（件数）' });
  paragraph(doc, 'ウォークインは、アカウントを持たない方の窓口での予約。', { size: 8, color: GREY });
}

function registrationSection(doc: Doc, f: Figures, n: number): void {
  const r = f.registrations;
  heading(doc, `${n}. 利用登録`, 150);
  table(doc, [{ header: '項目', width: 200 }, { header: '件数', width: 100, align: 'right' }], [
    { cells: ['新規登録の申請', `${num(r.newApplications)}件`] },
    { cells: ['更新の申請', `${num(r.renewals)}件`] },
    { cells: ['承認', `${num(r.approvals)}件`] },
    { cells: ['却下', `${num(r.rejections)}件`] },
    { cells: [`登録団体数（${seirekiDate(r.asOf)}時点）`, `${num(r.registeredGroups)}団体`], emphasis: true },
  ]);
}

/** The average rating to two places, or 回答なし. */
export const ratingText = (average: number | null) => (average === null ? '回答なし' : average.toFixed(2));

function opinionSection(doc: Doc, f: Figures, n: number): void {
  const o = f.opinions;
  heading(doc, `${n}. 意見箱（ご意見の受付と回答）`, 230);
  const rows = o.categories.map((c) => ({ cells: [t(`opinionCategory.${c.category}`), `${num(c.received)}件`, `${num(c.answered)}件`, `${num(c.received - c.answered)}件`] }));
  rows.push({ cells: ['計', `${num(o.received)}件`, `${num(o.answered)}件`, `${num(o.received - o.answered)}件`], emphasis: true } as (typeof rows)[number]);
  table(doc, [
    { header: '分類', width: 130 }, { header: '受付', width: 80, align: 'right' }, { header: 'うち回答済', width: 90, align: 'right' }, { header: '未回答', width: 80, align: 'right' },
  ], rows);
  table(doc, [{ header: '回答の公開（公開日基準）', width: 210 }, { header: '件数', width: 90, align: 'right' }], [
    { cells: ['回答を公開した意見', `${num(o.published)}件`], emphasis: true },
  ]);
  paragraph(doc, '受付は対象期間に受け付けた意見（受付日基準）。回答済はそのうち、この報告書の作成時点で状態が「回答済」または「完了」で回答のあるもの。回答の公開は対象期間に回答を公開した件数で、前の期間に受け付けた意見の分を含む。', { size: 8, color: GREY });
}

function surveySection(doc: Doc, f: Figures, n: number): void {
  const s = f.surveys;
  heading(doc, `${n}. アンケート`, 130);
  table(doc, [{ header: '項目', width: 210 }, { header: '値', width: 90, align: 'right' }], [
    { cells: ['アンケートの回答数', `${num(s.responses)}件`] },
    { cells: ['満足度の評価の数', `${num(s.ratings.count)}件`] },
    { cells: ['満足度（5段階の平均）', ratingText(s.ratings.average)], emphasis: true },
  ]);
  paragraph(doc, '対象期間に送信された回答（すべてのアンケート）。満足度は5段階評価（1〜5）の設問への回答の平均で、評価の数はその回答の数。', { size: 8, color: GREY });
}

const md = (date: string) => `${Number(date.slice(5, 7))}/${Number(date.slice(8, 10))}`;

function equipmentSection(doc: Doc, data: ReportData, n: number): void {
  const e = data.equipment;
  const w = contentWidth(doc);
  heading(doc, `${n}. 備品の貸出と破損`, 300);
  table(doc, [
    { header: '備品', width: 125 }, { header: '貸出件数', width: 65, align: 'right' }, { header: '数量', width: 55, align: 'right' },
    { header: '利用とあわせて', width: 90, align: 'right' }, { header: '持ち出し', width: 65, align: 'right' }, { header: '備品使用料', width: w - 400, align: 'right' },
  ], [
    ...e.types.map((x) => ({ cells: [x.name, `${num(x.loans)}件`, num(x.units), `${num(x.withBooking)}件`, `${num(x.takeouts)}件`, yen(x.feeYen)] })),
    { cells: ['計', `${num(e.total.loans)}件`, num(e.total.units), `${num(e.total.withBooking)}件`, `${num(e.total.takeouts)}件`, yen(e.total.feeYen)], emphasis: true },
  ]);
  stackedBar(doc, [
    { label: '施設の利用とあわせた貸出', value: e.total.withBooking, display: `${num(e.total.withBooking)}件` },
    { label: '持ち出し（登録団体）', value: e.total.takeouts, display: `${num(e.total.takeouts)}件` },
  ], { caption: '貸出の内訳（件数）' });
  paragraph(doc, `貸出件数は対象期間に始まる貸出（取消を除く）の件数で、備品ごとの行はその備品を含む貸出を数える（複数の備品の貸出も計では1件）。数量は貸し出した台数・枚数。受け取りのなかった貸出（作成時点で期間を過ぎても予約のまま）は${num(e.total.notPickedUp)}件。備品使用料は対象期間に利用日がある予約（仮予約・確定）の料金のうち備品の分で、減免前の額。登録団体は無料。`, { size: 8, color: GREY });

  const d = e.damage;
  table(doc, [{ header: '破損・紛失', width: 250 }, { header: '件数', width: 80, align: 'right' }, { header: '金額', width: 110, align: 'right' }, { header: '', width: w - 440 }], [
    { cells: ['破損の届出', `${num(d.opened.damaged)}件`, '', ''] },
    { cells: ['紛失の届出', `${num(d.opened.lost)}件`, '', ''] },
    { cells: ['弁償の請求（査定で借受者の責任）', `${num(d.invoiced.count)}件`, yen(d.invoiced.yen), ''] },
    { cells: ['弁償なし（通常の損耗・不可抗力）', `${num(d.notLiable)}件`, '', ''] },
    { cells: ['弁償金の収納', `${num(d.settled.count)}件`, yen(d.settled.yen), ''] },
    { cells: ['弁償の免除', `${num(d.waived.count)}件`, yen(d.waived.yen), ''] },
  ]);
  if (d.cases.length > 0) {
    const names = new Map(e.types.map((x) => [x.type, x.name]));
    table(doc, [
      { header: '届出日', width: 55 }, { header: '備品（管理番号）', width: 150 }, { header: '区分', width: 45 }, { header: '状況', width: 65 },
      { header: '査定日', width: 55 }, { header: '完了日', width: 55 }, { header: '金額', width: w - 425, align: 'right' },
    ], d.cases.map((c) => ({
      cells: [md(c.openedOn), `${names.get(c.type) ?? c.type}（${c.unit}）`, CASE_KIND_LABEL[c.kind], CASE_STATUS_LABEL[c.status],
        c.assessedOn ? md(c.assessedOn) : '—', c.closedOn ? md(c.closedOn) : '—', c.costYen === null ? '—' : yen(c.costYen)],
    })), { size: 8.5, rowHeight: 17 });
  }
  paragraph(doc, '件数は対象期間にそれぞれの手続き（届出・査定・収納・免除）があったもの。金額は管理者の査定額（修理費。再調達価格が上限）。弁償金は使用料の収入額に含まない。事案の状況は作成時点のもの。', { size: 8, color: GREY });

  if (data.months.length > 0) {
    // The year's months on one page: the header, twelve months and the total.
    ensureSpace(doc, 14 * 17 + 30);
    textAt(doc, '月別の推移', MARGIN.left, doc.y, { size: 9, color: GREY });
    doc.y += 14;
    table(doc, [
      { header: '月', width: 50 }, { header: '貸出件数', width: 85, align: 'right' }, { header: '数量', width: 75, align: 'right' },
      { header: '備品使用料', width: 110, align: 'right' }, { header: '破損・紛失の届出', width: 120, align: 'right' },
    ], [
      ...data.months.map((m) => ({ cells: [`${Number(m.month.slice(5))}月`, `${num(m.loans)}件`, num(m.loanUnits), yen(m.equipmentFeeYen), `${num(m.damageOpened)}件`] })),
      { cells: ['計', `${num(e.total.loans)}件`, num(e.total.units), yen(e.total.feeYen), `${num(d.opened.damaged + d.opened.lost)}件`], emphasis: true },
    ], { size: 8.5, rowHeight: 17 });
  }
}

function monthsSection(doc: Doc, data: ReportData, n: number): void {
  heading(doc, `${n}. 月別の推移`, 330);
  table(doc, [
    { header: '月', width: 42 }, { header: '利用件数', width: 60, align: 'right' }, { header: '利用時間', width: 62, align: 'right' },
    { header: '稼働率', width: 52, align: 'right' }, { header: '予定人数', width: 60, align: 'right' }, { header: '実人数', width: 57, align: 'right' },
    { header: '調定額', width: 80, align: 'right' }, { header: '収入額', width: contentWidth(doc) - 413, align: 'right' },
  ], [
    ...data.months.map((m) => ({ cells: [`${Number(m.month.slice(5))}月`, `${num(m.live)}件`, hours(m.minutes), rate(m.occupancyRate), num(m.attendees), num(m.actualAttendees), yen(m.chargedYen), yen(m.incomeYen)] })),
    { cells: ['計', `${num(data.bookings.live)}件`, hours(data.bookings.minutes), rate(data.occupancy.rate), num(data.attendees.planned), num(data.attendees.actual), yen(data.money.chargedYen), yen(data.money.incomeYen)], emphasis: true },
  ], { size: 8.5, rowHeight: 17 });
  columnChart(doc, data.months.map((m) => ({ label: `${Number(m.month.slice(5))}月`, value: m.live, display: num(m.live) })), { caption: '月別の利用件数' });
}

/** The report as PDF bytes. */
export function reportPdf(data: ReportData): Promise<Buffer> {
  const title = `${data.center} ${REPORT_TITLE} ${data.names.wareki}（${data.names.seireki}）`;
  const doc = newDocument({ title, subject: REPORT_TITLE, author: data.center, createdAt: new Date(`${data.generatedAt.replace(' ', 'T')}:00+09:00`) });
  titleBlock(doc, data);
  heading(doc, '1. 概要', 220);
  keyFigures(doc, data);
  let n = 2;
  if (data.period.kind === 'fiscal') monthsSection(doc, data, n++);
  occupancySection(doc, data, n++);
  heatmapSection(doc, data, n++);
  categorySection(doc, data, n++);
  moneySection(doc, data, n++);
  channelSection(doc, data, n++);
  registrationSection(doc, data, n++);
  equipmentSection(doc, data, n++);
  opinionSection(doc, data, n++);
  surveySection(doc, data, n++);
  doc.font(FONT);
  footers(doc, `${data.center} ${REPORT_TITLE} ${data.names.wareki}（${data.names.seireki}）`);
  return toBuffer(doc);
}
