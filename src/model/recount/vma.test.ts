/**
 * sameVma (recount/vma.ts): two pages lie in one VMA exactly when both are mapped, their flags and anon_vma
 * agree and pgoff advances with the address (vma_merge()'s criterion for anonymous VMAs, mm/vma.c); each
 * attribute alone splits them.
 */
import { describe, expect, it } from 'vitest';
import { config, mmOf } from '../../../test/helpers.js';
import type { Mm } from '../include/mm_types.js';
import { createKernel, toPlain } from '../state/plain.js';
import { sameVma } from './vma.js';

type Vm = Mm['vm'][number];

/** mm 0 of a fresh kernel with VMAs tracked, pages 0 and 1 given `a` and `b` over one mapped, writable VMA. */
function pages(a: Partial<Vm>, b: Partial<Vm>): Mm {
  const cfg = config({ ops: ['fault', 'munmap', 'mprotect', 'dontfork'] });
  const mm = mmOf(toPlain(createKernel(cfg)), 0);
  const base: Partial<Vm> = { mapped: true, write: true, dontcopy: false, account: true, anon_vma: 1 };
  Object.assign(mm.vm[0] as Vm, base, { pgoff: 0 }, a);
  Object.assign(mm.vm[1] as Vm, base, { pgoff: 1 }, b);
  return mm;
}

describe('sameVma', () => {
  it('holds for two mapped pages with equal attributes and consecutive pgoff', () => {
    expect(sameVma(pages({}, {}), 0, 1)).toBe(true);
  });

  const splits: readonly [string, Partial<Vm>, Partial<Vm>][] = [
    ['the first page unmapped', { mapped: false }, {}],
    ['the second page unmapped', {}, { mapped: false }],
    ['VM_WRITE on one side', { write: false }, {}],
    ['VM_DONTCOPY on one side', {}, { dontcopy: true }],
    ['VM_ACCOUNT on one side', { account: false }, {}],
    ['another anon_vma', {}, { anon_vma: 2 }],
    ['pgoff not advancing with the address', {}, { pgoff: 2 }],
  ];
  for (const [what, a, b] of splits) {
    it(`does not hold with ${what}`, () => {
      expect(sameVma(pages(a, b), 0, 1)).toBe(false);
    });
  }
});
