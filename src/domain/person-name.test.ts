import { describe, expect, it } from 'vitest';
import { maskPersonName } from './person-name.js';

describe('maskPersonName', () => {
  it('keeps the first character and stars the rest, counting characters beyond the BMP as one', () => {
    expect(maskPersonName('张三')).toBe('张*');
    expect(maskPersonName('欧阳娜娜')).toBe('欧***');
    expect(maskPersonName('𡒄小明')).toBe('𡒄**');
    expect(maskPersonName('李')).toBe('*');
  });
});
