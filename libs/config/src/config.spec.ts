import { z } from 'zod';
import { loadConfig, positiveIntSetting } from './config';

describe('loadConfig', () => {
  const schema = z.object({ POOL_SIZE: positiveIntSetting(10), MODE: z.enum(['a', 'b']).default('a') });

  it('applies the defaults and converts what is set', () => {
    expect(loadConfig(schema, {})).toEqual({ POOL_SIZE: 10, MODE: 'a' });
    expect(loadConfig(schema, { POOL_SIZE: '3', MODE: 'b' })).toEqual({ POOL_SIZE: 3, MODE: 'b' });
  });

  it('lists every bad setting under its name', () => {
    expect(() => loadConfig(schema, { POOL_SIZE: 'ten', MODE: 'c' })).toThrow(/^Invalid configuration:[\s\S]*→ at POOL_SIZE[\s\S]*→ at MODE/);
  });

  it('refuses a count that is not a whole number above zero', () => {
    for (const value of ['0', '-1', '2.5']) expect(() => loadConfig(schema, { POOL_SIZE: value })).toThrow(/POOL_SIZE/);
  });
});
