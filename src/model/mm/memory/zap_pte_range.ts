/**
 * zap_pte_range - MADV_DONTNEED of an aligned range: unmap every present PTE in it
 *
 * Models:   mm/memory.c zap_pte_range() -> zap_present_ptes() -> zap_present_folio_ptes() (v6.9 batching),
 *           reached from madvise_dontneed_single_vma() -> zap_page_range_single(); kernel-mm.md §2.6.
 * Context:  one step: the range lies in one VMA; each page table is handled under its PT lock. The kernel
 *           drops the mapping references through the mmu_gather after the TLB flush; nothing else runs in
 *           between in the model, so they are dropped per batch, right after the rmap removal.
 * Return:   0; 'EFAULT' if the mm does not exist; 'ENOENT' if no PTE in the range is present (the kernel
 *           succeeds doing nothing; the model does not count a step that changes nothing).
 * Deviates: no swap or migration entries yet; pins record whether their address is still mapped
 *           (`attached`), model bookkeeping for the pin-coherence invariant.
 */

import { folio_put_refs } from '../../include/mm.js';
import type { Folio, Kernel, Mm, Pin, Pte } from '../../include/mm_types.js';
import { folio_remove_rmap_ptes } from '../rmap/folio_remove_rmap_ptes.js';
import { folio_pte_batch, pte_batch_limit } from './folio_pte_batch.js';

export function zap_pte_range(k: Kernel, m: number, addr: number, nr: number): 0 | 'EFAULT' | 'ENOENT' {
  const mm = k.mm[m];
  if (mm === undefined || !mm.live) return 'EFAULT';
  const end = addr + nr;
  let any = false;
  for (let a = addr; a < end; a++) any ||= (mm.pte[a] as Pte).present;
  if (!any) return 'ENOENT';

  for (let a = addr; a < end; ) {
    const pte = mm.pte[a] as Pte;
    if (!pte.present) {
      a += 1;
      continue;
    }
    const batch = folio_pte_batch(mm, a, pte_batch_limit(k, mm, a, end));
    zap_present_ptes(k, m, mm, a, batch);
    a += batch;
  }
  return 0;
}

/** zap_present_ptes - clear `nr` PTEs of one folio batch and remove their rmap in one call. */
function zap_present_ptes(k: Kernel, m: number, mm: Mm, addr: number, nr: number): void {
  const first = mm.pte[addr] as Pte;
  const slot = first.folio;
  const page = first.page;
  const folio = k.folio[slot] as Folio;
  for (let a = addr; a < addr + nr; a++) {
    const pte = mm.pte[a] as Pte;
    pte.present = false;
    pte.write = false;
    pte.folio = 0;
    pte.page = 0;
    pin_detach(k, m, a);
  }
  folio_remove_rmap_ptes(k, folio, page, nr);
  // tlb_remove_folio_ptes() + tlb_finish_mmu(): one reference per cleared PTE.
  folio_put_refs(k, slot, nr);
}

/** A pin taken at (m, addr) no longer sees its owner's mapping there. */
function pin_detach(k: Kernel, m: number, addr: number): void {
  for (const pin of k.pin as Pin[]) {
    if (pin.live && pin.mm === m && pin.addr === addr) pin.attached = false;
  }
}
