/**
 * VMA lookups over per-page VMA attributes (include/linux/mm_types.h `Vm`).
 *
 * Models:   mm/mmap.c find_vma() and the VMA boundaries that batching respects (docs/kernel-rules.md §6 "Batch
 *           boundaries"); a VMA is a maximal run of mapped pages with equal flags and consecutive pgoff.
 * Context:  callers hold the mmap lock.
 * Deviates: VMAs always merge when vma_merge() could merge them (same flags, consecutive pgoff, one
 *           anon_vma tree per mm): the most canonical reading; the kernel may leave mergeable neighbours
 *           apart, which changes no rule the model checks.
 */
import type { Mm, Vm } from '../include/mm_types.js';
import { sameVma } from '../recount/vma.js';

/** The end (exclusive) of the VMA holding `addr`, capped at `limit`. */
export function vma_end(mm: Mm, addr: number, limit: number): number {
  let end = addr + 1;
  while (end < limit && sameVma(mm, addr, end)) end += 1;
  return end;
}

/** find_vma() for one page: whether `addr` is inside a VMA. */
export function vma_mapped(mm: Mm, addr: number): boolean {
  return (mm.vm[addr] as Vm).mapped;
}

/** VM_WRITE of the VMA holding `addr`. */
export function vma_writable(mm: Mm, addr: number): boolean {
  const vm = mm.vm[addr] as Vm;
  return vm.mapped && vm.write;
}

/** The first page of the VMA holding `addr`: with `m`, the VMA's identity (vm_start). */
export function vma_start(mm: Mm, addr: number): number {
  let start = addr;
  while (start > 0 && sameVma(mm, start - 1, addr)) start -= 1;
  return start;
}
