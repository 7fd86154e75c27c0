/**
 * For the notices bench: a sample document of each kind filled from its built-in template, the naive
 * way to render one (bare pdfkit with the full font files registered by path), and each kind's
 * rendering rate on one thread against that naive rate (issue 21 item 5: the same speed for every kind).
 */
import PDFDocument from 'pdfkit';
import { FULL_FONT_FILES } from '../../src/adapters/pdf/font-files.js';
import type { FontChain } from '../../src/adapters/pdf/fonts.js';
import { renderPdf } from '../../src/adapters/pdf/render.js';
import { addDays, shanghaiDate } from '../../src/domain/dates.js';
import { buildDocumentData } from '../../src/domain/document-data.js';
import { DOCUMENT_KINDS, type DocumentKind, KIND_RULES } from '../../src/domain/document-kinds.js';
import { type DocumentModel, portalUrlOf } from '../../src/domain/document-text.js';
import type { SampleClaim } from '../../src/modules/admin/sample-claims.js';
import { type CheckedTemplate, fillTemplate } from '../../src/modules/documents/template-engine.js';

const NOW = new Date('2026-11-20T02:00:00.000Z');
const PUBLIC_URL = 'http://127.0.0.1:3000';

/** The document of `kind` for a sample claim, with every section a kind may draw on filled in. */
export function sampleDocument(kind: DocumentKind, template: CheckedTemplate, s: SampleClaim): DocumentModel {
  const rules = KIND_RULES[kind];
  const issuedOn = shanghaiDate(NOW);
  const docNo = `BENCH-${rules.numberCode}-2026-000001`;
  const verifyCode = '7K2M9Q4XTB';
  const verifyUrl = `${PUBLIC_URL}/verify/${verifyCode}`;
  const accessCode = 'K7M4-Q9TX';
  const portal = rules.sections.includes('portal') ? { url: portalUrlOf(PUBLIC_URL, accessCode), accessCode } : null;
  const issuer = rules.issuer === 'creditor' ? '闽南消费金融有限公司' : '泉州市鲤城区金融纠纷人民调解委员会';
  const instalments = Array.from({ length: 6 }, (_, i) => ({
    seq: i + 1,
    dueDate: addDays(issuedOn, 30 * (i + 1)),
    amountFen: Math.round(s.principalFen / 6),
  }));
  const owed = s.principalFen + s.interestFen + s.penaltyFen + s.feesFen;
  const data = buildDocumentData(
    kind,
    {
      claim: { ...s, overdueSince: addDays(issuedOn, -s.overdueDays), aboveCapFen: 0 },
      issuer: { name: issuer },
      creditor: { name: '闽南消费金融有限公司', creditCode: '91350500MA2XXXXX0X' },
      debtor: { name: s.name, idNumber: s.idNumber, phone: s.phone, address: s.address },
      mediation: { name: '泉州市鲤城区金融纠纷人民调解委员会' },
      court: { name: '泉州市鲤城区人民法院' },
      settlement: {
        totalFen: s.principalFen,
        agreedOn: issuedOn,
        instalments,
        contracts: [
          {
            ...s,
            aboveCapFen: 0,
            owedFen: owed,
            shareFen: s.principalFen,
            waivedFen: owed - s.principalFen,
            instalmentsFen: instalments.map((i) => i.amountFen),
          },
        ],
      },
      basis: { caseNo: '（2026）闽0502民特123号', decidedOn: issuedOn },
    },
    { docNo, verifyCode, verifyUrl, issuedOn, version: 1, portal },
  );
  const filled = fillTemplate(template, data);
  if (!filled.ok) throw new Error(`The ${rules.title} template did not fill.`);
  return {
    title: rules.title,
    docNo,
    verifyCode,
    verifyUrl,
    seal: rules.seal ? issuer : null,
    blocks: filled.blocks,
    portal,
  };
}

/** The naive way: bare pdfkit and its own line wrapping, the full font files registered by path per document. */
export function bareDocument(model: DocumentModel): Buffer {
  const doc = new PDFDocument({ size: 'A4', margin: 64, font: '' as never, bufferPages: false });
  doc.registerFont('regular', FULL_FONT_FILES.regular);
  doc.registerFont('bold', FULL_FONT_FILES.bold);
  const width = doc.page.width - 128;
  for (const b of model.blocks) {
    if (b.type === 'table') {
      for (const r of [b.header, ...b.rows]) doc.font('regular').fontSize(10.5).text(r.join('    '), { width });
    } else if (b.type === 'sign') {
      for (const l of b.lines) doc.font('regular').fontSize(12).text(l, { width, align: 'right' });
    } else
      doc
        .font(b.type === 'title' ? 'bold' : 'regular')
        .fontSize(b.type === 'title' ? 20 : 12)
        .text(b.text, { width, align: b.type === 'title' ? 'center' : 'left', lineGap: 5 });
  }
  doc
    .font('regular')
    .fontSize(8.5)
    .text(`文书编号：${model.docNo}　核验码：${model.verifyCode}　核验网址：${model.verifyUrl}`);
  doc.end();
  const chunks: Buffer[] = [];
  for (let c = doc.read() as Buffer | null; c !== null; c = doc.read() as Buffer | null) chunks.push(c);
  return Buffer.concat(chunks);
}

const rateOf = (n: number, work: () => void) => {
  work();
  const t = performance.now();
  for (let i = 0; i < n; i++) work();
  return (n / (performance.now() - t)) * 1000;
};

/** Each kind rendered on one thread with the font chain, against the naive way for the same document. */
export function kindRates(
  templateOf: (kind: DocumentKind) => CheckedTemplate,
  sample: SampleClaim,
  fonts: FontChain,
  counts = { naive: 8, chain: 40 },
): void {
  console.log('\n| kind (one thread, rendering only) | naive documents/s | documents/s | ratio to naive |');
  console.log('|---|---|---|---|');
  for (const kind of DOCUMENT_KINDS) {
    const model = sampleDocument(kind, templateOf(kind), sample);
    const naive = rateOf(counts.naive, () => bareDocument(model));
    const chain = rateOf(counts.chain, () => renderPdf([model], fonts, NOW));
    console.log(
      `| ${KIND_RULES[kind].title} | ${naive.toFixed(1)} | ${chain.toFixed(1)} | ${(chain / naive).toFixed(2)} |`,
    );
  }
}
