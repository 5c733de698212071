/**
 * Charts drawn with pdfkit's vector operations, made to read in black and white: every bar and
 * cell carries its number, and series differ by pattern (solid, hatched, dotted) as well as grey.
 */
import { contentWidth, ensureSpace, FONT, GREY, INK, MARGIN, textAt, type Doc } from './pdf.js';

export type Fill = 'dark' | 'hatch' | 'light' | 'dots' | 'cross';
export const SERIES_FILLS: readonly Fill[] = ['dark', 'hatch', 'light', 'dots', 'cross'];

/** Fills a box with a pattern that survives a photocopier. */
export function fillBox(doc: Doc, x: number, y: number, w: number, h: number, fill: Fill): void {
  if (w <= 0 || h <= 0) return;
  doc.save();
  if (fill === 'dark') doc.rect(x, y, w, h).fill('#3c3c3c');
  else if (fill === 'light') doc.rect(x, y, w, h).fill('#c8c8c8');
  else {
    doc.rect(x, y, w, h).fill('#ffffff');
    doc.rect(x, y, w, h).clip();
    doc.lineWidth(0.7).strokeColor(INK);
    if (fill === 'hatch' || fill === 'cross') {
      for (let d = -h; d < w; d += 4) doc.moveTo(x + d, y + h).lineTo(x + d + h, y).stroke();
    }
    if (fill === 'cross') {
      for (let d = -h; d < w; d += 4) doc.moveTo(x + d, y).lineTo(x + d + h, y + h).stroke();
    }
    if (fill === 'dots') {
      let row = 0;
      for (let yy = y + 1.75; yy < y + h; yy += 3.5, row++) {
        for (let xx = x + 1.75 + (row % 2) * 1.75; xx < x + w; xx += 3.5) doc.circle(xx, yy, 0.6);
      }
      doc.fill(INK);
    }
  }
  doc.restore();
  doc.rect(x, y, w, h).lineWidth(0.5).strokeColor(INK).stroke();
}

/** A horizontal bar for a share (0…1) inside a table cell, with a thin frame for the whole. */
export function shareBar(ratio: number | null) {
  return (doc: Doc, box: { x: number; y: number; w: number; h: number }) => {
    doc.rect(box.x, box.y, box.w, box.h).lineWidth(0.3).strokeColor('#999999').stroke();
    if (ratio === null || ratio <= 0) return;
    fillBox(doc, box.x, box.y, box.w * Math.min(1, ratio), box.h, 'dark');
  };
}

export interface Segment {
  label: string;
  value: number;
  /** What the legend says after the label (a count, hours, yen). */
  display: string;
}

/** One bar split into shares, with a legend that repeats each number and percentage. */
export function stackedBar(doc: Doc, segments: readonly Segment[], opts: { caption?: string } = {}): void {
  const total = segments.reduce((s, x) => s + x.value, 0);
  const width = contentWidth(doc);
  const barH = 22;
  const legendH = segments.length * 15;
  ensureSpace(doc, barH + legendH + 30);
  const x0 = MARGIN.left;
  let y = doc.y;
  if (opts.caption) {
    textAt(doc, opts.caption, x0, y, { size: 9, color: GREY });
    y += 14;
  }
  let x = x0;
  segments.forEach((s, i) => {
    const w = total > 0 ? (width * s.value) / total : 0;
    fillBox(doc, x, y, w, barH, SERIES_FILLS[i % SERIES_FILLS.length]!);
    x += w;
  });
  if (total === 0) doc.rect(x0, y, width, barH).lineWidth(0.5).strokeColor(INK).stroke();
  y += barH + 6;
  segments.forEach((s, i) => {
    fillBox(doc, x0, y + 1, 18, 9, SERIES_FILLS[i % SERIES_FILLS.length]!);
    const share = total > 0 ? `${(Math.round((s.value / total) * 1000) / 10).toFixed(1)}%` : '—';
    textAt(doc, s.label, x0 + 26, y, { size: 9, width: 190 });
    textAt(doc, s.display, x0 + 220, y, { size: 9, width: 120, align: 'right' });
    textAt(doc, share, x0 + 350, y, { size: 9, width: 60, align: 'right' });
    y += 15;
  });
  doc.y = y + 6;
  doc.x = x0;
}

const HEAT_GREYS = ['#ffffff', '#e4e4e4', '#c4c4c4', '#9a9a9a', '#6a6a6a', '#3a3a3a'];

/**
 * A grid shaded by value (white = none, darkest = the largest), each cell with its number; a
 * total per row and per column, and a scale under it.
 */
