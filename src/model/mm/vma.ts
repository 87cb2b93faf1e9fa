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

/**
 * vma->anon_vma of the VMA holding `addr`: set on every page by anon_vma_prepare(), and a VMA merged from
 * one with and one without keeps it, so any page of the VMA says so. Only meaningful when VMAs are tracked
 * (cfg.tracksVmas); otherwise the one VMA is taken to have one.
 */
export function vma_has_anon_vma(mm: Mm, addr: number): boolean {
  const vm = mm.vm[addr] as Vm;
  if (!vm.mapped) return false;
  if (vm.anon_vma) return true;
  const start = vma_start(mm, addr);
  const end = vma_end(mm, addr, mm.vm.length);
  for (let a = start; a < end; a++) if ((mm.vm[a] as Vm).anon_vma) return true;
  return false;
}

/**
 * anon_vma_prepare - give the VMA holding `addr` an anon_vma before an anonymous folio is mapped in it
 * (mm/rmap.c __anon_vma_prepare(), called by do_anonymous_page(), wp_page_copy(), the THP fault). Only
 * with VMAs tracked (the caller checks cfg.tracksVmas): then every page of the VMA records it.
 */
export function anon_vma_prepare(mm: Mm, addr: number): void {
  if ((mm.vm[addr] as Vm).anon_vma || !(mm.vm[addr] as Vm).mapped) return;
  const start = vma_start(mm, addr);
  const end = vma_end(mm, addr, mm.vm.length);
  for (let a = start; a < end; a++) (mm.vm[a] as Vm).anon_vma = true;
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
