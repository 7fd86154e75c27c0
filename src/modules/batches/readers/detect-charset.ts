// Charset sniffing for uploaded CSV files. Creditors' exports are UTF-8 (with or without a BOM) or
// GBK/GB18030 from Chinese Excel; strict UTF-8 decoding separates the two reliably, because GBK
// double-byte text is almost never valid UTF-8.

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

/** True when the sample starts with a UTF-8 byte order mark. */
export function hasUtf8Bom(sample: Buffer): boolean {
  return sample.length >= 3 && sample[0] === UTF8_BOM[0] && sample[1] === UTF8_BOM[1] && sample[2] === UTF8_BOM[2];
}

/** Length of the sample without a multi-byte UTF-8 sequence cut off at its end (a sample is a file prefix). */
export function completeUtf8Length(sample: Buffer): number {
  const n = sample.length;
  for (let back = 1; back <= 4 && back <= n; back++) {
    const b = sample[n - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

/** 'utf-8' for a BOM or valid UTF-8, otherwise 'gb18030' (a superset of GBK, so it decodes GBK files too). */
export function detectCharset(sample: Buffer): 'utf-8' | 'gb18030' {
  if (hasUtf8Bom(sample)) return 'utf-8';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, completeUtf8Length(sample)));
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

/** True for NUL bytes or more than 10% control characters other than tab, CR and LF: not a text file. */
export function looksBinary(sample: Buffer): boolean {
  if (sample.length === 0) return false;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i]!;
    if (b === 0) return true;
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) control++;
  }
  return control * 10 > sample.length;
}
