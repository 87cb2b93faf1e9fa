/**
 * The bounds schema: what it accepts, what it refuses (naming the field, what was expected and what was
 * given), and that a configuration keeps every field it was given.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { BOUND_FIELDS, checkBounds, LIMITS } from './bounds.js';
import type { Bounds } from './config.js';
import { makeConfig } from './configure.js';
import { PRESETS } from './presets.js';
import { CORE_OPS, OP_NAMES } from './steps/index.js';

/** Valid bounds: pt a power of two, large dividing it, va a multiple of pt, map within va. */
const validBounds = fc
  .record({
    mms: fc.integer({ min: 1, max: LIMITS.mms }),
    ptLog: fc.integer({ min: 0, max: 3 }),
    largeLog: fc.integer({ min: 0, max: 3 }),
    tables: fc.integer({ min: 1, max: 4 }),
    slots: fc.integer({ min: 1, max: 32 }),
    pins: fc.integer({ min: 0, max: LIMITS.pins }),
    ops: fc.subarray([...OP_NAMES], { minLength: 1 }),
    swap: fc.integer({ min: 0, max: 4 }),
    data: fc.boolean(),
    readAllocates: fc.boolean(),
    mapFraction: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map((r): Bounds => {
    const pt = 2 ** r.ptLog;
    const large = 2 ** Math.min(r.largeLog, r.ptLog);
    const va = pt * r.tables;
    return {
      mms: r.mms,
      va,
      pt,
      large,
      slots: r.slots,
      pins: r.pins,
      ops: r.ops,
      swap: r.swap,
      data: r.data,
      map: Math.floor(r.mapFraction * va),
      // A flag: the configuration lists it only when set.
      ...(r.readAllocates ? { readAllocates: true } : {}),
    };
  });

describe('bounds schema', () => {
  test.prop([validBounds])('accepts valid bounds, and the configuration keeps every field given', (b) => {
    expect(checkBounds(b)).toEqual([]);
    const kept = makeConfig(b).bounds();
    for (const [key, value] of Object.entries(b)) expect(kept[key as keyof Bounds], key).toEqual(value);
  });

  test.prop([validBounds, fc.constantFrom(...BOUND_FIELDS.map((f) => f.key)), fc.constantFrom(-1, 1000, 'x', 2.5)])(
    'a field given a value of the wrong kind or range is refused, and the error names that field',
    (b, key, bad) => {
      if (key === 'tuple' || key === 'data') fc.pre(typeof bad !== 'boolean');
      const errors = checkBounds({ ...b, [key]: bad });
      expect(errors.map((e) => e.field)).toContain(key);
    },
  );

  it('names the field, what was expected and what was given', () => {
    expect(checkBounds({ ...PRESETS['core-safe'], mms: 0 })).toEqual([
      { field: 'mms', expected: 'an integer 1..8', got: '0' },
    ]);
    expect(checkBounds({ ...PRESETS['core-safe'], ops: ['fault', 'bogus'] })[0]).toMatchObject({
      field: 'ops',
      got: '"bogus"',
    });
    expect(checkBounds({ ...PRESETS['core-safe'], map: 9 })).toEqual([
      { field: 'map', expected: 'at most va (4)', got: '9' },
    ]);
  });

  it('refuses a field that is not a bound', () => {
    const errors = checkBounds({ ...PRESETS['core-safe'], colour: 'blue' });
    expect(errors).toHaveLength(1);
    expect(errors[0]?.field).toBe('colour');
  });

  it('refuses a missing required field', () => {
    const { mms: _, ...rest } = PRESETS['core-safe'];
    expect(checkBounds(rest).map((e) => e.field)).toEqual(['mms']);
    expect(checkBounds({ ...PRESETS['core-safe'], ops: [] })).toEqual([
      { field: 'ops', expected: 'at least one operation', got: 'an empty list' },
    ]);
    expect(checkBounds({ ...PRESETS['core-safe'], ops: CORE_OPS })).toEqual([]);
  });
});
