/**
 * anon_vma_prepare() -> find_mergeable_anon_vma() case by case (mm/vma.c find_mergeable_anon_vma(),
 * reusable_anon_vma(), anon_vma_compatible()), on VMAs laid out by hand: the next VMA is tried first, then
 * the previous one; a neighbour lends its anon_vma only if adjacent, equal in flags but the access flags,
 * consecutive in pgoff, and its anon_vma_chain singular (not a fork child). Otherwise anon_vma_alloc().
 */
import { describe, expect, it } from 'vitest';
import { config, kernelAfter, mmOf } from '../../../test/helpers.js';
import { layVmas, type Span } from '../../../test/vmaLayout.js';
import type { Kernel } from '../include/mm_types.js';
import { anon_vma_prepare } from './vma.js';

const VA = 8;
const cfg = config({ mms: 1, va: VA, pt: 4, large: 1, slots: 8, pins: 0, map: 6, ops: ['fault'] });

/** A kernel whose mm 0 is the spans given (writable, accounted, no anon_vma, pgoff = address by default). */
function kernelWith(...spans: Span[]): Kernel {
  const k = kernelAfter(cfg, []);
  layVmas(mmOf(k, 0), ...spans);
  return k;
}

/** The anon_vma the VMA [2,4) gets from anon_vma_prepare(), with `prev` at [0,2) and `next` at [4,6). */
function prepared(prev: Partial<Span>, next: Partial<Span>): number {
  const k = kernelWith(
    { start: 0, end: 2, ...prev },
    { write: false, start: 2, end: 4 },
    { start: 4, end: 6, ...next },
  );
  anon_vma_prepare(k, 0, 2);
  const vm = mmOf(k, 0).vm;
  expect(vm[3]?.anon_vma).toBe(vm[2]?.anon_vma);
  expect(vm[2]?.fork_child).toBe(false);
  return vm[2]?.anon_vma as number;
}

describe('find_mergeable_anon_vma()', () => {
  it('next first: a compatible next VMA (access flags aside) lends its anon_vma, before prev', () => {
    expect(prepared({ anon_vma: 1 }, { anon_vma: 2 })).toBe(2);
    expect(prepared({}, { anon_vma: 2 })).toBe(2);
  });

  it('a next VMA without anon_vma lends none: prev’s is tried', () => {
    expect(prepared({ anon_vma: 1 }, {})).toBe(1);
  });

  it('a fork child lends none (its anon_vma_chain is not singular), next or prev', () => {
    expect(prepared({ anon_vma: 1 }, { anon_vma: 2, fork_child: true })).toBe(1);
    expect(prepared({ anon_vma: 1, fork_child: true }, {})).toBe(2); // a new one: 1 is in use
  });

  it('anon_vma_compatible(): pgoff must run on, VM_DONTCOPY and VM_ACCOUNT must be equal', () => {
    expect(prepared({ anon_vma: 1 }, { anon_vma: 2, pgoff: 5 })).toBe(1);
    expect(prepared({ anon_vma: 1, pgoff: 4 }, {})).toBe(2);
    expect(prepared({ anon_vma: 1 }, { anon_vma: 2, dontcopy: true })).toBe(1);
    expect(prepared({ anon_vma: 1, dontcopy: true }, {})).toBe(2);
    expect(prepared({ anon_vma: 1 }, { anon_vma: 2, account: false })).toBe(1);
    expect(prepared({ anon_vma: 1, account: false }, {})).toBe(2);
  });

  it('neither neighbour lends one: anon_vma_alloc() gives the smallest name no VMA uses', () => {
    expect(prepared({ anon_vma: 1, fork_child: true }, { anon_vma: 2, fork_child: true })).toBe(3);
  });
});
