import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * The text of each page of a PDF, as a reader's copy-and-paste would give it: the runs in drawing
 * order joined by single spaces. pdfjs-dist is plain JavaScript, so `npm test` needs no system
 * package (pdftotext) to read what a document says.
 */
export async function pdfPages(bytes: Uint8Array | Buffer): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  try {
    const pages: string[] = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const content = await (await doc.getPage(i)).getTextContent();
      const runs = content.items.map((item) => ('str' in item ? item.str : '')).filter((s) => s.trim() !== '');
      pages.push(runs.join(' ').replace(/\s+/g, ' '));
    }
    return pages;
  } finally {
    await doc.destroy();
  }
}

export async function pdfText(bytes: Uint8Array | Buffer): Promise<string> {
  return (await pdfPages(bytes)).join('\n');
}
