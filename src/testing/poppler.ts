/**
 * Reading PDFs with poppler's tools, a reader that is not ours: the fonts a file embeds (pdffonts),
 * its text (pdftotext, with word boxes) and its pages as pixels (pdftoppm). Rendered pages are also
 * kept as PNG under .vitest-tmp/artefacts/ for a person to look at.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ARTEFACTS = path.resolve('.vitest-tmp/artefacts');

function withFile<T>(pdf: Buffer, work: (file: string, dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmp-poppler-'));
  try {
    const file = path.join(dir, 'doc.pdf');
    fs.writeFileSync(file, pdf);
    return work(file, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface EmbeddedFont {
  name: string;
  type: string;
  embedded: boolean;
  subset: boolean;
  unicode: boolean;
}

/** The fonts of the file as pdffonts lists them. */
export function pdfFonts(pdf: Buffer): EmbeddedFont[] {
  const out = withFile(pdf, (file) => execFileSync('pdffonts', [file], { encoding: 'utf8' }));
  return out
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((l) => {
      const [name, ...rest] = l.trim().split(/\s+/);
      // The last columns are: emb sub uni object ID.
      const flags = rest.slice(-5, -2);
      return {
        name: name!,
        type: rest.slice(0, -6).join(' '),
        embedded: flags[0] === 'yes',
        subset: flags[1] === 'yes',
        unicode: flags[2] === 'yes',
      };
    });
}

/** The text as pdftotext gives it (reading order, lines kept; with `layout`, a table's row on one line). */
export const pdfToText = (pdf: Buffer, { layout = false } = {}): string =>
  withFile(pdf, (file) =>
    execFileSync('pdftotext', [...(layout ? ['-layout'] : []), '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }),
  );

export interface Word {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Every word of the first page with its box in points (pdftotext -bbox). */
export function pdfWords(pdf: Buffer): Word[] {
  const html = withFile(pdf, (file) =>
    execFileSync('pdftotext', ['-bbox', '-f', '1', '-l', '1', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }),
  );
  return [
    ...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g),
  ].map((m) => ({ xMin: +m[1]!, yMin: +m[2]!, xMax: +m[3]!, yMax: +m[4]!, text: m[5]! }));
}

export interface Pixels {
  width: number;
  height: number;
  /** RGB, three bytes a pixel, rows top to bottom. */
  rgb: Buffer;
  /** Pixels per point. */
  scale: number;
}

/** Page `page` rendered at `dpi`; the PNG is kept as artefact `name`. */
export function renderPage(pdf: Buffer, name: string, page = 1, dpi = 144): Pixels {
  return withFile(pdf, (file, dir) => {
    const args = ['-f', String(page), '-l', String(page), '-r', String(dpi), '-singlefile'];
    execFileSync('pdftoppm', [...args, file, path.join(dir, 'page')]);
    fs.mkdirSync(ARTEFACTS, { recursive: true });
    execFileSync('pdftoppm', [...args, '-png', file, path.join(ARTEFACTS, name)]);
    const ppm = fs.readFileSync(path.join(dir, 'page.ppm'));
    // P6 header: magic, width, height, maximum value, each followed by whitespace.
    const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(ppm.subarray(0, 64).toString('latin1'))!;
    return {
      width: Number(header[1]),
      height: Number(header[2]),
      rgb: ppm.subarray(header[0].length),
      scale: dpi / 72,
    };
  });
}

/** RGBA as jsQR reads it. */
export function rgba(p: Pixels): Uint8ClampedArray {
  const out = new Uint8ClampedArray(p.width * p.height * 4);
  for (let i = 0, j = 0; i < p.rgb.length; i += 3, j += 4) {
    out[j] = p.rgb[i]!;
    out[j + 1] = p.rgb[i + 1]!;
    out[j + 2] = p.rgb[i + 2]!;
    out[j + 3] = 255;
  }
  return out;
}

/** The share of pixels in a box (in points) whose colour passes `test`. */
export function shareOf(
  p: Pixels,
  box: Omit<Word, 'text'>,
  test: (r: number, g: number, b: number) => boolean,
): number {
  let hit = 0;
  let all = 0;
  for (let y = Math.floor(box.yMin * p.scale); y < Math.ceil(box.yMax * p.scale); y++)
    for (let x = Math.floor(box.xMin * p.scale); x < Math.ceil(box.xMax * p.scale); x++) {
      const i = (y * p.width + x) * 3;
      all++;
      if (test(p.rgb[i]!, p.rgb[i + 1]!, p.rgb[i + 2]!)) hit++;
    }
  return all ? hit / all : 0;
}

/** What pdfsig says of each signature: its fields as `name: value`, e.g. `Signature Validation`. */
export function pdfSignatures(pdf: Buffer): Record<string, string>[] {
  // pdfsig exits non-zero for a file without signatures; its report is on stdout either way.
  const out = withFile(pdf, (file) => {
    try {
      return execFileSync('pdfsig', [file], { encoding: 'utf8' });
    } catch (err) {
      return String((err as { stdout?: string }).stdout ?? '');
    }
  });
  const signatures: Record<string, string>[] = [];
  for (const line of out.split('\n')) {
    if (/^Signature #\d+:/.test(line)) signatures.push({});
    const field = /^\s+- ([^:]+?)(?:: (.*))?$/.exec(line);
    if (field && signatures.length) signatures.at(-1)![field[1]!] = field[2] ?? 'yes';
  }
  return signatures;
}
