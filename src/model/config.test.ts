import { describe, expect, it } from 'vitest';
import { checkBounds } from './bounds.js';
import { makeConfig } from './configure.js';
import { PRESETS } from './presets.js';

describe('bounds', () => {
  it('accepts every bench-core preset', () => {
    for (const b of Object.values(PRESETS)) expect(checkBounds(b)).toEqual([]);
  });
  it('names the field, what was expected and what was given', () => {
    const errors = checkBounds({ ...PRESETS['core-safe'], large: 3 });
    expect(errors).toEqual([{ field: 'large', expected: 'a power of two (pages of a folio of some order)', got: '3' }]);
  });
  it('derives zap sizes and fault orders from large', () => {
    const cfg = makeConfig(PRESETS['core-safe']);
    expect(cfg.zapSizes).toEqual([1, 2, 4]);
    expect(cfg.anonOrders).toEqual([2, 0]);
  });
  it('refuses an order above log2(large), naming the field', () => {
    expect(checkBounds({ ...PRESETS['core-safe'], orders: [3] })).toEqual([
      { field: 'orders', expected: 'orders 1..2 (log2 of --large 4)', got: '3' },
    ]);
    expect(makeConfig({ ...PRESETS['core-safe'], orders: [1, 2] }).anonOrders).toEqual([2, 1, 0]);
  });
});
