/**
 * mm-id's imprecision figures (docs/kernel-rules.md §3.4): `observe` counts the (state, large folio) pairs
 * mapped more than once by one mm ("exclusive") and, of those, the ones whose shared bit is set anyway
 * ("falselyShared"); `figure` and `report` print them. The search calls these (src/spec.ts), in suites the
 * mutation runs leave out, so each is checked here directly on states the kernel's steps make.
 */
import { describe, expect, it } from 'vitest';
import { exit, fault, fork, kernelAfter, threeMmsMmId, zap } from '../../../test/helpers.js';
import { Truth } from '../recount/truth.js';
import type { Kernel } from '../state/schema.js';
import { kernelMmId, type SchemeStats } from './index.js';

const cfg = threeMmsMmId();
const mmId = kernelMmId(cfg);
const { observe, figure, report } = mmId.scheme;

function observed(states: Kernel[]): [string, number][] {
  const stats: SchemeStats = { counts: new Map() };
  for (const k of states) {
    const t = new Truth(cfg);
    t.recount(k);
    observe?.(k, t, 0, mmId.o, stats);
  }
  return [...stats.counts];
}

const stats = (exclusive?: number, falselyShared?: number): SchemeStats => ({
  counts: new Map<string, number>([
    ...(exclusive === undefined ? [] : [['exclusive', exclusive] as const]),
    ...(falselyShared === undefined ? [] : [['falselyShared', falselyShared] as const]),
  ]),
});

describe("mm-id's imprecision", () => {
  const once = kernelAfter(cfg, [fault(0, 0), zap(0, 1, 1)]); // one mapping: nothing to get wrong
  const twice = kernelAfter(cfg, [fault(0, 0)]); // two mappings, one mm, bit clear: right
  const sharedByTwo = kernelAfter(cfg, [fault(0, 0), fork(0)]); // two mms: not the question
  const untracked = kernelAfter(cfg, [fault(0, 0), fork(0), fork(0), exit(0), exit(1)]); // mm2 alone, bit set

  it('observe counts only folios mapped more than once by one mm, and those whose bit says shared', () => {
    expect(observed([once])).toEqual([]);
    expect(observed([sharedByTwo])).toEqual([]);
    expect(observed([twice])).toEqual([['exclusive', 1]]);
    expect(observed([untracked])).toEqual([
      ['exclusive', 1],
      ['falselyShared', 1],
    ]);
    expect(observed([once, twice, sharedByTwo, untracked, twice, untracked])).toEqual([
      ['exclusive', 4],
      ['falselyShared', 2],
    ]);
  });

  it('figure: "falsely shared/exclusive", with thousands separators; 0/0 before any state', () => {
    expect(figure?.(stats(34_403, 811))).toBe('811/34,403');
    expect(figure?.(stats(5))).toBe('0/5');
    expect(figure?.(stats())).toBe('0/0');
  });

  it('report: the same in a sentence, with the share in percent (0.0% of none)', () => {
    expect(report?.(stats(8, 2))).toEqual([
      'imprecision: 2 of 8 (state, large folio) pairs mapped more than once by one mm say "maybe shared" (25.0%)',
    ]);
    expect(report?.(stats(12_345, 1_234))).toEqual([
      'imprecision: 1,234 of 12,345 (state, large folio) pairs mapped more than once by one mm say "maybe shared" (10.0%)',
    ]);
    expect(report?.(stats())).toEqual([
      'imprecision: 0 of 0 (state, large folio) pairs mapped more than once by one mm say "maybe shared" (0.0%)',
    ]);
  });
});
