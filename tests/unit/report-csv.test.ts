import { describe, expect, it } from 'vitest';
import { csvCell, csvText } from '../../server/reports/csv.js';

describe('csvCell', () => {
  it.each([
    // A cell a spreadsheet would run as a formula is defused with a leading apostrophe (OWASP, CSV injection).
    ['=cmd|"/C calc"!A0', `"'=cmd|""/C calc""!A0"`],
    ['+81-90-0000-0000', `"'+81-90-0000-0000"`],
    ['-2+3', `"'-2+3"`],
    ['@SUM(A1:A2)', `"'@SUM(A1:A2)"`],
    ['\t=1+1', `"'\t=1+1"`],
    ['\r=1+1', `"'\r=1+1"`],
    // Only the first character matters: a formula sign inside the text is harmless.
    ['会議 = 打ち合わせ', '"会議 = 打ち合わせ"'],
    // Quotes are doubled; commas and line breaks stay inside the quotes.
    ['「こども食堂」"準備"', '"「こども食堂」""準備"""'],
    ['a,b', '"a,b"'],
    ['一行目\r\n二行目', '"一行目\r\n二行目"'],
    ['', '""'],
  ])('text %j is written as %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it.each([
    [1200, '1200'],
    // A number is a number: a refund's negative amount is not text to defuse.
    [-500, '-500'],
    [12.5, '12.5'],
    [null, ''],
    [Number.NaN, ''],
  ])('%j is written as %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });
});

describe('csvText', () => {
  it('starts with a BOM and ends every row with CRLF, so Excel in Japan reads UTF-8', () => {
    const text = csvText([['利用日', '件数'], ['2026-11-01', 3]]);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.slice(1)).toBe('"利用日","件数"\r\n"2026-11-01",3\r\n');
  });
});
