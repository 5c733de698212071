import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * BIZ UDPGothic (OFL), a universal-design Japanese font made for public documents: pdfkit's
 * standard fonts have no Japanese glyphs. The TrueType files are read once and kept (about 9 MB);
 * each document embeds only the glyphs it uses.
 */
export interface DocumentFonts {
  regular: Buffer;
  bold: Buffer;
}

let loaded: DocumentFonts | undefined;

export function documentFonts(): DocumentFonts {
  loaded ??= {
    regular: readFileSync(require.resolve('@expo-google-fonts/biz-udpgothic/400Regular/BIZUDPGothic_400Regular.ttf')),
    bold: readFileSync(require.resolve('@expo-google-fonts/biz-udpgothic/700Bold/BIZUDPGothic_700Bold.ttf')),
  };
  return loaded;
}
