/**
 * What a VMA is in this model's state: a maximal run of mapped pages with equal flags and consecutive
 * pgoff, the vma_merge() criterion for anonymous VMAs (mm/vma.c). The kernel's VMA lookups (mm/vma.ts) and
 * the recount of (VMA, page table) pairs both read VMAs through this one rule.
 */
import type { Mm, Vm } from '../state/schema.js';

/** Pages a and b (a < b) of `mm` lie in the same VMA. */
export function sameVma(mm: Mm, a: number, b: number): boolean {
  const va = mm.vm[a] as Vm;
  const vb = mm.vm[b] as Vm;
  return (
    va.mapped && vb.mapped && va.write === vb.write && va.dontcopy === vb.dontcopy && vb.pgoff === va.pgoff + (b - a)
  );
}
