import { describe, expect, it } from 'vitest';
import { checkBounds, makeConfig, PRESETS } from './config.js';

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
});
