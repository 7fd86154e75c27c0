/**
 * The document model a template produces, and the line syntax it is written in. A template (the
 * wording, edited by legal staff) renders to lines such as
 *
 *   @title 催告函
 *   @to 王伟：
 *   @p 您于2024年3月15日与……
 *   @table 项目 | 金额（元） | 大写
 *   @row 本金 | 12,000.00 | 人民币壹万贰仟元整
 *   @sign
 *   闽南消费金融有限公司
 *   2026年11月20日
 *
 * which become blocks that the PDF layout (code) draws. A line without a directive continues the
 * block before it (a paragraph, or the next line of a signature) or, after a blank line, starts a new
 * paragraph. `@@` at the start of a line writes a literal `@`.
 */

export type Block =
  | { type: 'title'; text: string }
  | { type: 'subtitle'; text: string }
  | { type: 'right'; text: string }
  | { type: 'to'; text: string }
  | { type: 'heading'; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'note'; text: string }
  | { type: 'table'; header: string[]; rows: string[][] }
  | { type: 'sign'; lines: string[] };

/** A document ready for layout: the blocks plus what the layout prints on every page. */
export interface DocumentModel {
  title: string;
  docNo: string;
  verifyCode: string;
  verifyUrl: string;
  /** The organisation named in the drawn seal, or null for no seal. */
  seal: string | null;
  blocks: Block[];
  /** On a debtor's notice: the portal link (with its access code) printed with its QR code. */
  portal?: PortalLink | null;
}

export interface PortalLink {
  url: string;
  accessCode: string;
}

/** Every character a document prints: what its fonts must cover. */
export function printedText(model: DocumentModel): string {
  const blocks = model.blocks.map((b) =>
    b.type === 'table' ? [...b.header, ...b.rows.flat()].join('') : b.type === 'sign' ? b.lines.join('') : b.text,
  );
  return [
    model.title,
    model.docNo,
    model.verifyCode,
    model.verifyUrl,
    model.seal ?? '',
    ...blocks,
    model.portal?.url ?? '',
  ].join('');
}

/** The link printed on a debtor's notice: the portal, opened with the notice's access code. */
export const portalUrlOf = (publicUrl: string, accessCode: string) => `${publicUrl}/portal/?code=${accessCode}`;

export const DIRECTIVES = {
  title: 'the document title, centred in bold',
  subtitle: 'a centred line under the title',
  right: 'a right-aligned line (e.g. the document number)',
  to: 'the addressee line',
  h: 'a section heading',
  p: 'a paragraph, first line indented',
  note: 'small print',
  table: 'a table: its header cells separated by |',
  row: 'a row of the table above: cells separated by |',
  sign: 'the signature block: each following line right-aligned; the seal is drawn over it',
} as const;
export type Directive = keyof typeof DIRECTIVES;

export const isDirective = (s: string): s is Directive => Object.hasOwn(DIRECTIVES, s);

/** `@name rest` at the start of a line (after indentation), or null. `@@` is not a directive. */
export function directiveOf(line: string): { name: string; rest: string } | null {
  const m = /^\s*@([A-Za-z]+)(?:\s+(.*))?$/.exec(line);
  return m ? { name: m[1]!, rest: (m[2] ?? '').trim() } : null;
}

export interface TextProblem {
  line: number;
  message: string;
}

// Chinese text wraps anywhere; only two Latin words or numbers need a space where a line was broken.
const joinText = (a: string, b: string) =>
  a === '' ? b : /[A-Za-z0-9]$/.test(a) && /^[A-Za-z0-9]/.test(b) ? `${a} ${b}` : a + b;
const cells = (s: string) => s.split('|').map((c) => c.trim());

/** Parse document text into blocks; problems name the line. */
export function parseDocumentText(
  source: string,
): { ok: true; blocks: Block[] } | { ok: false; problems: TextProblem[] } {
  const blocks: Block[] = [];
  const problems: TextProblem[] = [];
  // The block that continuation lines extend; null after a blank line or a single-line block.
  let open: Block | null = null;

  source.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '') {
      open = null;
      return;
    }
    const d = trimmed.startsWith('@@') ? null : directiveOf(trimmed);
    if (!d) {
      const textLine = trimmed.startsWith('@@') ? trimmed.slice(1) : trimmed;
      const current = open as Block | null;
      if (current?.type === 'sign') current.lines.push(textLine);
      else if (current && 'text' in current) current.text = joinText(current.text, textLine);
      else {
        open = { type: 'paragraph', text: textLine };
        blocks.push(open);
      }
      return;
    }
    if (!isDirective(d.name)) {
      problems.push({
        line,
        message: `unknown directive @${d.name}; use one of ${Object.keys(DIRECTIVES)
          .map((k) => `@${k}`)
          .join(', ')}`,
      });
      return;
    }
    switch (d.name) {
      case 'table':
        if (d.rest === '') problems.push({ line, message: '@table needs its header cells, separated by |' });
        blocks.push({ type: 'table', header: cells(d.rest), rows: [] });
        open = null;
        return;
      case 'row': {
        const table = blocks[blocks.length - 1];
        if (table?.type !== 'table') {
          problems.push({ line, message: '@row must follow a @table line or another @row' });
          return;
        }
        const row = cells(d.rest);
        if (row.length !== table.header.length)
          problems.push({
            line,
            message: `@row has ${row.length} cells but the table has ${table.header.length} columns`,
          });
        table.rows.push(row);
        return;
      }
      case 'sign':
        open = { type: 'sign', lines: d.rest ? [d.rest] : [] };
        blocks.push(open);
        return;
      default: {
        const type = d.name === 'p' ? 'paragraph' : d.name === 'h' ? 'heading' : d.name;
        open = { type, text: d.rest } as Block;
        blocks.push(open);
        // A title or a right-aligned line is one line; the others take continuation lines.
        if (type === 'title' || type === 'subtitle' || type === 'right') open = null;
      }
    }
  });

  const titles = blocks.filter((b) => b.type === 'title').length;
  if (titles !== 1)
    problems.push({
      line: 0,
      message: titles === 0 ? 'the document has no @title line' : 'the document has more than one @title line',
    });
  if (!blocks.some((b) => b.type === 'sign'))
    problems.push({ line: 0, message: 'the document has no @sign block (issuer and date)' });
  return problems.length ? { ok: false, problems } : { ok: true, blocks };
}
