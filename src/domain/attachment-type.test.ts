import { describe, expect, it } from 'vitest';
import { checkAttachment, fileNameProblem, typeFromBytes, typeFromName } from './attachment-type.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0, 0]);
const PDF = Buffer.from('%PDF-1.7\n');

describe('attachment types', () => {
  it('tells PDF, JPEG and PNG by their first bytes, and nothing else', () => {
    expect(typeFromBytes(PNG)).toBe('png');
    expect(typeFromBytes(JPEG)).toBe('jpeg');
    expect(typeFromBytes(PDF)).toBe('pdf');
    expect(typeFromBytes(Buffer.from('GIF89a'))).toBeNull();
    expect(typeFromBytes(Buffer.from('%PDF'))).toBeNull();
    expect(typeFromBytes(PNG.subarray(0, 7))).toBeNull();
    expect(typeFromBytes(Buffer.alloc(0))).toBeNull();
  });

  it('reads the claimed type from the extension, in any case', () => {
    expect(typeFromName('a.PDF')).toBe('pdf');
    expect(typeFromName('照片.jpeg')).toBe('jpeg');
    expect(typeFromName('x.JpG')).toBe('jpeg');
    expect(typeFromName('scan.png')).toBe('png');
    expect(typeFromName('archive.png.zip')).toBeNull();
    expect(typeFromName('noextension')).toBeNull();
  });

  it('refuses names with folders or control characters instead of cleaning them', () => {
    expect(fileNameProblem('还款凭证.png')).toBeNull();
    expect(fileNameProblem('../a.png')).toBe('path');
    expect(fileNameProblem('a/b.png')).toBe('path');
    expect(fileNameProblem('C:\\x\\b.png')).toBe('path');
    expect(fileNameProblem('..')).toBe('path');
    expect(fileNameProblem('v1..2.png')).toBeNull();
    expect(fileNameProblem('a\u0000.png')).toBe('control_character');
    expect(fileNameProblem('a\n.png')).toBe('control_character');
    expect(fileNameProblem(' ')).toBe('empty');
    expect(fileNameProblem(`${'长'.repeat(201)}.png`)).toBe('too_long');
  });

  it('accepts a file only when its name and bytes agree', () => {
    expect(checkAttachment('a.png', PNG)).toEqual({ ok: true, type: 'png', mime: 'image/png' });
    expect(checkAttachment('a.jpg', JPEG)).toEqual({ ok: true, type: 'jpeg', mime: 'image/jpeg' });
    expect(checkAttachment('a.png', PDF)).toMatchObject({ ok: false, reason: 'type_mismatch' });
    expect(checkAttachment('a.exe', PNG)).toMatchObject({ ok: false, reason: 'type_not_accepted' });
    expect(checkAttachment('../a.png', PNG)).toMatchObject({ ok: false, reason: 'bad_file_name' });
    const nul = checkAttachment('a\u0000.png', PNG);
    expect(nul.ok).toBe(false);
    if (!nul.ok) expect(nul.detail).not.toContain('\u0000');
  });
});
