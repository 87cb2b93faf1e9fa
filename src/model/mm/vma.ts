/**
 * VMA lookups over per-page VMA attributes (include/linux/mm_types.h `Vm`), and the VMA's anon_vma.
 *
 * Models:   mm/mmap.c find_vma() and the VMA boundaries that batching respects (docs/kernel-rules.md §6 "Batch
 *           boundaries"): a VMA is a maximal run of mapped pages with equal flags, the same anon_vma and
 *           consecutive pgoff; mm/rmap.c __anon_vma_prepare() and anon_vma_fork(), mm/vma.c
 *           find_mergeable_anon_vma() for which anon_vma a VMA gets.
 * Context:  callers hold the mmap lock.
 * Deviates: neighbours with equal flags, the same anon_vma (or none) and consecutive pgoff are one VMA: the
 *           kernel merges them where the model does (mm/vma_merge.ts), and the steps modelled give no two
 *           such neighbours that were not merged; the flags kept are VM_WRITE, VM_DONTCOPY and VM_ACCOUNT.
 */
import type { Kernel, Mm, Vm } from '../include/mm_types.js';
import { sameVma } from '../recount/vma.js';

/** The end (exclusive) of the VMA holding `addr`, capped at `limit`. */
export function vma_end(mm: Mm, addr: number, limit: number): number {
  let end = addr + 1;
  while (end < limit && sameVma(mm, addr, end)) end += 1;
  return end;
}

/**
 * vma->anon_vma of the VMA holding `addr` is set. Only meaningful when VMAs are tracked (cfg.tracksVmas);
 * otherwise the one VMA is taken to have one.
 */
export function vma_has_anon_vma(mm: Mm, addr: number): boolean {
  const vm = mm.vm[addr] as Vm;
  return vm.mapped && vm.anon_vma !== 0;
}

/**
 * A name no VMA of any mm uses: the smallest, so that names stay below mms * va (one per VMA at most),
 * which the codec's width for them assumes. anon_vma_alloc() in __anon_vma_prepare() and anon_vma_fork().
 */
export function anon_vma_alloc(k: Kernel): number {
  const { mms, va } = k.cfg;
  const used = new Uint8Array(mms * va + 2);
  for (let m = 0; m < mms; m++) {
    const vm = (k.mm[m] as Mm).vm;
    for (let a = 0; a < va; a++) used[(vm[a] as Vm).anon_vma] = 1;
  }
  let id = 1;
  while (used[id] === 1) id += 1;
  return id;
}

/**
 * anon_vma_compatible - could VMAs a and b (a just below b) share an anon_vma (mm/vma.c)? Adjacent, the
 * same flags but for the access flags (VM_READ, VM_WRITE, VM_EXEC), consecutive pgoff.
 */
function anon_vma_compatible(mm: Mm, aLast: number, bFirst: number): boolean {
  const a = mm.vm[aLast] as Vm;
  const b = mm.vm[bFirst] as Vm;
  return a.mapped && b.mapped && a.dontcopy === b.dontcopy && a.account === b.account && b.pgoff === a.pgoff + 1;
}

/**
 * find_mergeable_anon_vma - an anon_vma a new VMA may share with a neighbour (mm/vma.c), so that an
 * mprotect() that makes them equal again can merge them: the next VMA's, then the previous one's, if
 * anon_vma_compatible() and reusable_anon_vma(): the neighbour has one and its anon_vma_chain is singular
 * (not a fork child). 0 if neither.
 */
function find_mergeable_anon_vma(mm: Mm, start: number, end: number, va: number): number {
  if (end < va && anon_vma_compatible(mm, end - 1, end)) {
    const next = mm.vm[end] as Vm;
    if (next.anon_vma !== 0 && !next.fork_child) return next.anon_vma;
  }
  if (start > 0 && anon_vma_compatible(mm, start - 1, start)) {
    const prev = mm.vm[start - 1] as Vm;
    if (prev.anon_vma !== 0 && !prev.fork_child) return prev.anon_vma;
  }
  return 0;
}

/**
 * anon_vma_prepare - give the VMA holding `addr` of mm `m` an anon_vma before an anonymous folio is mapped
 * in it (mm/rmap.c __anon_vma_prepare(), called by do_anonymous_page(), wp_page_copy(), the THP fault): a
 * neighbour's (find_mergeable_anon_vma()) or a new one, its chain singular either way. Only with VMAs
 * tracked (the caller checks cfg.tracksVmas): then every page of the VMA records it.
 */
export function anon_vma_prepare(k: Kernel, m: number, addr: number): void {
  const mm = k.mm[m] as Mm;
  if ((mm.vm[addr] as Vm).anon_vma !== 0 || !(mm.vm[addr] as Vm).mapped) return;
  const va = k.cfg.va;
  const start = vma_start(mm, addr);
  const end = vma_end(mm, addr, va);
  let id = find_mergeable_anon_vma(mm, start, end, va);
  if (id === 0) id = anon_vma_alloc(k);
  for (let a = start; a < end; a++) {
    const vm = mm.vm[a] as Vm;
    vm.anon_vma = id;
    vm.fork_child = false;
  }
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
