import { describe, expect, it } from 'vitest';
import { oneAfterAnother } from './generate.js';

describe('one after another', () => {
  it('runs work of one key in order, work of other keys alongside, and goes on after a failure', async () => {
    const serialised = oneAfterAnother();
    const log: string[] = [];
    const step =
      (name: string, fail = false) =>
      async () => {
        log.push(`${name} start`);
        await new Promise((resolve) => setImmediate(resolve));
        log.push(`${name} end`);
        if (fail) throw new Error(name);
        return name;
      };
    const a1 = serialised('a', step('a1', true));
    const a2 = serialised('a', step('a2'));
    const b1 = serialised('b', step('b1'));
    await expect(a1).rejects.toThrow('a1');
    expect(await a2).toBe('a2');
    expect(await b1).toBe('b1');
    expect(log.indexOf('a2 start')).toBeGreaterThan(log.indexOf('a1 end'));
    expect(log.indexOf('b1 start')).toBeLessThan(log.indexOf('a1 end'));
  });
});
