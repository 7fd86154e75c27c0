import { describe, expect, it } from 'vitest';
import { fontCoverage } from '../../adapters/pdf/font-coverage.js';
import { fontSetup } from '../../adapters/pdf/font-files.js';
import type { DocumentModel } from '../../domain/document-text.js';
import { AppError } from '../../errors.js';
import { assertPrintable } from './printable.js';

const model = (text: string): DocumentModel => ({
  title: '调解笔录',
  docNo: '调解会话 7',
  verifyCode: '—',
  verifyUrl: 'http://127.0.0.1:3000/api/sessions/7/transcript',
  seal: null,
  blocks: [{ type: 'paragraph', text }],
});

describe('a printable document', () => {
  const withoutExtB = fontCoverage(fontSetup({ use: 'none' }).chains.regular);
  const withExtB = fontCoverage(fontSetup({ use: 'system' }).chains.regular);

  it('passes when every character is in a font of the chain, a rare one included', () => {
    expect(() => assertPrintable(withoutExtB, model('债务人王𠇔：我无力一次还清。'), 'The record')).not.toThrow();
    expect(() => assertPrintable(withExtB, model('债务人陈𡒄：我无力一次还清。'), 'The record')).not.toThrow();
  });

  it('is refused with 422 missing_character naming each character no font has, and what it is', () => {
    let error: unknown;
    try {
      assertPrintable(withoutExtB, model('债务人陈𡒄说：\u{E000}'), 'The record of session 7');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'unprocessable', reason: 'missing_character' });
    expect((error as AppError).detail).toBe(
      'The record of session 7 cannot be printed: "𡒄" (U+21484), "\u{E000}" (U+E000) are in none of the document fonts (GET /health names the fallback font in use).',
    );
  });
});
