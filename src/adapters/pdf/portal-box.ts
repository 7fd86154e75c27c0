/**
 * The box a debtor's notice ends with: the QR code of the portal link with its access code, the link
 * itself on one line (smaller type rather than a break: a broken link cannot be typed), the access
 * code, and the document's verification code and link, all where a reader of the paper looks for
 * what to do next.
 */
import type { DocumentModel, PortalLink } from '../../domain/document-text.js';
import type { FontChain } from './fonts.js';
import { qrMatrix } from './qr.js';
import { type Doc, MARGIN, type TextStyle, writeLines } from './typeset.js';

export const PORTAL_BOX_HEIGHT = 112;
const QR_SIZE = 84;
const PAD = 12;
const INK = '#111111';

/** The QR code as one filled path of dark modules, with its four-module quiet zone left white. */
function drawQr(doc: Doc, payload: string, x: number, y: number, size: number): void {
  const m = qrMatrix(payload);
  const cell = size / (m.size + 8);
  doc.save().rect(x, y, size, size).fill('#ffffff');
  for (let r = 0; r < m.size; r++)
    for (let c = 0; c < m.size; c++) if (m.dark(r, c)) doc.rect(x + (c + 4) * cell, y + (r + 4) * cell, cell, cell);
  doc.fill('#000000').restore();
}

export function drawPortalBox(doc: Doc, fonts: FontChain, portal: PortalLink, model: DocumentModel): void {
  const width = doc.page.width - MARGIN.left - MARGIN.right;
  const top = doc.y;
  doc.save().lineWidth(0.8).strokeColor('#444444').rect(MARGIN.left, top, width, PORTAL_BOX_HEIGHT).stroke().restore();
  drawQr(doc, portal.url, MARGIN.left + PAD / 2, top + (PORTAL_BOX_HEIGHT - QR_SIZE) / 2, QR_SIZE);
  const x = MARGIN.left + QR_SIZE + PAD;
  const textWidth = width - QR_SIZE - 2 * PAD;
  const s = (size: number, weight: TextStyle['weight'] = 'regular'): TextStyle => ({
    weight,
    size,
    colour: INK,
    lineGap: 3,
  });
  let y = top + PAD;
  const put = (text: string, st: TextStyle) => {
    const laid = writeLines(fonts, text, st, textWidth);
    laid.draw(doc, x, y, 'left', textWidth);
    y += laid.height;
  };
  put('扫描左侧二维码，或在浏览器中输入下列网址，登录调解平台查看案件、提出还款方案或异议：', s(10, 'bold'));
  // The link on one line: its type shrinks to fit rather than break.
  const one = Number.POSITIVE_INFINITY;
  let size = 11;
  while (size > 6 && writeLines(fonts, portal.url, s(size), one).width > textWidth) size -= 0.5;
  const link = writeLines(fonts, portal.url, s(size), one);
  link.draw(doc, x, y + 2, 'left', textWidth);
  y += link.height + 4;
  put(`访问码：${portal.accessCode}（登录时另需输入您身份证号码的后六位；仅限本人使用）`, s(10));
  put(`本文书核验码：${model.verifyCode}　核验网址：${model.verifyUrl}`, s(9));
  doc.y = top + PORTAL_BOX_HEIGHT;
}
