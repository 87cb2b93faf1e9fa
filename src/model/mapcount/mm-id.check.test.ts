/**
 * mm-id's check (docs/kernel-rules.md §3.4): `holds()` on the states the kernel's steps make, including a
 * folio no PTE maps any more (held by a pin: every word zero, both slots free), and `explain()` word for
 * word, so that each line appears exactly when its clause fails: the shared bit clear under two mms, a
 * _large_mapcount off, an owner slot counting more than its mm maps, a count without an owner or an owner
 * without a count, one mm in both slots, the shared bit set with nothing mapped. checks.test.ts checks the
 * clauses catch a desync; these check the sentences and that a correct folio gets none.
 */
import { describe, expect, it } from 'vitest';
import { config, fault, folioOf, fork, kernelAfter, pin, zap } from '../../../test/helpers.js';
import { Truth } from '../recount/truth.js';
import type { Kernel } from '../state/schema.js';
import { kernelMmId } from './index.js';

// mm-id alone: its words start at 0 of folio.mc. Two folio-sized regions, so that a folio sits in slot 1.
const cfg = config({
  mms: 3,
  va: 4,
  pt: 2,
  large: 2,
  slots: 4,
  pins: 1,
  ops: ['fault', 'fork', 'zap', 'pin'],
  schemes: ['mm-id'],
});
const mmId = kernelMmId(cfg);
const [M, ID0, C0, ID1, C1, S] = [0, 1, 2, 3, 4, 5];

function check(k: Kernel, slot: number): { holds: boolean; lines: string[] } {
  const t = new Truth(k.cfg);
  t.recount(k);
  return { holds: mmId.scheme.holds(k, t, slot, mmId.o), lines: mmId.scheme.explain(k, t, slot, mmId.o) };
}

/** The state after `steps`, with words of folio `slot` set by hand. */
function broken(steps: Parameters<typeof kernelAfter>[1], slot: number, words: Record<number, number>): Kernel {
  const k = kernelAfter(cfg, steps);
  for (const [i, v] of Object.entries(words)) folioOf(k, slot).mc[mmId.o + Number(i)] = v;
  return k;
}

const shared = [fault(0, 0), fork(0)]; // mm0 and mm1 map both pages: words [4, 1, 2, 2, 2, 1]

describe("mm-id's check", () => {
  it('holds for a folio no PTE maps any more, held by a pin: every word zero, both slots free', () => {
    const k = kernelAfter(cfg, [fault(0, 0), pin(0, 0), zap(0, 0, 2)]);
    expect(Array.from(folioOf(k, 0).mc)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(check(k, 0)).toEqual({
      holds: true,
      lines: ['folio 0: _large_mapcount 0, slots (0, 0) (0, 0), shared bit 0'],
    });
  });

  it('holds for a folio of one mm, one slot free, and explains nothing but the words', () => {
    const k = kernelAfter(cfg, [fault(0, 0)]);
    expect(check(k, 0)).toEqual({
      holds: true,
      lines: ['folio 0: _large_mapcount 2, slots (1, 2) (0, 0), shared bit 0'],
    });
  });

  it('holds for a folio of two mms, both slots held with what each maps', () => {
    const k = kernelAfter(cfg, shared);
    expect(check(k, 0)).toEqual({
      holds: true,
      lines: ['folio 0: _large_mapcount 4, slots (1, 2) (2, 2), shared bit 1'],
    });
  });

  it('the shared bit clear while two mms map it: one line says so', () => {
    expect(check(broken(shared, 0, { [S]: 0 }), 0)).toEqual({
      holds: false,
      lines: [
        'folio 0: _large_mapcount 4, slots (1, 2) (2, 2), shared bit 0',
        'folio 0: the shared bit is clear, but 2 mms map it',
      ],
    });
  });

  it('a _large_mapcount one high: one line gives it and the PTEs', () => {
    expect(check(broken(shared, 0, { [M]: 5 }), 0)).toEqual({
      holds: false,
      lines: [
        'folio 0: _large_mapcount 5, slots (1, 2) (2, 2), shared bit 1',
        'folio 0: _large_mapcount 5, but 4 PTEs and PMDs map it',
      ],
    });
  });

  it('an owner slot counting more than its mm maps: the line names that mm and both counts', () => {
    expect(check(broken(shared, 0, { [C0]: 3 }), 0).lines).toEqual([
      'folio 0: _large_mapcount 4, slots (1, 3) (2, 2), shared bit 1',
      "folio 0: mm0's slot counts 3, but it maps the folio 2 times",
    ]);
    const k = broken([...shared, zap(1, 0, 1)], 0, { [C1]: 2 }); // mm1 maps one page, its slot says 2
    expect(check(k, 0)).toEqual({
      holds: false,
      lines: [
        'folio 0: _large_mapcount 3, slots (1, 2) (2, 2), shared bit 1',
        "folio 0: mm1's slot counts 2, but it maps the folio 1 times",
      ],
    });
  });

  it('a count in a free slot fails the check: the line names the slot, and no mm (it has none)', () => {
    // The folio in slot 1, so that a lookup of "mm -1" would read slot 0's last mm.
    const k = broken([fault(0, 0), fault(0, 2)], 1, { [ID0]: 0 });
    expect(check(k, 1)).toEqual({
      holds: false,
      lines: [
        'folio 1: _large_mapcount 2, slots (0, 2) (0, 0), shared bit 0',
        'folio 1: owner slot 0 holds no mm, but counts 2',
      ],
    });
  });

  it('an owner that counts nothing fails the check, slot 1 as well as slot 0', () => {
    expect(check(broken(shared, 0, { [C1]: 0 }), 0)).toEqual({
      holds: false,
      lines: [
        'folio 0: _large_mapcount 4, slots (1, 2) (2, 0), shared bit 1',
        'folio 0: owner slot 1 holds mm1, but counts nothing',
      ],
    });
  });

  it('the shared bit set on an unmapped folio fails the check, and says so', () => {
    const k = broken([fault(0, 0), pin(0, 0), zap(0, 0, 2)], 0, { [S]: 1 });
    expect(check(k, 0)).toEqual({
      holds: false,
      lines: [
        'folio 0: _large_mapcount 0, slots (0, 0) (0, 0), shared bit 1',
        'folio 0: the shared bit is set, but nothing maps it',
      ],
    });
  });

  it('the same mm in both slots fails the check, and says so', () => {
    expect(check(broken(shared, 0, { [ID1]: 1 }), 0)).toEqual({
      holds: false,
      lines: ['folio 0: _large_mapcount 4, slots (1, 2) (1, 2), shared bit 1', 'folio 0: mm0 holds both owner slots'],
    });
  });
});
