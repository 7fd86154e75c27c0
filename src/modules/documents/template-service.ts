/**
 * Template versions. The files in templates/ are the platform defaults, seeded into the `templates`
 * table on start (a new version when a file was edited); a creditor or mediation organisation can
 * upload its own versions of the kinds it issues, and the platform administrator new defaults. A
 * document uses the latest version of its issuer's own template, else the latest platform default,
 * and records which. Every template is checked when it is uploaded and again when it is loaded.
 */

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, desc, eq, isNull, or } from 'drizzle-orm';
import type { Clock } from '../../adapters/clock.js';
import { describeCharacters, type FontCoverage } from '../../adapters/pdf/font-coverage.js';
import type { DB } from '../../db/open.js';
import { organisations, templates } from '../../db/schema/index.js';
import { dataSpec, type SpecFields, sampleData } from '../../domain/document-data.js';
import { DOCUMENT_KINDS, type DocumentKind, KIND_RULES } from '../../domain/document-kinds.js';
import { DIRECTIVES, type DocumentModel } from '../../domain/document-text.js';
import type { OrgKind } from '../../domain/roles.js';
import { AppError } from '../../errors.js';
import type { Principal } from '../auth/principal.js';
import type { TemplateVersionView, TemplateView } from './schemas.js';
import type { TemplateProblem } from './template-checker.js';
import { type CheckedTemplate, checkTemplate, fillTemplate } from './template-engine.js';

/** The committed templates at the repository root, found from src/ and from dist/ alike. */
/** Printed where a specimen has no number or code of its own. */
const SPECIMEN = '样张';

export const BUILT_IN_TEMPLATES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../templates');

type TemplateRow = typeof templates.$inferSelect;

export interface LoadedTemplate {
  id: number;
  version: number;
  checked: CheckedTemplate;
}

export type TemplateService = ReturnType<typeof createTemplateService>;

const MEDIATING_ORGS: readonly OrgKind[] = ['mediation_committee', 'court'];

/** Whether an organisation of `orgKind` issues documents of `kind`. */
export function orgIssues(orgKind: OrgKind, kind: DocumentKind): boolean {
  return KIND_RULES[kind].issuer === 'creditor' ? orgKind === 'creditor' : MEDIATING_ORGS.includes(orgKind);
}

/** Court wording is for documents filed with a court, and for a court's own templates. */
const courtWordingAllowed = (kind: DocumentKind, orgKind: OrgKind | null) =>
  KIND_RULES[kind].courtWording || orgKind === 'court';

const TEMPLATE_PROBLEMS_ZH: Record<TemplateProblem['code'], string> = {
  syntax: '模板语法错误',
  unknown_placeholder: '未知的占位符',
  unknown_helper: '不支持的模板函数',
  missing_required_field: '缺少此类文书必须写明的内容',
  court_wording: '非法院出具的文书不得使用法院的措辞',
  unknown_directive: '未知的排版指令',
  structure: '填入样例数据后文书结构有误',
};

/** A template problem as the person fixing the template reads it: the line, what is wrong, and where. */
export function templateProblemZh(p: TemplateProblem): string {
  const where = p.line ? `第 ${p.line} 行：` : '';
  const what = p.field ? `{{${p.field}}}` : '';
  return `${where}${TEMPLATE_PROBLEMS_ZH[p.code]}${what ? ` ${what}` : ''}（${p.message}）`;
}

export function templateProblemsError(what: string, problems: TemplateProblem[]): AppError {
  return new AppError(
    'unprocessable',
    `${what} has ${problems.length} problem${problems.length === 1 ? '' : 's'}: ${problems.map((p) => p.message).join('; ')}.`,
    {
      reason: problems[0]!.code,
      fields: problems.map((p) => ({
        field: p.field ? `/body/template/${p.field}` : '/body/template',
        message: p.message,
        zh: templateProblemZh(p),
      })),
    },
  );
}

/** The text a template prints as written (without its comments and placeholders). */
const literalText = (body: string) =>
  body
    .replace(/\{\{!--[\s\S]*?--\}\}/g, '')
    .replace(/\{\{![\s\S]*?\}\}/g, '')
    .replace(/\{\{[\s\S]*?\}\}/g, '');

