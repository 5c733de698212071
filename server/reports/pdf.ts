/**
 * What every document of the center shares: an A4 page with BIZ UDPGothic, a flowing layout that
 * breaks pages before a block that would not fit, tables, and page numbers written at the end.
 * Everything is black on white with greys, so it prints and photocopies as it looks.
 */
import PDFDocument from 'pdfkit';
import { documentFonts } from './fonts.js';

export type Doc = PDFKit.PDFDocument;

export const FONT = 'ja';
export const BOLD = 'ja-bold';
export const MARGIN = { top: 56, bottom: 56, left: 50, right: 50 };
export const INK = '#000000';
export const GREY = '#555555';
export const RULE = '#999999';
export const SHADE = '#e6e6e6';

export function newDocument(info: { title: string; subject: string; author: string; createdAt: Date }): Doc {
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    autoFirstPage: true,
    lang: 'ja-JP',
    displayTitle: true,
    info: { Title: info.title, Subject: info.subject, Author: info.author, Creator: 'Hiroba', CreationDate: info.createdAt },
  });
  const fonts = documentFonts();
  doc.registerFont(FONT, fonts.regular);
  doc.registerFont(BOLD, fonts.bold);
  doc.font(FONT).fontSize(10).fillColor(INK);
  return doc;
}

/** The finished document's bytes. */
export function toBuffer(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

export const contentWidth = (doc: Doc) => doc.page.width - MARGIN.left - MARGIN.right;
const bottomOf = (doc: Doc) => doc.page.height - MARGIN.bottom;

/** Starts a new page unless `height` more points fit on this one. */
export function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > bottomOf(doc)) {
    doc.addPage();
    doc.x = MARGIN.left;
  }
}

/** Writes one line of text at a place without moving the flow. */
export function textAt(doc: Doc, text: string, x: number, y: number, opts: { width?: number; align?: 'left' | 'right' | 'center'; size?: number; bold?: boolean; color?: string } = {}): void {
  doc.font(opts.bold ? BOLD : FONT).fontSize(opts.size ?? 10).fillColor(opts.color ?? INK);
  doc.text(text, x, y, { width: opts.width, align: opts.align ?? 'left', lineBreak: false });
  doc.font(FONT).fillColor(INK);
}

/** A numbered section heading with a rule under it. */
export function heading(doc: Doc, text: string, reserve = 80): void {
  ensureSpace(doc, reserve);
  doc.moveDown(0.6);
  const y = doc.y;
  doc.font(BOLD).fontSize(13).fillColor(INK).text(text, MARGIN.left, y);
  const below = doc.y + 2;
  doc.moveTo(MARGIN.left, below).lineTo(MARGIN.left + contentWidth(doc), below).lineWidth(0.8).strokeColor(INK).stroke();
  doc.y = below + 8;
  doc.x = MARGIN.left;
  doc.font(FONT).fontSize(10);
}

/** A paragraph in the flow. */
export function paragraph(doc: Doc, text: string, opts: { size?: number; color?: string; gap?: number } = {}): void {
  doc.font(FONT).fontSize(opts.size ?? 10).fillColor(opts.color ?? INK);
  ensureSpace(doc, doc.heightOfString(text, { width: contentWidth(doc) }));
  doc.text(text, MARGIN.left, doc.y, { width: contentWidth(doc) });
  doc.fillColor(INK);
  doc.y += opts.gap ?? 4;
}

export interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right' | 'center';
}

/** A cell is text, or a drawing made in the cell's box (a bar of a chart). */
export type TableCell = string | ((doc: Doc, box: { x: number; y: number; w: number; h: number }) => void);

/**
 * A table in the flow: a shaded header row repeated on each page, thin rules, numbers aligned
 * right. `emphasis` rows (totals) are bold with a rule above.
 */
export function table(doc: Doc, columns: readonly Column[], rows: readonly { cells: readonly TableCell[]; emphasis?: boolean }[], opts: { rowHeight?: number; size?: number } = {}): void {
  const rowHeight = opts.rowHeight ?? 18;
  const size = opts.size ?? 9.5;
  const left = MARGIN.left;
  const width = columns.reduce((s, c) => s + c.width, 0);
  const pad = 4;
  const textY = (y: number) => y + (rowHeight - size * 1.25) / 2 + 1;

  const header = () => {
    const y = doc.y;
    doc.rect(left, y, width, rowHeight).fill(SHADE);
    let x = left;
    for (const c of columns) {
      textAt(doc, c.header, x + pad, textY(y), { width: c.width - 2 * pad, align: c.align ?? 'left', size, bold: true });
      x += c.width;
    }
    doc.moveTo(left, y + rowHeight).lineTo(left + width, y + rowHeight).lineWidth(0.8).strokeColor(INK).stroke();
    doc.y = y + rowHeight;
  };

  ensureSpace(doc, rowHeight * Math.min(rows.length + 1, 4));
  header();
  for (const row of rows) {
    if (doc.y + rowHeight > bottomOf(doc)) {
      doc.addPage();
      header();
    }
    const y = doc.y;
    let x = left;
    row.cells.forEach((cell, i) => {
      const c = columns[i]!;
      if (typeof cell === 'string') textAt(doc, cell, x + pad, textY(y), { width: c.width - 2 * pad, align: c.align ?? 'left', size, bold: row.emphasis });
      else cell(doc, { x: x + pad, y: y + 3, w: c.width - 2 * pad, h: rowHeight - 6 });
      x += c.width;
    });
    if (row.emphasis) doc.moveTo(left, y).lineTo(left + width, y).lineWidth(0.8).strokeColor(INK).stroke();
    doc.moveTo(left, y + rowHeight).lineTo(left + width, y + rowHeight).lineWidth(0.3).strokeColor(RULE).stroke();
    doc.y = y + rowHeight;
  }
  doc.x = left;
  doc.y += 6;
  doc.strokeColor(INK);
}

/** Writes "n / N" and a running title at the foot of every page (the pages were buffered). */
export function footers(doc: Doc, title: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing in the bottom margin must not trigger pdfkit's automatic page break.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - MARGIN.bottom + 18;
    doc.moveTo(MARGIN.left, y - 6).lineTo(doc.page.width - MARGIN.right, y - 6).lineWidth(0.3).strokeColor(RULE).stroke();
    textAt(doc, title, MARGIN.left, y, { size: 8, color: GREY, width: contentWidth(doc) - 80 });
    textAt(doc, `${i + 1} / ${range.count} ページ`, doc.page.width - MARGIN.right - 80, y, { size: 8, color: GREY, width: 80, align: 'right' });
    doc.page.margins.bottom = bottom;
  }
}
