/**
 * tuple-scan (docs/kernel-rules.md §3.2, the thread's fix for partial unmap): an rmap call changes the
 * count only when no other PTE or PMD of the folio is left in the call's (VMA, page table) pair. Checked
 * step by step without VMA tracking (every page of an mm in one VMA: the scan's shortcut), where partial
 * unmaps and an exit that zaps two runs of one folio must leave the count exact; and on the scan's edge for
 * a PMD-level call, which skips the PMD only: a PTE at the PMD's own address is another mapping of the pair.
 */
import { describe, expect, it } from 'vitest';
import { config, exit, fault, folioOf, fork, kernelAfter, splitPmd, thp, zap } from '../../../test/helpers.js';
import type { Action } from '../actions.js';
import { Truth } from '../recount/truth.js';
import type { Kernel } from '../state/schema.js';
import { type SchemeSlot, schemeSlots } from './index.js';

const cfg = config({
  mms: 2,
  va: 4,
  pt: 4,
  large: 4,
  slots: 4,
  pins: 1,
  ops: ['fault', 'zap', 'fork', 'exit', 'thp', 'split_pmd'],
  schemes: ['tuple-scan'],
});
const scan = schemeSlots(cfg)[0] as SchemeSlot;

/** The tuple count of folio 0 and the (VMA, page table) pairs the recount finds. */
function counts(k: Kernel): [number, number] {
  const t = new Truth(k.cfg);
  t.recount(k);
  return [folioOf(k, 0).mc[scan.o] as number, t.tuples[0] as number];
}

describe('tuple-scan', () => {
  it('runs without VMA tracking: one VMA per mm, so any PTE of the folio left in the table counts', () => {
    expect(cfg.tracksVmas).toBe(false);
  });

  it('stays exact through partial unmaps in both mms and the exit of one', () => {
    const steps: [Action, number][] = [
      [fault(0, 0), 1],
      [fork(0), 2],
      [zap(1, 2, 1), 2], // mm1 keeps pages 0, 1 and 3: two runs
      [zap(0, 1, 1), 2], // mm0 keeps 0, 2, 3
      [exit(1), 1], // zaps mm1's two runs: the first leaves page 3, the second takes the pair
      [zap(0, 0, 1), 1],
      [zap(0, 2, 2), 0],
    ];
    for (let i = 1; i <= steps.length; i++) {
      const k = kernelAfter(
        cfg,
        steps.slice(0, i).map(([a]) => a),
      );
      const want = (steps[i - 1] as [Action, number])[1];
      expect(counts(k), `after step ${i}`).toEqual([want, want]);
    }
  });

  it("a PMD-level call skips the PMD only: a PTE of the folio at the PMD's address keeps the pair", () => {
    // After the split (PTEs added, then the PMD removed) and a zap of pages 1..3, one PTE is left, at 0.
    const k = kernelAfter(cfg, [thp(0, 0), splitPmd(0, 0), zap(0, 1, 3)]);
    expect(counts(k)).toEqual([1, 1]);
    const folio = folioOf(k, 0);
    scan.scheme.remove(k, folio, scan.o, { m: 0, addr: 0, first: 0, nr: 1, level: 'pmd' });
    expect(counts(k)).toEqual([1, 1]);
    scan.scheme.add(k, folio, scan.o, { m: 0, addr: 0, first: 0, nr: 1, level: 'pmd' });
    expect(counts(k)).toEqual([1, 1]);
  });
});
