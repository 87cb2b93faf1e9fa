import { describe, expect, it } from 'vitest';
import { checkBounds } from './bounds.js';
import { BoundsRejected } from './config.js';
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

describe('Config', () => {
  const core = PRESETS['core-safe'];

  it('fills what the bounds leave out with the documented defaults', () => {
    const cfg = makeConfig(core);
    expect(cfg.bounds()).toEqual({
      ...core,
      map: core.va,
      swap: 0,
      data: false,
      orders: [Math.log2(core.large)],
      era: '5.19',
      ae: 'page',
      schemes: [],
    });
    expect(cfg.aeFolio).toBe(false);
    expect('decider' in cfg.bounds()).toBe(false);
    // Folios of one page only: no order to allocate but 0, none to list.
    const small = makeConfig({ ...core, large: 1 });
    expect(small.orders).toEqual([]);
    expect(small.anonOrders).toEqual([0]);
    expect(small.zapSizes).toEqual([1]);
  });

  it('keeps the optional fields it was given, and adds the schemes the era or the decider needs', () => {
    const cfg = makeConfig({
      ...core,
      orders: [1],
      schemes: ['tuple-naive'],
      decider: 'large-mapcount',
      symmetry: true,
      era: '6.15',
    });
    expect(cfg.bounds()).toMatchObject({
      orders: [1],
      schemes: ['tuple-naive', 'mm-id', 'large-mapcount'],
      decider: 'large-mapcount',
      symmetry: true,
    });
    expect(cfg.anonOrders).toEqual([1, 0]);
  });

  it('swap entries are special PTEs: swap slots alone make them possible, as the zero page (read) does', () => {
    const ops = ['fault', 'zap', 'pageout'];
    expect(makeConfig({ ...core, ops, swap: 1 }).specialPtes).toBe(true);
    expect(makeConfig({ ...core, ops, swap: 0 }).specialPtes).toBe(false);
    expect(makeConfig({ ...core, ops: ['fault', 'read'], swap: 0 }).specialPtes).toBe(true);
  });

  it('refuses invalid bounds with every error in one message', () => {
    const bad = () => makeConfig({ ...core, mms: 0, large: 3 });
    expect(bad).toThrow(BoundsRejected);
    expect(bad).toThrow(
      'mms: expected an integer 1..8, got 0; large: expected a power of two (pages of a folio of some order), got 3',
    );
    const thrown = (() => {
      try {
        bad();
      } catch (e) {
        return e as BoundsRejected;
      }
      return undefined;
    })();
    expect(thrown?.name).toBe('BoundsRejected');
    expect(thrown?.errors.map((x) => x.field)).toEqual(['mms', 'large']);
  });
});
