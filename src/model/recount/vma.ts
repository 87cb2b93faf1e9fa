/**
 * What a VMA is in this model's state: a maximal run of mapped pages with equal flags, the same anon_vma
 * and consecutive pgoff, the vma_merge() criterion for anonymous VMAs (mm/vma.c) once the merges the
 * kernel makes have given merged pages one anon_vma (mm/vma_merge.ts). The kernel's VMA lookups
 * (mm/vma.ts) and the recount of (VMA, page table) pairs both read VMAs through this one rule.
 */
import type { Mm, Vm } from '../state/schema.js';

/** Pages a and b (a < b) of `mm` lie in the same VMA. */
export function sameVma(mm: Mm, a: number, b: number): boolean {
  const va = mm.vm[a] as Vm;
  const vb = mm.vm[b] as Vm;
  return (
    va.mapped &&
    vb.mapped &&
    va.write === vb.write &&
    va.dontcopy === vb.dontcopy &&
    va.account === vb.account &&
    va.anon_vma === vb.anon_vma &&
    vb.pgoff === va.pgoff + (b - a)
  );
}