export function heatmap(doc: Doc, args: {
  columns: readonly string[];
  rows: readonly { label: string; note: string; values: readonly number[] }[];
  display: (value: number) => string;
  totalLabel: string;
}): void {
  const labelW = 90;
  const cellW = 88;
  const totalW = 80;
  const cellH = 24;
  const height = (args.rows.length + 2) * cellH + 40;
  ensureSpace(doc, height);
  const x0 = MARGIN.left;
  let y = doc.y;
  const max = Math.max(0, ...args.rows.flatMap((r) => r.values));
  const level = (v: number) => (v <= 0 || max <= 0 ? 0 : Math.min(5, Math.ceil((v / max) * 5)));

  args.columns.forEach((c, i) => textAt(doc, c, x0 + labelW + i * cellW, y + 6, { width: cellW, align: 'center', size: 9.5, bold: true }));
  textAt(doc, args.totalLabel, x0 + labelW + args.columns.length * cellW, y + 6, { width: totalW, align: 'center', size: 9.5, bold: true });
  y += cellH;
  const colTotals = args.columns.map(() => 0);
  for (const row of args.rows) {
    textAt(doc, row.label, x0, y + 4, { size: 10, bold: true, width: 30 });
    textAt(doc, row.note, x0 + 28, y + 6, { size: 8, color: GREY, width: labelW - 30 });
    row.values.forEach((v, i) => {
      const l = level(v);
      const cx = x0 + labelW + i * cellW;
      doc.rect(cx, y, cellW, cellH).fill(HEAT_GREYS[l]!);
      doc.rect(cx, y, cellW, cellH).lineWidth(0.5).strokeColor(INK).stroke();
      textAt(doc, args.display(v), cx, y + 7, { width: cellW, align: 'center', size: 10, color: l >= 4 ? '#ffffff' : INK, bold: l >= 4 });
      colTotals[i]! += v;
    });
    const total = row.values.reduce((s, v) => s + v, 0);
    textAt(doc, args.display(total), x0 + labelW + args.columns.length * cellW, y + 7, { width: totalW, align: 'center', size: 10 });
    y += cellH;
  }
  doc.moveTo(x0, y + 1).lineTo(x0 + labelW + args.columns.length * cellW + totalW, y + 1).lineWidth(0.8).strokeColor(INK).stroke();
  textAt(doc, args.totalLabel, x0, y + 7, { size: 10, bold: true });
  colTotals.forEach((v, i) => textAt(doc, args.display(v), x0 + labelW + i * cellW, y + 7, { width: cellW, align: 'center', size: 10, bold: true }));
  textAt(doc, args.display(colTotals.reduce((s, v) => s + v, 0)), x0 + labelW + args.columns.length * cellW, y + 7, { width: totalW, align: 'center', size: 10, bold: true });
  y += cellH + 6;

  // The scale: what each shade stands for.
  textAt(doc, '濃さの目安', x0, y + 1, { size: 8, color: GREY });
  HEAT_GREYS.forEach((g, i) => {
    const sx = x0 + 60 + i * 62;
    doc.rect(sx, y, 14, 10).fill(g);
    doc.rect(sx, y, 14, 10).lineWidth(0.4).strokeColor(INK).stroke();
    const label = i === 0 ? '0' : `〜${args.display(Math.round((max * i) / 5 / 30) * 30)}`;
    textAt(doc, label, sx + 17, y + 1, { size: 7.5, color: GREY, width: 44 });
  });
  doc.y = y + 20;
  doc.x = x0;
  doc.font(FONT);
}

/** Vertical bars (a fiscal year's months), each with its number on top. */
export function columnChart(doc: Doc, items: readonly { label: string; value: number; display: string }[], opts: { caption: string; height?: number }): void {
  const h = opts.height ?? 130;
  ensureSpace(doc, h + 50);
  const x0 = MARGIN.left;
  const width = contentWidth(doc);
  let y = doc.y;
  textAt(doc, opts.caption, x0, y, { size: 9, color: GREY });
  y += 16;
  const max = Math.max(1, ...items.map((i) => i.value));
  const slot = width / Math.max(1, items.length);
  const barW = slot * 0.6;
  const base = y + h;
  doc.moveTo(x0, base).lineTo(x0 + width, base).lineWidth(0.8).strokeColor(INK).stroke();
  items.forEach((item, i) => {
    const bh = (h - 14) * (item.value / max);
    const bx = x0 + i * slot + (slot - barW) / 2;
    if (bh > 0) fillBox(doc, bx, base - bh, barW, bh, 'light');
    textAt(doc, item.display, x0 + i * slot, base - bh - 12, { width: slot, align: 'center', size: 8 });
    textAt(doc, item.label, x0 + i * slot, base + 4, { width: slot, align: 'center', size: 8.5 });
  });
  doc.y = base + 22;
  doc.x = x0;
}
