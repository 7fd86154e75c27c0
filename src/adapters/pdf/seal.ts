/**
 * The drawn seal: a red ring, the organisation's name along its upper arc and a star in the middle.
 * The name is drawn as the glyphs' outlines, not as text: a reader extracting the page's text would
 * otherwise get its characters one by one, scattered through the signature block.
 */
import type { FontChain } from './fonts.js';
import { fontRuns } from './text-layout.js';
import type { Doc } from './typeset.js';

export const SEAL_RADIUS = 44;
const SEAL_RED = '#c8102e';
/** The star's centre below the ring's: the ring text takes the upper part. */
export const STAR_DROP = 6;
export const STAR_RADIUS = SEAL_RADIUS * 0.3;

/** A seal centred on (cx, cy); the star's centre is STAR_DROP below. */
export function drawSeal(doc: Doc, fonts: FontChain, name: string, cx: number, cy: number): void {
  const chars = [...name];
  const size = Math.min(11, Math.max(7, 150 / Math.max(chars.length, 1)));
  const chain = fonts.regular;
  doc.save();
  doc.lineWidth(2).strokeColor(SEAL_RED).circle(cx, cy, SEAL_RADIUS).stroke();
  // The name runs clockwise over about 240 degrees of the ring, centred on the top.
  const span = Math.min(240, chars.length * 22);
  chars.forEach((ch, i) => {
    const run = fontRuns(chain, ch, size)[0];
    if (!run) return;
    const font = chain[run.font]!;
    const glyph = font.glyphsForString(ch)[0]!;
    const scale = size / font.unitsPerEm;
    const angle = -span / 2 + (chars.length === 1 ? span / 2 : (span * i) / (chars.length - 1));
    doc.save();
    // Glyph outlines are in font units with y up: scale, flip, and put the baseline under the ring.
    doc
      .translate(cx, cy)
      .rotate(angle)
      .translate(-run.width / 2, -SEAL_RADIUS + 4 + (font.ascent / font.unitsPerEm) * size)
      .scale(scale, -scale);
    doc.path(glyph.path.toSVG()).fill(SEAL_RED);
    doc.restore();
  });
  const star: [number, number][] = Array.from({ length: 10 }, (_, i) => {
    const a = (Math.PI / 5) * i - Math.PI / 2;
    const r = i % 2 === 0 ? STAR_RADIUS : STAR_RADIUS * 0.4;
    return [cx + r * Math.cos(a), cy + STAR_DROP + r * Math.sin(a)];
  });
  doc.polygon(...star).fill(SEAL_RED);
  doc.restore();
}
