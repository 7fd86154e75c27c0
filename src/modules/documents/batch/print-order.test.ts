import { describe, expect, it } from 'vitest';
import type { PrintFile } from '../../../adapters/pdf/render-pool.js';
import type { DocumentModel } from '../../../domain/document-text.js';
import { printInOrder } from './print-order.js';

const model = (docNo: string): DocumentModel => ({
  title: '催告函',
  docNo,
  verifyCode: 'ABCDE12345',
  verifyUrl: 'http://127.0.0.1:3000/verify/ABCDE12345',
  seal: null,
  blocks: [],
});

/** A print file that keeps the numbers of the documents added, in order. */
function collectingFile(): PrintFile & { added: string[] } {
  const added: string[] = [];
  return {
    added,
    add: (m) => void added.push(m.docNo),
    finish: async () => Buffer.from(added.join(',')),
    abort: () => {},
  };
}

describe('print order', () => {
  it('adds documents in claim order however they finish, and skips claims without a new document', () => {
    const file = collectingFile();
    let opened = 0;
    const order = printInOrder(() => {
      opened++;
      return file;
    });
    order.settled(2, model('N-2'));
    order.settled(1, null);
    expect(order.file).toBeNull();
    order.settled(0, model('N-0'));
    expect(file.added).toEqual(['N-0', 'N-2']);
    order.settled(4, model('N-4'));
    order.settled(3, model('N-3'));
    expect(file.added).toEqual(['N-0', 'N-2', 'N-3', 'N-4']);
    expect(opened).toBe(1);
    expect(order.file).toBe(file);
  });

  it('opens no print file when no claim has a new document', () => {
    const order = printInOrder(() => {
      throw new Error('opened');
    });
    order.settled(1, null);
    order.settled(0, null);
    expect(order.file).toBeNull();
  });
});