export function createTemplateService({
  db,
  clock,
  fonts,
  dir = BUILT_IN_TEMPLATES_DIR,
}: {
  db: DB;
  clock: Clock;
  /** A template whose own text has a character no document font has is refused at upload. */
  fonts: FontCoverage;
  dir?: string;
}) {
  // Template rows never change, so a checked template is kept by id.
  const cache = new Map<number, CheckedTemplate>();

  const orgKindOf = (orgId: number | null): OrgKind | null =>
    orgId === null
      ? null
      : (db.select({ kind: organisations.kind }).from(organisations).where(eq(organisations.id, orgId)).get()?.kind ??
        null);

  function load(row: TemplateRow): LoadedTemplate {
    let checked = cache.get(row.id);
    if (!checked) {
      const kind = row.kind as DocumentKind;
      const result = checkTemplate(kind, row.body, { courtWording: courtWordingAllowed(kind, orgKindOf(row.orgId)) });
      if (!result.ok)
        throw templateProblemsError(
          `Version ${row.version} of the ${KIND_RULES[kind].title} template${row.orgId === null ? '' : ` of organisation ${row.orgId}`}`,
          result.problems,
        );
      checked = result.template;
      cache.set(row.id, checked);
    }
    return { id: row.id, version: row.version, checked };
  }

  const latest = (kind: DocumentKind, orgId: number | null) =>
    db
      .select()
      .from(templates)
      .where(and(eq(templates.kind, kind), orgId === null ? isNull(templates.orgId) : eq(templates.orgId, orgId)))
      .orderBy(desc(templates.version))
      .limit(1)
      .get();

  const versionView = (row: TemplateRow): TemplateVersionView => ({
    id: row.id,
    kind: row.kind,
    version: row.version,
    scope: row.orgId === null ? 'platform' : 'organisation',
    orgId: row.orgId,
    createdAt: row.createdAt.toISOString(),
  });

  function insertVersion(
    kind: DocumentKind,
    orgId: number | null,
    body: string,
    createdBy: number | null,
  ): TemplateRow {
    return db.transaction((tx) => {
      const last = tx
        .select({ version: templates.version })
        .from(templates)
        .where(and(eq(templates.kind, kind), orgId === null ? isNull(templates.orgId) : eq(templates.orgId, orgId)))
        .orderBy(desc(templates.version))
        .limit(1)
        .get();
      return tx
        .insert(templates)
        .values({ kind, orgId, version: (last?.version ?? 0) + 1, body, createdBy, createdAt: clock.now() })
        .returning()
        .get();
    });
  }

  /** What an upload (or its preview) must pass: an organisation that issues the kind, a template that checks, fonts that print it. */
  function checkUpload(principal: Principal, kind: DocumentKind, body: string) {
    if (principal.kind === 'debtor') throw new AppError('forbidden', 'Debtors do not edit templates.');
    const orgId = principal.role === 'admin' ? null : principal.orgId;
    const orgKind = orgId === null ? null : principal.orgKind;
    if (orgKind !== null && !orgIssues(orgKind, kind)) {
      const issuer = KIND_RULES[kind].issuer === 'creditor' ? 'the creditor' : 'the mediating organisation';
      throw new AppError(
        'unprocessable',
        `A ${KIND_RULES[kind].title} is issued by ${issuer}, not by your organisation, so your own version would never be used.`,
        { reason: 'not_issuer' },
      );
    }
    const result = checkTemplate(kind, body, { courtWording: courtWordingAllowed(kind, orgKind) });
    if (!result.ok) throw templateProblemsError('The template', result.problems);
    const missing = fonts.missing(literalText(body));
    if (missing.length)
      throw new AppError(
        'unprocessable',
        `The ${KIND_RULES[kind].title} template uses ${describeCharacters(missing)}, which no document font has: change the wording, or install a font that has ${missing.length === 1 ? 'it' : 'them'} (DOCUMENT_EXTENDED_FONT).`,
        { reason: 'missing_character' },
      );
    return { orgId, checked: result.template };
  }

  return {
    /**
     * Check the files in templates/ and make each the latest platform version unless it already is
     * the latest seeded one; throws naming the file and its problems, so a broken file stops the start.
     */
    seedDefaults(): void {
      for (const kind of DOCUMENT_KINDS) {
        const file = path.join(dir, `${kind}.hbs`);
        const body = fs.readFileSync(file, 'utf8');
        const result = checkTemplate(kind, body, { courtWording: courtWordingAllowed(kind, null) });
        if (!result.ok) throw new Error(`${file}: ${result.problems.map((p) => p.message).join('; ')}`);
        // Seeded rows have no author; an administrator's upload stays the latest until the file changes.
        const seeded = db
          .select({ body: templates.body })
          .from(templates)
          .where(and(eq(templates.kind, kind), isNull(templates.orgId), isNull(templates.createdBy)))
          .orderBy(desc(templates.version))
          .limit(1)
          .get();
        if (seeded?.body !== body) insertVersion(kind, null, body, null);
      }
    },

    /** The template a document of `kind` issued by `issuerOrgId` is made from, checked. */
    effective(kind: DocumentKind, issuerOrgId: number): LoadedTemplate {
      const row = latest(kind, issuerOrgId) ?? latest(kind, null);
      if (!row)
        throw new AppError(
          'unavailable',
          `No ${KIND_RULES[kind].title} template is installed; restart the server to seed the defaults.`,
        );
      return load(row);
    },

    /** The effective template for the caller's organisation (the platform default for admins), its versions and placeholders. */
    view(principal: Principal, kind: DocumentKind): TemplateView {
      const orgId = principal.kind === 'debtor' || principal.role === 'admin' ? null : principal.orgId;
      const own = orgId === null ? undefined : latest(kind, orgId);
      const effective = own ?? latest(kind, null);
      if (!effective)
        throw new AppError(
          'unavailable',
          `No ${KIND_RULES[kind].title} template is installed; restart the server to seed the defaults.`,
        );
      const versions = db
        .select()
        .from(templates)
        .where(
          and(
            eq(templates.kind, kind),
            orgId === null ? isNull(templates.orgId) : or(isNull(templates.orgId), eq(templates.orgId, orgId)),
          ),
        )
        .orderBy(desc(templates.id))
        .all();
      const required = KIND_RULES[kind].required;
      return {
        kind,
        title: KIND_RULES[kind].title,
        effective: { ...versionView(effective), body: effective.body },
        versions: versions.map(versionView),
        placeholders: flattenSpec(dataSpec(kind)).map((p) => ({
          ...p,
          required: required.some((r) => p.path === r || p.path.startsWith(`${r}.`)),
        })),
        directives: Object.entries(DIRECTIVES).map(([name, meaning]) => ({ name: `@${name}`, meaning })),
      };
    },

    /**
     * Add a version: the caller's organisation's own (creditors and mediators, for the kinds their
     * organisation issues) or the platform default (administrators). The same text as the latest
     * version adds nothing.
     */
    upload(
      principal: Principal,
      kind: DocumentKind,
      body: string,
    ): { created: boolean; template: TemplateVersionView } {
      const { orgId, checked } = checkUpload(principal, kind, body);
      const current = latest(kind, orgId);
      if (current?.body === body) return { created: false, template: versionView(current) };
      const row = insertVersion(kind, orgId, body, principal.kind === 'user' ? principal.userId : null);
      cache.set(row.id, checked);
      return { created: true, template: versionView(row) };
    },

    /**
     * The document a template text would make, filled with sample data and stamped 样张 (specimen),
     * checked exactly as an upload is; nothing is stored.
     */
    preview(principal: Principal, kind: DocumentKind, body: string): DocumentModel {
      const { checked } = checkUpload(principal, kind, body);
      const filled = fillTemplate(checked, sampleData(dataSpec(kind)));
      if (!filled.ok)
        throw new AppError('unprocessable', 'The template does not fill with the sample data.', {
          reason: 'structure',
        });
      const rules = KIND_RULES[kind];
      return {
        title: rules.title,
        docNo: SPECIMEN,
        verifyCode: SPECIMEN,
        verifyUrl: '',
        seal: rules.seal ? `${SPECIMEN}（不具效力）` : null,
        blocks: filled.blocks,
      };
    },
  };
}

/** Every printable placeholder of a data spec with its label and whether it may be absent. */
function flattenSpec(
  spec: SpecFields,
  prefix = '',
  nullableAbove = false,
): { path: string; label: string; mayBeMissing: boolean }[] {
  return Object.entries(spec).flatMap(([key, f]) => {
    const p = prefix ? `${prefix}.${key}` : key;
    const nullable = nullableAbove || Boolean(f.nullable);
    if (f.fields) return flattenSpec(f.fields, p, nullable);
    if (f.list)
      return [
        { path: p, label: `${f.label}（列表，用 {{#each ${p}}} 逐项输出）`, mayBeMissing: false },
        ...flattenSpec(f.list, `${p}[]`, nullable),
      ];
    return [{ path: p, label: f.label, mayBeMissing: nullable }];
  });
}
