/**
 * The bounds' rules one by one, with the exact message a user reads: the rules between fields, the search's
 * own limits beside the schema's, the bounds under which an enabled step can never run (`unrunnable`), how a
 * given value is quoted, and the flag each field is written with. The CLI prints these messages (its tests
 * run the built program; these run the functions themselves).
 */
import { describe, expect, it } from 'vitest';
import { BOUND_FIELDS, checkBounds, flagOf, MAX_SYMMETRIC_MMS, unrunnable } from './bounds.js';
import type { Bounds } from './config.js';
import { PRESETS } from './presets.js';

const CORE: Bounds = PRESETS['core-safe'];
const field = (key: string) => BOUND_FIELDS.find((f) => f.key === key) as (typeof BOUND_FIELDS)[number];

describe('the rules between fields', () => {
  it('symmetry takes at most MAX_SYMMETRIC_MMS mms', () => {
    const at = (mms: number) => checkBounds({ ...CORE, mms, symmetry: true });
    expect(at(MAX_SYMMETRIC_MMS)).toEqual([]);
    expect(at(MAX_SYMMETRIC_MMS + 1)).toEqual([
      {
        field: 'mms',
        expected: `at most ${MAX_SYMMETRIC_MMS} with --symmetry (each state tries every renaming of the mms)`,
        got: String(MAX_SYMMETRIC_MMS + 1),
      },
    ]);
    expect(checkBounds({ ...CORE, mms: MAX_SYMMETRIC_MMS + 1, symmetry: false })).toEqual([]);
  });

  it('a policy stands for its era, granularity and decider: another value for one of them is refused', () => {
    const policy = '5.19/page@tuple-naive';
    expect(checkBounds({ ...CORE, policy, era: '5.19', ae: 'page', decider: 'tuple-naive' })).toEqual([]);
    expect(checkBounds({ ...CORE, policy, era: '6.15' })).toEqual([
      { field: 'era', expected: `5.19, the era of policy ${policy}`, got: '"6.15"' },
    ]);
    expect(checkBounds({ ...CORE, policy, ae: 'folio' })).toEqual([
      { field: 'ae', expected: `page, the granularity of policy ${policy}`, got: '"folio"' },
    ]);
    expect(checkBounds({ ...CORE, policy, decider: 'page-mapcount' })).toEqual([
      { field: 'decider', expected: `tuple-naive, the decider of policy ${policy}`, got: '"page-mapcount"' },
    ]);
    expect(checkBounds({ ...CORE, policy: '5.19/page', decider: 'page-mapcount' })).toEqual([
      { field: 'decider', expected: 'none, the decider of policy 5.19/page', got: '"page-mapcount"' },
    ]);
  });

  it('a policy that does not parse is refused alone, not compared with the fields it would set', () => {
    const errors = checkBounds({ ...CORE, policy: '4.0/page', era: '5.19', ae: 'page' });
    expect(errors.map((e) => e.field)).toEqual(['policy']);
  });

  it('large is a power of two dividing pt, va a multiple of pt', () => {
    expect(checkBounds({ ...CORE, va: 4, pt: 2, large: 4 })).toEqual([
      { field: 'large', expected: 'a divisor of pt (2)', got: '4' },
    ]);
    expect(checkBounds({ ...CORE, large: 3 })).toEqual([
      { field: 'large', expected: 'a power of two (pages of a folio of some order)', got: '3' },
    ]);
    expect(checkBounds({ ...CORE, va: 6, pt: 4 })).toEqual([
      { field: 'va', expected: 'a multiple of pt (4)', got: '6' },
    ]);
  });
});

describe("a search's own limits", () => {
  it('are the largest values the encoding takes, beyond which only a replay goes', () => {
    const big = { ...CORE, va: 128, pt: 64, large: 64 };
    expect(checkBounds({ ...CORE, va: 64, pt: 64, large: 64, map: 64 })).toEqual([]);
    expect(checkBounds(big, 'replay')).toEqual([]);
    expect(checkBounds(big)).toEqual([
      {
        field: 'va',
        expected:
          'an integer 1..64 (up to 1024 only for run and kernel, which replay one script; a search stores every state and its encoding is laid out for 64)',
        got: '128',
      },
    ]);
    expect(checkBounds({ ...big, map: 100 })[1]).toEqual({
      field: 'map',
      expected:
        'an integer 0..64 (up to 1024 only for run and kernel, which replay one script; a search stores every state and its encoding is laid out for 64)',
      got: '100',
    });
  });

  it("a limit's error replaces the schema's for its field, and leaves the other fields' errors", () => {
    const errors = checkBounds({ ...CORE, va: 4096, mms: 0 });
    expect(errors.map((e) => e.field)).toEqual(['va', 'mms']);
    expect(errors[0]?.expected).toMatch(/^an integer 1\.\.64 \(up to 1024/);
  });

  it('folio orders above 6 only for a replay; what is not a number is the schema business', () => {
    const big = { ...CORE, va: 128, pt: 128, large: 128, orders: [1, 7] };
    expect(checkBounds(big, 'replay')).toEqual([]);
    expect(checkBounds({ ...CORE, va: 64, pt: 64, large: 64, orders: [6] })).toEqual([]);
    expect(checkBounds(big).find((e) => e.field === 'orders')).toEqual({
      field: 'orders',
      expected:
        "integers 1..6 (up to 9 only for run and kernel, which replay one script; a search's folios are at most 64 pages)",
      got: '1,7',
    });
    const text = checkBounds({ ...CORE, orders: ['7'] }).find((e) => e.field === 'orders');
    expect(text).toBeDefined();
    expect(text?.expected).not.toMatch(/only for run and kernel/);
  });

  it('input that is not an object is refused, not read', () => {
    for (const input of [null, 5, 'bounds']) {
      const errors = checkBounds(input);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.field).toBe('input');
    }
  });
});

