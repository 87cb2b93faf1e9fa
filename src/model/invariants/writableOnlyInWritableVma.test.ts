/**
 * writableOnlyInWritableVma (docs/kernel-rules.md §2.1 step 4, §2.15): a writable PTE or huge PMD lies in a
 * mapped VMA page with VM_WRITE. Each clause on a state broken by hand, with the words explain() gives, and
 * the states the kernel's own steps make, which keep it. (Its mutation run showed no test ever broke it.)
 */
import { describe, expect, it } from 'vitest';
import {
  config,
  invariantVerdict,
  kernelAfter,
  mmOf,
  mprotect,
  pmdOf,
  pteOf,
  THP_SWAP_OPS,
  thp,
  write,
} from '../../../test/helpers.js';
import type { Kernel } from '../include/mm_types.js';
import { CORE_OPS } from '../steps/index.js';
import writableOnlyInWritableVma from './writableOnlyInWritableVma.js';

const ops = [...CORE_OPS, 'write', 'mprotect', 'munmap'];

const verdict = (k: Kernel) => invariantVerdict(writableOnlyInWritableVma, k);

describe('writableOnlyInWritableVma', () => {
  it('holds where mprotect() took VM_WRITE away and write-protected the PTEs', () => {
    const k = kernelAfter(config({ ops, large: 1 }), [write(0, 0), write(0, 3), mprotect(0, 0, 2, 'ro')]);
    expect(verdict(k)).toEqual({ ok: true, lines: [] });
  });

  it('a writable PTE in a page without VM_WRITE breaks it, named by mm and address (the last page too)', () => {
    const k = kernelAfter(config({ ops, large: 1 }), [write(0, 3), mprotect(0, 0, 4, 'ro')]);
    pteOf(k, 0, 3).write = true;
    expect(verdict(k)).toEqual({ ok: false, lines: ['mm0 maps 0x3 writable, but its VMA has no VM_WRITE'] });
  });

  it('a writable PTE where no VMA is mapped breaks it, even if the page kept its write bit', () => {
    const k = kernelAfter(config({ ops, large: 1, mms: 2 }), [write(0, 1)]);
    const vm = mmOf(k, 0).vm[1];
    if (vm === undefined) throw new Error('no VMA page 1');
    vm.mapped = false;
    expect(verdict(k)).toEqual({ ok: false, lines: ['mm0 maps 0x1 writable, but its VMA has no VM_WRITE'] });
  });

  it('a writable huge PMD over pages without VM_WRITE breaks it at every address it covers; a read-only one does not', () => {
    const c = config({ ops: [...THP_SWAP_OPS, 'mprotect'], mms: 1, va: 4, pt: 2, map: 4, large: 2 });
    const k = kernelAfter(c, [thp(0, 2), mprotect(0, 2, 2, 'ro')]);
    expect(pmdOf(k, 0, 1).huge).toBe(true);
    expect(verdict(k).ok).toBe(true);
    pmdOf(k, 0, 1).write = true;
    expect(verdict(k)).toEqual({
      ok: false,
      lines: [
        'mm0 maps 0x2 writable, but its VMA has no VM_WRITE',
        'mm0 maps 0x3 writable, but its VMA has no VM_WRITE',
      ],
    });
  });
});
