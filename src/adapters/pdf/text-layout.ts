/**
 * Lines of text set in a chain of fonts: which font sets each character (the first of the chain
 * that has it, so a rare name falls back run by run), how wide it is, and where lines break.
 * pdfkit's own line wrapper shapes every word to measure it and breaks a link at its hyphens; here a
 * run of ASCII (a link, an amount, a contract number) is never broken unless it is wider than the
 * line, Chinese breaks between any two characters, and closing punctuation never starts a line.
 */
import type { Font } from 'fontkit';
import { describeCharacters } from './font-coverage.js';

export interface Run {
  /** Index of the font in the chain. */
  font: number;
  text: string;
  width: number;
}

export interface Line {
  runs: Run[];
  width: number;
}

/** A character no font of the chain has: the document cannot be printed as written. */
export class MissingCharacterError extends Error {
  constructor(readonly characters: string[]) {
    super(`${describeCharacters(characters)} ${characters.length === 1 ? 'is' : 'are'} in none of the document fonts`);
  }
}

const NO_LINE_START = new Set('，。、；：？！）》」』”’…—～·％,.;:?!)]}〉】〕');
const NO_LINE_END = new Set('（《「『“‘([{〈【〔¥￥');
// A run of printable ASCII is one unbreakable word; anything else is one character.
const TOKENS = /[\x21-\x7e]+|\n|[^\S\n]+|./gsu;

interface FontFacts {
  index: Map<number, number>;
  advance: Map<number, number>[];
}
const facts = new WeakMap<readonly Font[], FontFacts>();

function factsOf(chain: readonly Font[]): FontFacts {
  let f = facts.get(chain);
  if (!f) {
    f = { index: new Map(), advance: chain.map(() => new Map()) };
    facts.set(chain, f);
  }
  return f;
}

/** The chain's index of the font that sets `cp`, or -1. */
function fontFor(chain: readonly Font[], cp: number): number {
  const f = factsOf(chain);
  let i = f.index.get(cp);
  if (i === undefined) {
    i = chain.findIndex((font) => font.hasGlyphForCodePoint(cp));
    f.index.set(cp, i);
  }
  return i;
}

/** Advance of `cp` in font `i`, in ems. */
function advance(chain: readonly Font[], i: number, cp: number): number {
  const map = factsOf(chain).advance[i]!;
  let a = map.get(cp);
  if (a === undefined) {
    const font = chain[i]!;
    a = font.glyphForCodePoint(cp).advanceWidth / font.unitsPerEm;
    map.set(cp, a);
  }
  return a;
}

/** The text split into runs of one font each; throws naming every character no font has. */
export function fontRuns(chain: readonly Font[], text: string, size: number, spacing = 0): Run[] {
  const runs: Run[] = [];
  const missing: string[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    // Spaces go with the run they are in; a font without a space glyph still advances.
    const i = /\s/.test(ch) && runs.length ? runs[runs.length - 1]!.font : fontFor(chain, cp);
    if (i < 0) {
      if (!missing.includes(ch)) missing.push(ch);
      continue;
    }
    const w = advance(chain, i, cp) * size + spacing;
    const last = runs[runs.length - 1];
    if (last && last.font === i) {
      last.text += ch;
      last.width += w;
    } else runs.push({ font: i, text: ch, width: w });
  }
  if (missing.length) throw new MissingCharacterError(missing);
  return runs;
}

export const widthOf = (chain: readonly Font[], text: string, size: number, spacing = 0) =>
  fontRuns(chain, text, size, spacing).reduce((w, r) => w + r.width, 0);

/** The text broken into lines of at most `width` (the first `indent` narrower). */
export function breakLines(
  chain: readonly Font[],
  text: string,
  opts: { size: number; width: number; indent?: number; spacing?: number },
): Line[] {
  const { size, width, indent = 0, spacing = 0 } = opts;
  // Units that may not be split: a token with the closing punctuation after it and opening punctuation before.
  const units: string[] = [];
  let glueNext = false;
  const blank = (u: string | undefined) => u !== undefined && /^\s+$/.test(u);
  for (const t of text.match(TOKENS) ?? []) {
    // Closing punctuation after a space goes with the word before the space.
    if (NO_LINE_START.has(t) && blank(units.at(-1)) && units.length > 1) {
      const space = units.pop()!;
      units[units.length - 1] += space;
    }
    const prev = units.length - 1;
    if (prev >= 0 && (glueNext || NO_LINE_START.has(t)) && t !== '\n' && !blank(t)) units[prev] += t;
    else units.push(t);
    glueNext = NO_LINE_END.has(t[t.length - 1]!);
  }
  const lines: string[] = [];
  let line = '';
  let lineWidth = 0;
  const room = () => width - (lines.length === 0 ? indent : 0);
  const end = () => {
    lines.push(line.trimEnd());
    line = '';
    lineWidth = 0;
  };
  for (const unit of units) {
    if (unit === '\n') {
      end();
      continue;
    }
    const isBlank = blank(unit);
    if (isBlank && line === '') continue;
    const w = widthOf(chain, unit, size, spacing);
    if (lineWidth + w <= room() + 0.01) {
      line += unit;
      lineWidth += w;
      continue;
    }
    if (isBlank) {
      end();
      continue;
    }
    if (line !== '') end();
    if (w <= room() + 0.01) {
      line = unit;
      lineWidth = w;
      continue;
    }
    // Wider than a whole line: split by character.
    for (const ch of unit) {
      const cw = widthOf(chain, ch, size, spacing);
      if (line !== '' && lineWidth + cw > room() + 0.01) end();
      line += ch;
      lineWidth += cw;
    }
  }
  if (line !== '' || lines.length === 0) end();
  return lines.map((l) => {
    const runs = fontRuns(chain, l, size, spacing);
    return { runs, width: runs.reduce((w, r) => w + r.width, 0) };
  });
}
