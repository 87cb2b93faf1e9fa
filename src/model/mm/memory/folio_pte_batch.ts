/**
 * folio_pte_batch - how many PTEs from `addr` map consecutive pages of the same large folio
 *
 * Models:   mm/internal.h folio_pte_batch() (v6.9): the batch stops at `max_nr`, which callers set at the
 *           end of the range, the VMA and the page table (docs/kernel-rules.md §6 "Batch boundaries").
 * Context:  caller holds the PT lock; the PTE at `addr` is present.
 * Deviates: write/dirty/young bits never end a batch (fork and zap ignore them; mremap's batch, which must
 *           not mix write bits, is not modelled yet).
 */
import type { Kernel, Mm, Pte } from '../../include/mm_types.js';
import { vma_end } from '../vma.js';

export function folio_pte_batch(mm: Mm, addr: number, max_nr: number): number {
  const first = mm.pte[addr] as Pte;
  const folio = first.folio;
  let page = first.page;
  let nr = 1;
  while (nr < max_nr) {
    const pte = mm.pte[addr + nr] as Pte;
    if (!pte.present || pte.folio !== folio || pte.page !== page + 1) break;
    page += 1;
    nr += 1;
  }
  return nr;
}

/** Pages from `addr` to the end of its page table and of its VMA, capped at `end` (exclusive). */
export function pte_batch_limit(k: Kernel, mm: Mm, addr: number, end: number): number {
  const pt = k.cfg.pt;
  const tableEnd = Math.min(end, addr - (addr % pt) + pt);
  // With one VMA over the whole address space (bench-core), the table end is the only boundary.
  return (k.cfg.tracksVmas ? vma_end(mm, addr, tableEnd) : tableEnd) - addr;
}
