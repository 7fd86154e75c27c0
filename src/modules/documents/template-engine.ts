/**
 * Handlebars templates for documents: checking a template against its kind's data (syntax, then
 * template-checker.ts, then required fields and the structure it fills into) and filling it in for a
 * claim. Output is document text (src/domain/document-text.ts), never HTML, so nothing is HTML-escaped.
 */
import Handlebars from 'handlebars';
import {
  type DocumentData,
  dataSpec,
  type FieldSpec,
  type SpecFields,
  sampleData,
} from '../../domain/document-data.js';
import { type DocumentKind, KIND_RULES } from '../../domain/document-kinds.js';
import { type Block, parseDocumentText } from '../../domain/document-text.js';
import { type CheckOptions, inspectTemplate, type TemplateProblem } from './template-checker.js';

/** A template that passed its checks, ready to fill. */
export interface CheckedTemplate {
  kind: DocumentKind;
  render: (data: DocumentData) => string;
  /** Fields that may be absent and are printed outside an `{{#if}}` on them: a claim without one fails. */
  needsData: { path: string; label: string }[];
}

function syntaxLine(err: unknown): number | undefined {
  const e = err as { lineNumber?: number; message?: string };
  if (typeof e.lineNumber === 'number') return e.lineNumber;
  const m = /line (\d+)/.exec(e.message ?? '');
  return m ? Number(m[1]) : undefined;
}

/** Check a template of `kind`: every problem found, each naming the placeholder and line where known. */
export function checkTemplate(
  kind: DocumentKind,
  body: string,
  opts: CheckOptions,
): { ok: true; template: CheckedTemplate } | { ok: false; problems: TemplateProblem[] } {
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(body);
  } catch (err) {
    const line = syntaxLine(err);
    const detail = ((err as Error).message ?? String(err)).split('\n')[0]!.replace(/ - \d+:\d+$/, '');
    return {
      ok: false,
      problems: [
        {
          code: 'syntax',
          message: `${line ? `line ${line}: ` : ''}Handlebars syntax error: ${detail}`,
          ...(line ? { line } : {}),
        },
      ],
    };
  }
  const spec = dataSpec(kind);
  const checker = inspectTemplate(kind, spec, ast, opts);
  for (const req of KIND_RULES[kind].required) {
    if (![...checker.used].some((u) => u === req || u.startsWith(`${req}.`))) {
      checker.problems.push({
        code: 'missing_required_field',
        field: req,
        message: `the template does not use {{${req}}} (${labelOf(spec, req)}), which every ${KIND_RULES[kind].title} must show`,
      });
    }
  }
  if (checker.problems.length) return { ok: false, problems: checker.problems };

  const render = Handlebars.create().compile(body, {
    noEscape: true,
    knownHelpers: { if: true, unless: true, each: true, with: true },
    knownHelpersOnly: true,
  }) as (data: DocumentData) => string;
  const template: CheckedTemplate = {
    kind,
    render,
    needsData: [...checker.needsData].map(([path, label]) => ({ path, label })),
  };
  // Fill with sample data to check the structure the template produces (title, signature, tables).
  const parsed = parseDocumentText(render(sampleData(spec)));
  if (!parsed.ok) {
    return {
      ok: false,
      problems: parsed.problems.map((p) => ({
        code: 'structure' as const,
        message: p.line ? `filled-in line ${p.line}: ${p.message}` : p.message,
      })),
    };
  }
  return { ok: true, template };
}

function labelOf(spec: SpecFields, path: string): string {
  let fields: SpecFields | undefined = spec;
  let label = path;
  for (const part of path.split('.')) {
    const f: FieldSpec | undefined = fields?.[part];
    if (!f) break;
    label = f.label;
    fields = f.fields ?? f.list;
  }
  return label;
}

function valueAt(data: DocumentData, path: string): unknown {
  let v: unknown = data;
  for (const part of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  return v;
}

export type FillResult =
  | { ok: true; blocks: Block[] }
  | { ok: false; reason: 'missing_data'; missing: { path: string; label: string }[] }
  | { ok: false; reason: 'template'; problems: string[] };

/** Fill a checked template with a claim's data: the blocks, or the fields the claim lacks. */
export function fillTemplate(t: CheckedTemplate, data: DocumentData): FillResult {
  const missing = t.needsData.filter((n) => {
    const v = valueAt(data, n.path);
    return v === null || v === undefined || v === '';
  });
  if (missing.length) return { ok: false, reason: 'missing_data', missing };
  const parsed = parseDocumentText(t.render(data));
  if (!parsed.ok) return { ok: false, reason: 'template', problems: parsed.problems.map((p) => p.message) };
  return { ok: true, blocks: parsed.blocks };
}
