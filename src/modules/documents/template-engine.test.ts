import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataSpec, sampleData } from '../../domain/document-data.js';
import { DOCUMENT_KINDS, KIND_RULES } from '../../domain/document-kinds.js';
import type { TemplateProblem } from './template-checker.js';
import { checkTemplate, fillTemplate } from './template-engine.js';
import { BUILT_IN_TEMPLATES_DIR } from './template-service.js';

const builtIn = (kind: string) => fs.readFileSync(path.join(BUILT_IN_TEMPLATES_DIR, `${kind}.hbs`), 'utf8');
const letter = builtIn('demand_letter');

function problems(
  body: string,
  kind: (typeof DOCUMENT_KINDS)[number] = 'demand_letter',
  courtWording = false,
): TemplateProblem[] {
  const r = checkTemplate(kind, body, { courtWording });
  return r.ok ? [] : r.problems;
}

describe('template checks', () => {
  it('passes every built-in template, and fills each with sample data', () => {
    for (const kind of DOCUMENT_KINDS) {
      const r = checkTemplate(kind, builtIn(kind), { courtWording: KIND_RULES[kind].courtWording });
      expect(r.ok ? [] : r.problems, kind).toEqual([]);
      if (!r.ok) continue;
      const filled = fillTemplate(r.template, sampleData(dataSpec(kind)));
      expect(filled.ok, kind).toBe(true);
      if (filled.ok) expect(filled.blocks.find((b) => b.type === 'title')).toBeTruthy();
    }
  });

  it('names a Handlebars syntax error with its line', () => {
    const [p] = problems(letter.replace('{{/if}}', '{{/each}}'));
    expect(p).toMatchObject({ code: 'syntax' });
    expect(p!.line).toBeGreaterThan(1);
    expect(p!.message).toMatch(/^line \d+: Handlebars syntax error: if doesn't match each/);
    expect(problems('@title {{doc.title\n')[0]).toMatchObject({ code: 'syntax', line: 1 });
  });

  it('names an unknown placeholder, its line and the fields that do exist', () => {
    const body = letter.replace('@to {{debtor.name}}', '@to {{debtor.nam}}');
    const line = body.split('\n').findIndex((l) => l.includes('debtor.nam}}')) + 1;
    const [p] = problems(body);
    expect(p).toMatchObject({ code: 'unknown_placeholder', field: 'debtor.nam', line });
    expect(p!.message).toContain('has no field "nam" (it has: name, idNumberMasked, phoneMasked)');
  });

  it('refuses the full ID number in a demand letter: the letter only gets the masked one', () => {
    expect(problems(letter.replace('{{debtor.idNumberMasked}}', '{{debtor.idNumber}}'))[0]).toMatchObject({
      code: 'unknown_placeholder',
      field: 'debtor.idNumber',
    });
  });

  it('names a required field the template leaves out', () => {
    const ps = problems(letter.replaceAll('{{doc.verifyCode}}', ''));
    expect(ps).toEqual([expect.objectContaining({ code: 'missing_required_field', field: 'doc.verifyCode' })]);
    expect(ps[0]!.message).toBe('the template does not use {{doc.verifyCode}} (核验码), which every 催告函 must show');
    // Testing a field in {{#if}} does not show it.
    expect(problems(letter.replaceAll('{{doc.verifyCode}}', '{{#if doc.verifyCode}}有{{/if}}'))[0]).toMatchObject({
      code: 'missing_required_field',
      field: 'doc.verifyCode',
    });
  });

  it('refuses court wording on a demand letter, but not on a complaint', () => {
    const body = letter.replace('@p 特此函告。', '@p 逾期将凭传票处理。');
    expect(problems(body)[0]).toMatchObject({ code: 'court_wording', field: '传票' });
    expect(problems(builtIn('complaint').replace('@p 此致', '@p 传票送达后此致'), 'complaint', true)).toEqual([]);
  });

  it('refuses helpers, partials, unknown directives and printing a group', () => {
    expect(problems(letter.replace('{{debtor.name}}', '{{lookup debtor "name"}}'))[0]).toMatchObject({
      code: 'unknown_helper',
    });
    expect(problems(`${letter}\n{{> footer}}`)[0]).toMatchObject({ code: 'unknown_helper' });
    expect(problems(letter.replace('\n@sign\n', '\n@signature\n'))).toContainEqual(
      expect.objectContaining({ code: 'unknown_directive', field: '@signature' }),
    );
    expect(problems(letter.replace('{{amounts.claimed.yuan}}）', '{{amounts.claimed}}）'))[0]).toMatchObject({
      code: 'unknown_placeholder',
      field: 'amounts.claimed',
    });
    expect(problems(letter.replace('@title {{doc.title}}', ''))).toContainEqual(
      expect.objectContaining({ code: 'structure', message: 'the document has no @title line' }),
    );
  });

  it('lists the fields a claim may lack that the template prints unguarded, and fails a fill without them', () => {
    const r = checkTemplate('complaint', builtIn('complaint'), { courtWording: true });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.template.needsData).toEqual([{ path: 'debtor.address', label: '债务人住址' }]);
    const data = sampleData(dataSpec('complaint')) as { debtor: Record<string, unknown> };
    data.debtor.address = null;
    expect(fillTemplate(r.template, data)).toEqual({
      ok: false,
      reason: 'missing_data',
      missing: [{ path: 'debtor.address', label: '债务人住址' }],
    });
  });
});
