import { afterAll, describe, expect, it } from 'vitest';
import type { DocumentModel } from '../../domain/document-text.js';
import { pdfText } from '../../testing/pdf-text.js';
import { fontSetup } from './font-files.js';
import { loadFontChain, parseFontFile } from './fonts.js';
import { renderPdf } from './render.js';
import { createRenderPool } from './render-pool.js';

const model = (docNo: string, paragraphs: number, rows = 3): DocumentModel => ({
  title: '催告函',
  docNo,
  verifyCode: 'ABCDE12345',
  verifyUrl: 'http://127.0.0.1:3000/verify/ABCDE12345',
  seal: null,
  blocks: [
    { type: 'title', text: '催告函' },
    { type: 'to', text: '张堃（身份证号：350502**********3X）：' },
    ...Array.from({ length: paragraphs }, (_, i) => ({
      type: 'paragraph' as const,
      text: `第${i + 1}段：您于2024年3月15日签订借款合同，尚欠人民币壹万零贰佰伍拾元零伍分。`,
    })),
    {
      type: 'table',
      header: ['项目', '金额（元）', '大写金额'],
      rows: Array.from({ length: rows }, (_, i) => [`第${i + 1}项`, '10,250.05', '人民币壹万零贰佰伍拾元零伍分']),
    },
    { type: 'sign', lines: ['闽南消费金融有限公司', '2026年11月20日'] },
  ],
});
const at = new Date('2026-11-20T02:00:00Z');

describe('PDF layout', () => {
  it('gives the same bytes for the same document and creation date', () => {
    const fonts = loadFontChain();
    expect(renderPdf([model('X-1', 2)], fonts, at).equals(renderPdf([model('X-1', 2)], fonts, at))).toBe(true);
    expect(
      renderPdf([model('X-1', 2)], fonts, new Date('2026-11-21T02:00:00Z')).equals(
        renderPdf([model('X-1', 2)], fonts, at),
      ),
    ).toBe(false);
  });

  it('lays text out the same with the shaping shared across documents as with a font parsed afresh', () => {
    const { chains } = fontSetup();
    const fresh = { regular: chains.regular.map(parseFontFile), bold: chains.bold.map(parseFontFile) };
    const shared = loadFontChain();
    // Render twice with the shared font, so the second time every run comes from its cache.
    renderPdf([model('X-2', 3)], shared, at);
    expect(renderPdf([model('X-2', 3)], shared, at).equals(renderPdf([model('X-2', 3)], fresh, at))).toBe(true);
  });

  it('flows a long document over pages, repeating the table header and numbering the pages', async () => {
    const { text, pages } = await pdfText(renderPdf([model('X-2', 25, 40)], loadFontChain(), at));
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(text).toContain(`第1页/共${pages}页`);
    expect(text).toContain(`第${pages}页/共${pages}页`);
    expect(text.match(/项目金额（元）大写金额/g)!.length).toBeGreaterThanOrEqual(2);
    expect(text).toContain('张堃');
  });

  it('numbers the pages of each document of a print file on its own', async () => {
    const { text, pages } = await pdfText(renderPdf([model('X-3', 1), model('X-4', 1)], loadFontChain(), at));
    expect(pages).toBe(2);
    expect(text).toContain('文书编号：X-3核验码：ABCDE12345第1页/共1页');
    expect(text).toContain('文书编号：X-4核验码：ABCDE12345第1页/共1页');
  });
});

describe('PDF rendering threads', () => {
  const pool = createRenderPool({ size: 2 });
  afterAll(() => pool.close());

  it('render on a thread the bytes the layout gives on this one', async () => {
    const [a, b] = await Promise.all([pool.render([model('P-1', 2)], at), pool.render([model('P-2', 2)], at)]);
    expect(a.equals(renderPdf([model('P-1', 2)], loadFontChain(), at))).toBe(true);
    expect(b.equals(renderPdf([model('P-2', 2)], loadFontChain(), at))).toBe(true);
  });

  it('write a print file with the documents in the order they were added', async () => {
    const print = pool.openPrint(at);
    for (const docNo of ['P-3', 'P-4', 'P-5']) print.add(model(docNo, 1));
    const { text, pages } = await pdfText(await print.finish());
    expect(pages).toBe(3);
    expect(text.indexOf('文书编号：P-3')).toBeLessThan(text.indexOf('文书编号：P-4'));
    expect(text.indexOf('文书编号：P-4')).toBeLessThan(text.indexOf('文书编号：P-5'));
  });

  it('refuse work once closed', async () => {
    const closed = createRenderPool({ size: 1 });
    await closed.close();
    await expect(closed.render([model('P-6', 1)], at)).rejects.toThrow('The PDF renderer is closed.');
    expect(() => closed.openPrint(at)).toThrow('The PDF renderer is closed.');
  });
});
