/**
 * Checking a template's placeholders and text against its kind's data: unknown placeholders and
 * helpers, fields that may be absent printed without an {{#if}}, court wording and directives.
 * Only the built-in block helpers `if`, `unless`, `each` and `with` exist; there are no partials.
 */
import type { FieldSpec, SpecFields } from '../../domain/document-data.js';
import { type DocumentKind, findCourtWording, KIND_RULES } from '../../domain/document-kinds.js';
import { DIRECTIVES, directiveOf, isDirective } from '../../domain/document-text.js';

export type TemplateProblemCode =
  | 'syntax'
  | 'unknown_placeholder'
  | 'unknown_helper'
  | 'missing_required_field'
  | 'court_wording'
  | 'unknown_directive'
  | 'structure';

export interface TemplateProblem {
  code: TemplateProblemCode;
  message: string;
  line?: number;
  /** The placeholder concerned, e.g. `debtor.nam`. */
  field?: string;
}

export interface CheckOptions {
  /** Court wording is allowed (documents filed with a court, or a court's own template). */
  courtWording: boolean;
}

const BLOCK_HELPERS = ['if', 'unless', 'each', 'with'] as const;
const LIST_DATA = ['index', 'first', 'last'];

interface Scope {
  fields: SpecFields;
  /** Full path of this context from the root, e.g. `settlement`; null inside a list item. */
  path: string | null;
  /** Inside a list item: the list's path, under which uses are recorded (`instalments.amount.yuan`). */
  listPath: string | null;
  parent: Scope | null;
}

const fieldNames = (fields: SpecFields) => Object.keys(fields).join(', ');

class Checker {
  readonly problems: TemplateProblem[] = [];
  readonly used = new Set<string>();
  readonly needsData = new Map<string, string>();

  constructor(
    private readonly kind: DocumentKind,
    private readonly root: Scope,
    private readonly opts: CheckOptions,
  ) {}

  private problem(code: TemplateProblemCode, message: string, node?: hbs.AST.Node, field?: string) {
    const line = node?.loc?.start.line;
    this.problems.push({
      code,
      message: line ? `line ${line}: ${message}` : message,
      ...(line ? { line } : {}),
      ...(field ? { field } : {}),
    });
  }

  /** Resolve a path in `scope`; unless it is only tested, records its use and the nullable fields on it not guarded by an {{#if}}. */
  private resolve(
    p: hbs.AST.PathExpression,
    scope: Scope,
    guards: readonly string[],
    mode: 'print' | 'condition' | 'each' | 'with',
  ): { spec: FieldSpec; path: string | null } | null {
    let parts = [...p.parts];
    let at: Scope = scope;
    if (p.data) {
      const name = parts[0] ?? '';
      if (name === 'root') {
        at = this.root;
        parts = parts.slice(1);
      } else if (
        LIST_DATA.includes(name) &&
        parts.length === 1 &&
        scope.path === null &&
        mode !== 'each' &&
        mode !== 'with'
      ) {
        return { spec: { label: `@${name}` }, path: null };
      } else {
        this.problem(
          'unknown_placeholder',
          `unknown placeholder {{${p.original}}}: only @index, @first and @last inside {{#each}}, and @root.…`,
          p,
          p.original,
        );
        return null;
      }
    }
    for (let i = 0; i < p.depth; i++) {
      if (!at.parent) {
        this.problem('unknown_placeholder', `{{${p.original}}} goes up more levels than there are`, p, p.original);
        return null;
      }
      at = at.parent;
    }
    let spec: FieldSpec = { label: '', fields: at.fields };
    let path = at.path;
    for (const part of parts) {
      const next = spec.fields?.[part];
      if (!next) {
        const where = path ? `"${path}"` : 'this context';
        this.problem(
          'unknown_placeholder',
          `unknown placeholder {{${p.original}}}: ${where} of a ${KIND_RULES[this.kind].title} has no field "${part}" (it has: ${fieldNames(spec.fields ?? spec.list ?? {})})`,
          p,
          p.original,
        );
        return null;
      }
      spec = next;
      path = path === null ? null : path ? `${path}.${part}` : part;
      // A field only tested in {{#if}} is not shown, so it does not count as used.
      if (path !== null && mode !== 'condition') {
        this.used.add(path);
        const guarded = guards.some((g) => g === path || g.startsWith(`${path}.`));
        if (next.nullable && !guarded) this.needsData.set(path, next.label);
      }
    }
    if (at.listPath && mode !== 'condition') this.used.add([at.listPath, ...parts].join('.'));
    return { spec, path };
  }

  walk(program: hbs.AST.Program, scope: Scope, guards: readonly string[]): void {
    for (const node of program.body) this.statement(node, scope, guards);
  }

