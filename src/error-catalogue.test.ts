import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_TITLES_ZH, fieldMessageZh, problemTitleZh, ROW_ISSUES_ZH, schemaMessageZh } from './error-catalogue.js';
import { ERROR_STATUS } from './errors.js';

const HAN = /\p{Script=Han}/u;

/** Every source file under these folders, tests left out. */
function sources(...dirs: string[]): string[] {
  return dirs.flatMap((dir) =>
    fs
      .readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
      .map((e) => fs.readFileSync(path.join(e.parentPath, e.name), 'utf8')),
  );
}

describe('the error catalogue', () => {
  it('has a Chinese title for every error code', () => {
    for (const code of Object.keys(ERROR_STATUS)) {
      expect(ERROR_TITLES_ZH[code as keyof typeof ERROR_TITLES_ZH], code).toMatch(HAN);
    }
  });

  it('has a Chinese message for every row issue code the import can write (the 说明 column of errors.csv)', () => {
    const text = sources('src/domain', 'src/modules/batches').join('\n');
    const codes = new Set<string>();
    const patterns = [
      /failResult\(\s*'([a-z0-9_]+)'/g,
      /warnings\.push\('([a-z0-9_]+)'\)/g,
      /issue\(\s*'[a-z_]+',\s*'([a-z0-9_]+)'/g,
      /code: '((?:row|contract_no|id|phone)_[a-z0-9_]+)'/g,
    ];
    for (const re of patterns) for (const m of text.matchAll(re)) codes.add(m[1]!);
    expect(codes.size).toBeGreaterThan(30);
    const missing = [...codes].filter((c) => !ROW_ISSUES_ZH[c]);
    expect(missing).toEqual([]);
    for (const message of Object.values(ROW_ISSUES_ZH)) expect(message).toMatch(HAN);
  });

  it('translates schema failures by keyword and service messages by text', () => {
    expect(schemaMessageZh('type', { type: 'integer' })).toBe('应为整数');
    expect(schemaMessageZh('maxLength', { limit: 200 })).toBe('最多200个字符');
    expect(schemaMessageZh('enum', { allowedValues: ['a', 'b'] })).toBe('应为以下之一：a、b');
    expect(fieldMessageZh('must hold at most 5 files')).toBe('最多上传5个文件');
    expect(fieldMessageZh('借款合同编号 is missing')).toBe('缺少借款合同编号');
    expect(fieldMessageZh('something nobody wrote down')).toMatch(HAN);
  });

  it('says why a step was refused by its rule where the rule says more, else by its code', () => {
    expect(problemTitleZh('transition_forbidden', 'claim_on_hold')).toBe(
      '案件因异议或困难救助审查而暂停，审查结束后才能进行此操作',
    );
    expect(problemTitleZh('transition_forbidden', 'a_rule_nobody_named')).toBe(ERROR_TITLES_ZH.transition_forbidden);
    expect(problemTitleZh('version_conflict', null)).toBe(ERROR_TITLES_ZH.version_conflict);
  });
});
