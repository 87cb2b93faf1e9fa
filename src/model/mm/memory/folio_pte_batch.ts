/**
 * folio_pte_batch - how many PTEs from `addr` map consecutive pages of the same large folio
 *
 * Models:   mm/internal.h folio_pte_batch() (v6.9): the batch stops at `max_nr`, which callers set at the
 *           end of the range, the VMA and the page table (kernel-mm.md §6 "Batch boundaries").
 * Context:  caller holds the PT lock; the PTE at `addr` is present.
 * Deviates: write/dirty/young bits never end a batch (fork and zap ignore them; mremap's batch, which must
 *           not mix write bits, is not modelled yet).
 */
import type { Mm, Pte } from '../../include/mm_types.js';

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

/** Pages from `addr` to the end of its page table, capped at `end` (exclusive). */
export function pte_batch_limit(pt: number, addr: number, end: number): number {
  const tableEnd = addr - (addr % pt) + pt;
  return Math.min(end, tableEnd) - addr;
}