  private statement(node: hbs.AST.Statement, scope: Scope, guards: readonly string[]): void {
    switch (node.type) {
      case 'ContentStatement':
        this.content(node as hbs.AST.ContentStatement);
        return;
      case 'CommentStatement':
        return;
      case 'MustacheStatement': {
        const m = node as hbs.AST.MustacheStatement;
        if (m.path.type !== 'PathExpression' || m.params.length || (m.hash?.pairs.length ?? 0)) {
          const name =
            m.path.type === 'PathExpression'
              ? (m.path as hbs.AST.PathExpression).original
              : String((m.path as { original?: unknown }).original ?? m.path.type);
          this.problem(
            'unknown_helper',
            `{{${name} …}} calls a helper; templates print fields only ({{debtor.name}}) and use {{#if}}, {{#unless}}, {{#each}}, {{#with}}`,
            m,
            name,
          );
          return;
        }
        const path = m.path as hbs.AST.PathExpression;
        if ((BLOCK_HELPERS as readonly string[]).includes(path.original)) {
          this.problem(
            'syntax',
            `{{${path.original}}} is a block helper: write {{#${path.original} …}}…{{/${path.original}}}`,
            m,
            path.original,
          );
          return;
        }
        const r = this.resolve(path, scope, guards, 'print');
        if (r && (r.spec.fields || r.spec.list)) {
          const sub = Object.keys(r.spec.fields ?? r.spec.list ?? {}).map((k) => `${path.original}.${k}`);
          this.problem(
            'unknown_placeholder',
            `{{${path.original}}} is a group, not a value: print one of its fields (${sub.join(', ')})`,
            m,
            path.original,
          );
        }
        return;
      }
      case 'BlockStatement':
        this.block(node as hbs.AST.BlockStatement, scope, guards);
        return;
      default:
        this.problem(
          'unknown_helper',
          `${node.type.replace('Statement', '').toLowerCase()}s are not supported in document templates`,
          node,
        );
    }
  }

  private block(b: hbs.AST.BlockStatement, scope: Scope, guards: readonly string[]): void {
    const name = b.path.type === 'PathExpression' ? (b.path as hbs.AST.PathExpression).original : '';
    if (!(BLOCK_HELPERS as readonly string[]).includes(name)) {
      this.problem('unknown_helper', `unknown block helper {{#${name}}}: use #if, #unless, #each or #with`, b, name);
      return;
    }
    const param = b.params[0];
    if (b.params.length !== 1 || param?.type !== 'PathExpression' || (b.hash?.pairs.length ?? 0)) {
      this.problem('syntax', `{{#${name}}} takes exactly one field, e.g. {{#${name} debtor.address}}`, b, name);
      return;
    }
    const p = param as hbs.AST.PathExpression;
    const mode = name === 'each' ? 'each' : name === 'with' ? 'with' : 'condition';
    const r = this.resolve(p, scope, guards, mode);
    if (!r) return;
    const guardOf = r.path === null ? [] : [r.path];
    if (name === 'if' || name === 'unless') {
      this.walk(b.program, scope, name === 'if' ? [...guards, ...guardOf] : guards);
      if (b.inverse) this.walk(b.inverse, scope, name === 'unless' ? [...guards, ...guardOf] : guards);
      return;
    }
    if (name === 'each' && !r.spec.list) {
      this.problem(
        'syntax',
        `{{#each ${p.original}}} needs a list (e.g. instalments); ${p.original} is not one`,
        b,
        p.original,
      );
      return;
    }
    if (name === 'with' && !r.spec.fields) {
      this.problem(
        'syntax',
        `{{#with ${p.original}}} needs a group of fields; ${p.original} is a single value`,
        b,
        p.original,
      );
      return;
    }
    const inner: Scope =
      name === 'each'
        ? { fields: r.spec.list!, path: null, listPath: r.path ?? scope.listPath, parent: scope }
        : { fields: r.spec.fields!, path: r.path, listPath: scope.listPath, parent: scope };
    this.walk(b.program, inner, [...guards, ...guardOf]);
    if (b.inverse) this.walk(b.inverse, scope, guards);
  }

  private content(c: hbs.AST.ContentStatement): void {
    // The text as written, before whitespace control (the typings call it StripFlags, wrongly).
    const text = (c as unknown as { original: string }).original;
    const startLine = c.loc?.start.line ?? 1;
    if (!this.opts.courtWording) {
      const found = findCourtWording(text);
      if (found) {
        const line = startLine + (text.slice(0, found.index).match(/\n/g)?.length ?? 0);
        this.problems.push({
          code: 'court_wording',
          line,
          field: found.word,
          message: `line ${line}: "${found.word}" is court wording; a ${KIND_RULES[this.kind].title} is not issued by a court and must not look like a court document (DOMAIN.md §6.1)`,
        });
      }
    }
    // Directives count only at the start of a template line.
    text.split('\n').forEach((segment, i) => {
      if (i === 0 && (c.loc?.start.column ?? 0) !== 0) return;
      const d = segment.trimStart().startsWith('@@') ? null : directiveOf(segment);
      if (d && !isDirective(d.name)) {
        const line = startLine + i;
        this.problems.push({
          code: 'unknown_directive',
          line,
          field: `@${d.name}`,
          message: `line ${line}: unknown directive @${d.name}; use one of ${Object.keys(DIRECTIVES)
            .map((k) => `@${k}`)
            .join(', ')}`,
        });
      }
    });
  }
}

/** What a parsed template uses of its kind's data, and every problem found on the way. */
export function inspectTemplate(
  kind: DocumentKind,
  spec: SpecFields,
  ast: hbs.AST.Program,
  opts: CheckOptions,
): { problems: TemplateProblem[]; used: ReadonlySet<string>; needsData: ReadonlyMap<string, string> } {
  const root: Scope = { fields: spec, path: '', listPath: null, parent: null };
  const checker = new Checker(kind, root, opts);
  checker.walk(ast, root, []);
  return checker;
}
