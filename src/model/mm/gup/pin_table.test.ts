/**
 * The pin table's canonical order (pin_table.ts "Rule:"): sorted by (mm, addr), ties in order of pinning,
 * empty entries last; and folio_get_refs(), the FOLL_GET references can_split_folio() counts
 * (mm/huge_memory.c: every reference but the mappings' and the caller's makes the folio unsplittable).
 */
import { describe, expect, it } from 'vitest';
import type { Pin } from '../../include/mm_types.js';
import { makePin } from '../../state/plain.js';
import { folio_get_refs, pin_insert, pin_remove, pin_sort } from './pin_table.js';

/** A table of `n` empty entries. */
const table = (n: number): Pin[] => Array.from({ length: n }, () => makePin());
/** Each entry as [mm, addr, folio] (its folio tells ties apart), or null if empty. */
const rows = (pins: readonly Pin[]) => pins.map((p) => (p.live ? [p.mm, p.addr, p.folio] : null));

describe('pin_insert()', () => {
  it('keeps (mm, addr) order whatever the order of pinning, empty entries last', () => {
    const pins = table(5);
    pin_insert(pins, 1, 2, 10, 0, 0, false);
    pin_insert(pins, 0, 3, 11, 0, 0, false);
    pin_insert(pins, 1, 0, 12, 0, 0, false);
    pin_insert(pins, 0, 1, 13, 0, 0, false);
    expect(rows(pins)).toEqual([[0, 1, 13], [0, 3, 11], [1, 0, 12], [1, 2, 10], null]);
  });

  it('a pin of an address already pinned (a detached one) goes after it: ties in order of pinning', () => {
    const pins = table(4);
    pin_insert(pins, 0, 2, 10, 0, 0, false);
    pin_insert(pins, 0, 1, 11, 0, 0, false);
    pin_insert(pins, 0, 2, 12, 0, 0, false);
    pin_insert(pins, 0, 1, 13, 0, 0, false);
    expect(rows(pins)).toEqual([
      [0, 1, 11],
      [0, 1, 13],
      [0, 2, 10],
      [0, 2, 12],
    ]);
  });

  it('fills every field of the new entry: live, attached, the page, what it should see; get only for FOLL_GET', () => {
    const pins = table(2);
    pin_insert(pins, 1, 3, 4, 2, 7, true);
    pin_insert(pins, 0, 5, 6, 1, 9, false, true);
    expect(pins[0]).toEqual({
      live: true,
      mm: 0,
      addr: 5,
      folio: 6,
      page: 1,
      attached: true,
      write: false,
      get: true,
      expect: 9,
    });
    expect(pins[1]).toEqual({
      live: true,
      mm: 1,
      addr: 3,
      folio: 4,
      page: 2,
      attached: true,
      write: true,
      get: false,
      expect: 7,
    });
  });
});

describe('pin_remove()', () => {
  it('closes the gap and leaves the last entry empty', () => {
    const pins = table(4);
    for (const [m, a, f] of [
      [0, 1, 10],
      [0, 2, 11],
      [1, 0, 12],
      [1, 1, 13],
    ] as const)
      pin_insert(pins, m, a, f, 0, 0, false);
    pin_remove(pins, 1);
    expect(rows(pins)).toEqual([[0, 1, 10], [1, 0, 12], [1, 1, 13], null]);
    expect(pins[3]).toEqual(makePin());
    pin_remove(pins, 0);
    expect(rows(pins)).toEqual([[1, 0, 12], [1, 1, 13], null, null]);
  });
});

describe('pin_sort()', () => {
  it('restores (mm, addr) order after addresses changed, ties keeping their order, empty entries last', () => {
    const pins = table(6);
    for (const [m, a, f] of [
      [0, 1, 10],
      [0, 2, 11],
      [0, 4, 12],
      [0, 4, 13],
      [1, 0, 14],
    ] as const)
      pin_insert(pins, m, a, f, 0, 0, false);
    // mremap() of mm 0's pages 1-2 to 5-6, then of 4 to 0 (two entries there: a detached one and its successor).
    (pins[0] as Pin).addr = 5;
    (pins[1] as Pin).addr = 6;
    (pins[2] as Pin).addr = 0;
    (pins[3] as Pin).addr = 0;
    pin_sort(pins);
    expect(rows(pins)).toEqual([[0, 0, 12], [0, 0, 13], [0, 5, 10], [0, 6, 11], [1, 0, 14], null]);
  });

  it('an mm of a higher number goes after a lower one, whatever its addresses', () => {
    const pins = table(3);
    pin_insert(pins, 0, 3, 10, 0, 0, false);
    pin_insert(pins, 1, 1, 11, 0, 0, false);
    (pins[1] as Pin).mm = 0;
    (pins[0] as Pin).mm = 1;
    pin_sort(pins);
    expect(rows(pins)).toEqual([[0, 1, 11], [1, 3, 10], null]);
    // A lower address in the higher mm does not keep it first.
    const low = table(3);
    pin_insert(low, 0, 1, 10, 0, 0, false);
    pin_insert(low, 1, 3, 11, 0, 0, false);
    (low[0] as Pin).mm = 1;
    (low[1] as Pin).mm = 0;
    pin_sort(low);
    expect(rows(low)).toEqual([[0, 3, 11], [1, 1, 10], null]);
  });
});

describe('folio_get_refs()', () => {
  it('counts the live FOLL_GET entries on the folio: not pins, not other folios, not empty entries', () => {
    const pins = table(5);
    pin_insert(pins, 0, 0, 2, 0, 0, false, true);
    pin_insert(pins, 0, 1, 2, 1, 0, false, true);
    pin_insert(pins, 0, 2, 2, 2, 0, false);
    pin_insert(pins, 0, 3, 3, 0, 0, false, true);
    expect(folio_get_refs(pins, 2)).toBe(2);
    expect(folio_get_refs(pins, 3)).toBe(1);
    expect(folio_get_refs(pins, 0)).toBe(0);
    (pins[4] as Pin).get = true; // an empty entry that says get: not live, not counted
    expect(folio_get_refs(pins, 0)).toBe(0);
  });
});
