import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { completeUtf8Length, detectCharset, looksBinary } from './detect-charset.js';

const HEADER = '借款人姓名,身份证号';

describe('detectCharset', () => {
  it('reads plain UTF-8 as utf-8', () => {
    expect(detectCharset(Buffer.from(`${HEADER}\n王伟,350502199001011234\n`))).toBe('utf-8');
  });

  it('reads a UTF-8 BOM as utf-8 even when the rest is not UTF-8', () => {
    const gbk = iconv.encode(HEADER, 'gbk');
    expect(detectCharset(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), gbk]))).toBe('utf-8');
  });

  it('reads real GBK bytes as gb18030', () => {
    const gbk = iconv.encode(`${HEADER}\n王伟,350502199001011234\n`, 'gbk');
    expect(detectCharset(gbk)).toBe('gb18030');
  });

  it('ignores a UTF-8 character cut off at the end of the sample', () => {
    const full = Buffer.from(`${HEADER}\n王伟`);
    const cut = full.subarray(0, full.length - 1); // 伟 is 3 bytes: keep 2 of them
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(cut)).toThrow();
    expect(completeUtf8Length(cut)).toBe(full.length - 3);
    expect(detectCharset(cut)).toBe('utf-8');
  });

  it('treats pure ASCII as utf-8', () => {
    expect(detectCharset(Buffer.from('contract_no,name\nA1,Wang\n'))).toBe('utf-8');
  });
});

describe('looksBinary', () => {
  it('is false for UTF-8 and GBK text with tabs and CRLF', () => {
    expect(looksBinary(Buffer.from(`${HEADER}\t\r\n王伟\r\n`))).toBe(false);
    expect(looksBinary(iconv.encode(`${HEADER}\r\n`, 'gbk'))).toBe(false);
  });

  it('is true for a NUL byte', () => {
    expect(looksBinary(Buffer.from([0x41, 0x42, 0x00, 0x43]))).toBe(true);
  });

  it('is true when more than 10% are control characters', () => {
    const s = Buffer.from('abcdefgh\x01\x02'); // 20%
    expect(looksBinary(s)).toBe(true);
    expect(looksBinary(Buffer.from('abcdefghijklmnopqrs\x01'))).toBe(false); // 5%
  });

  it('is false for an empty sample', () => {
    expect(looksBinary(Buffer.alloc(0))).toBe(false);
  });
});