describe('how errors name what was given', () => {
  it('one error per field, with the list as written; an unknown field lists the known ones', () => {
    expect(checkBounds({ ...CORE, ops: ['bogus', 'worse'] })).toEqual([
      expect.objectContaining({ field: 'ops', got: '"bogus"' }),
    ]);
    expect(checkBounds({ ...CORE, ops: [] })[0]?.got).toBe('an empty list');
    expect(checkBounds({ ...CORE, colour: 'blue' })).toEqual([
      {
        field: 'colour',
        expected: `no such field (the fields are ${BOUND_FIELDS.map((f) => f.key).join(', ')})`,
        got: 'a value',
      },
    ]);
    expect(checkBounds({ ...CORE, mms: undefined })).toEqual([
      { field: 'mms', expected: 'an integer 1..8', got: 'nothing' },
    ]);
    expect(checkBounds({ ...CORE, orders: 'x' })[0]).toMatchObject({ field: 'orders', got: '"x"' });
    expect(checkBounds({ ...CORE, mms: [1, 2] })[0]).toMatchObject({ field: 'mms', got: '1,2' });
    expect(checkBounds({ ...CORE, mms: { n: 1 } })[0]).toMatchObject({ field: 'mms', got: '{"n":1}' });
    expect(checkBounds({ ...CORE, mms: Number.NaN })[0]).toMatchObject({ field: 'mms', got: 'NaN' });
    expect(checkBounds({ ...CORE, data: 'yes' })[0]).toMatchObject({ field: 'data', got: '"yes"' });
    expect(checkBounds({ ...CORE, orders: [1, 'x'] })[0]).toMatchObject({ field: 'orders', got: '"x"' });
  });
});

describe('unrunnable', () => {
  it('valid bounds whose steps can all run: nothing', () => {
    expect(unrunnable(CORE)).toEqual([]);
    expect(unrunnable({ ...CORE, ae: 'folio', era: '5.19' })).toEqual([]);
  });

  it('mm 0 mapping nothing', () => {
    expect(unrunnable({ ...CORE, map: 0 })).toEqual([
      { field: 'map', expected: 'at least 1 (mm 0 maps nothing, so no step can run)', got: '0' },
    ]);
  });

  it('AnonExclusive per folio before the bit existed', () => {
    expect(unrunnable({ ...CORE, ae: 'folio', era: '5.9' })).toEqual([
      {
        field: 'ae',
        expected: 'page (era 5.9 has no PG_anon_exclusive; folio needs era 5.19, 6.15)',
        got: '"folio"',
      },
    ]);
    expect(unrunnable({ ...CORE, ae: 'page', era: '5.9' })).toEqual([]);
  });

  it('one error per need, naming every step that has it', () => {
    const b = { ...CORE, mms: 1, pins: 0, ops: ['fault', 'fork', 'pin', 'unpin', 'get'] };
    expect(unrunnable(b)).toEqual([
      {
        field: 'mms',
        expected: 'at least 2 (the child needs an mm of its own) while --ops enables fork',
        got: '1',
      },
      { field: 'pins', expected: 'at least 1 (a pin entry) while --ops enables pin, unpin', got: '0' },
      {
        field: 'pins',
        expected: 'at least 1 (a pin entry, which a reference uses) while --ops enables get',
        got: '0',
      },
    ]);
  });
});

describe('flagOf', () => {
  it('is the kebab-case key, or the flag a field names', () => {
    expect(flagOf({ ...field('mms'), key: 'maxDepthFirst' })).toBe('max-depth-first');
    expect(flagOf(field('readAllocates'))).toBe('read-allocates');
    expect(flagOf(field('schemes'))).toBe('scheme');
    expect(flagOf(field('decider'))).toBe('decide-with');
  });
});
