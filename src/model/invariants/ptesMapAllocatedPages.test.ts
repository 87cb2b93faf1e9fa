/**
 * ptesMapAllocatedPages (docs/kernel-rules.md §5, bench-core ptes-valid; §5 I12 for huge PMDs): a present PTE
 * maps a page of an allocated folio, a huge PMD a whole allocated PMD-sized folio with no PTE left under it,
 * and an mm that does not exist keeps neither entries nor VMAs. The states the kernel's own steps make keep
 * it; each clause is then broken by hand, as a buggy rule would leave it, and explain() must give the exact
 * words. Slots past the end of the folio table are named too: the check must say "not allocated", not throw.
 */
import { describe, expect, it } from 'vitest';
import {
  config,
  exit,
  fault,
  folioOf,
  fork,
  freeSlot,
  invariantVerdict,
  kernelAfter,
  mapPte,
  pmdOf,
  pteOf,
  reclaim,
  setVm,
  THP_SWAP_OPS,
  thp,
} from '../../../test/helpers.js';
import type { Kernel } from '../include/mm_types.js';
import inv from './ptesMapAllocatedPages.js';

/** Small folios for the PTE clauses; PMD-sized (4-page) folios for the huge PMD ones. */
const cfg = config({ ops: THP_SWAP_OPS, swap: 2, large: 1 });
const thpCfg = config({ ops: THP_SWAP_OPS, swap: 2, large: 4 });

const verdict = (k: Kernel) => invariantVerdict(inv, k);

const good = { ok: true, lines: [] };

describe('ptesMapAllocatedPages: what the kernel makes', () => {
  it('holds with PTEs, a huge PMD, a swap entry, live mms with VMAs and an mm that has exited', () => {
    const k = kernelAfter(cfg, [fault(0, 0), fork(0), exit(1), fault(0, 1), reclaim(0, 1, 1)]);
    expect(mmOf0Vmas(k)).toBe(true);
    expect(pteOf(k, 0, 1).swp).toBe(true);
    expect(verdict(k)).toEqual(good);
    const h = kernelAfter(thpCfg, [thp(0, 0)]);
    expect(pmdOf(h, 0, 0).huge).toBe(true);
    expect(verdict(h)).toEqual(good);
  });
});

/** The live mm0 has mapped VMAs (the dead-mm clause must not reach it). */
function mmOf0Vmas(k: Kernel): boolean {
  return k.mm[0]?.live === true && (k.mm[0]?.vm.every((vm) => vm.mapped) ?? false);
}

describe('ptesMapAllocatedPages: PTEs', () => {
  it('a PTE left on a freed folio (a free that ignored a mapping)', () => {
    const k = kernelAfter(cfg, [fault(0, 0), fault(0, 2)]);
    freeSlot(k, 0);
    expect(verdict(k)).toEqual({
      ok: false,
      lines: ['mm0 PTE 0x0 maps folio 0 page 0, which is not allocated'],
    });
  });

  it('a PTE naming a slot past the end of the folio table is not allocated either', () => {
    const k = kernelAfter(cfg, [fault(0, 1)]);
    const s = k.folio.length;
    pteOf(k, 0, 1).folio = s;
    expect(verdict(k)).toEqual({ ok: false, lines: [`mm0 PTE 0x1 maps folio ${s} page 0, which is not allocated`] });
  });

  it('an exited mm with a present PTE, even one on an allocated folio (exit_mmap() that skipped a page)', () => {
    const k = kernelAfter(cfg, [fault(0, 0), fork(0), exit(1)]);
    expect(verdict(k)).toEqual(good);
    mapPte(k, 1, 2, 0, 0, false);
    expect(verdict(k)).toEqual({ ok: false, lines: ['mm1 does not exist but its PTE 0x2 is not none'] });
  });
});

describe('ptesMapAllocatedPages: VMAs of an mm that does not exist', () => {
  it('one VMA page left mapped after exit is named once', () => {
    const k = kernelAfter(cfg, [fault(0, 0), fork(0), exit(1)]);
    setVm(k, 1, 3, { mapped: true });
    expect(verdict(k)).toEqual({ ok: false, lines: ['mm1 does not exist but still has a VMA'] });
  });
});

describe('ptesMapAllocatedPages: huge PMDs (I12)', () => {
  it('a PTE left under a huge PMD of an allocated PMD-sized folio', () => {
    const k = kernelAfter(thpCfg, [thp(0, 0)]);
    mapPte(k, 0, 1, 0, 1, false);
    expect(verdict(k)).toEqual({ ok: false, lines: ['mm0 huge PMD 0 maps folio 0, but PTEs remain under it'] });
  });

  it('a huge PMD on a folio that is not PMD-sized (a split that left the PMD)', () => {
    const k = kernelAfter(thpCfg, [thp(0, 0)]);
    folioOf(k, 0).nr_pages = 2;
    expect(verdict(k)).toEqual({
      ok: false,
      lines: ['mm0 huge PMD 0 maps folio 0, not a whole allocated PMD-sized folio'],
    });
  });

  it('a huge PMD naming a slot past the end of the folio table', () => {
    const k = kernelAfter(thpCfg, [thp(0, 0)]);
    const s = k.folio.length;
    pmdOf(k, 0, 0).folio = s;
    expect(verdict(k)).toEqual({
      ok: false,
      lines: [`mm0 huge PMD 0 maps folio ${s}, not a whole allocated PMD-sized folio`],
    });
  });
});
