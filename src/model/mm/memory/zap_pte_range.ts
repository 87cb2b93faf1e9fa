/**
 * zap_pte_range - MADV_DONTNEED of an aligned range: unmap every present PTE in it
 *
 * Models:   mm/memory.c zap_pte_range() -> zap_present_ptes() -> zap_present_folio_ptes() (v6.9 batching),
 *           reached from madvise_dontneed_single_vma() -> zap_page_range_single(); docs/kernel-rules.md §2.6.
 * Context:  one step: the range lies in one VMA; each page table is handled under its PT lock. The kernel
 *           drops the mapping references through the mmu_gather after the TLB flush; nothing else runs in
 *           between in the model, so they are dropped per batch, right after the rmap removal.
 * Return:   0; 'EFAULT' if the mm does not exist or the range has a hole; 'ENOENT' if nothing in the range
 *           is mapped (the kernel succeeds doing nothing; the model does not count a step that changes
 *           nothing).
 *           A swap PTE drops its swap count (free_swap_and_cache_nr()); a swapcache folio whose last mapping
 *           goes leaves the swapcache if no swap entry names it (free_swap_cache()).
 * Deviates: no migration entries; pins record whether their address is still mapped
 *           (`attached`), model bookkeeping for the pin-coherence invariant.
 */

import { taken, ZAP_PINNED, ZAP_SWAP } from '../../coverage.js';
import { folio_mapcount, folio_put_refs } from '../../include/mm.js';
import type { Folio, Kernel, Mm, Page, Pin, Pmd, Pte } from '../../include/mm_types.js';
import { clearPte } from '../../state/plain.js';
import { split_huge_pmds_partly_covered } from '../huge_memory/__split_huge_pmd.js';
import { folio_remove_rmap_pmd } from '../rmap/folio_pmd_rmap.js';
import { folio_remove_rmap_ptes } from '../rmap/folio_remove_rmap_ptes.js';
import { folio_free_swap } from '../swap_state.js';
import { free_swap_and_cache } from '../swapfile/swap_slots.js';
import { vma_mapped } from '../vma.js';
import { folio_pte_batch, pte_batch_limit } from './folio_pte_batch.js';

export function zap_pte_range(k: Kernel, m: number, addr: number, nr: number): 0 | 'EFAULT' | 'ENOENT' {
  const mm = k.mm[m];
  if (mm === undefined || !mm.live) return 'EFAULT';
  const end = addr + nr;
  const { hugePmds, specialPtes, tracksVmas, pt } = k.cfg;
  let any = false;
  for (let a = addr; a < end; a++) {
    const pte = mm.pte[a] as Pte;
    any ||= pte.present || (specialPtes && (pte.zero || pte.swp)) || (hugePmds && (mm.pmd[(a / pt) | 0] as Pmd).huge);
    // madvise() refuses a range with holes (-ENOMEM); the model does not apply it partly.
    if (tracksVmas && !vma_mapped(mm, a)) return 'EFAULT';
  }
  if (!any) return 'ENOENT';
  unmap_page_range(k, m, addr, end);
  return 0;
}

/**
 * unmap_page_range - clear every entry of [addr, end) of mm m (munmap, exit and MADV_DONTNEED share it).
 * With data tracking, what the process reads there afterwards is zeroes.
 */
export function unmap_page_range(k: Kernel, m: number, addr: number, end: number): void {
  const mm = k.mm[m] as Mm;
  const { data, specialPtes } = k.cfg;
  if (k.cfg.hugePmds) zap_pmd_range(k, m, mm, addr, end);
  for (let a = addr; a < end; ) {
    const pte = mm.pte[a] as Pte;
    if (data) mm.expect[a] = 0;
    if (specialPtes && pte.zero) clearPte(pte);
    if (specialPtes && pte.swp) {
      taken(ZAP_SWAP);
      // zap_nonpresent_ptes() -> free_swap_and_cache_nr(): one swap reference fewer.
      free_swap_and_cache(k, pte.swap);
      clearPte(pte);
    }
    if (!pte.present) {
      a += 1;
      continue;
    }
    const batch = folio_pte_batch(mm, a, pte_batch_limit(k, mm, a, end));
    zap_present_ptes(k, m, mm, a, batch);
    if (k.cfg.data) for (let b = a + 1; b < a + batch; b++) mm.expect[b] = 0;
    a += batch;
  }
}

/**
 * zap_pmd_range - a huge PMD the range covers whole is zapped as one mapping (zap_huge_pmd()); one it
 * covers in part is split first and its PTEs zapped like any others (docs/kernel-rules.md §2.6 step 7).
 */
function zap_pmd_range(k: Kernel, m: number, mm: Mm, addr: number, end: number): void {
  const { pt } = k.cfg;
  split_huge_pmds_partly_covered(k, m, addr, end);
  for (let start = addr - (addr % pt); start < end; start += pt) {
    const pmd = mm.pmd[start / pt] as Pmd;
    if (!pmd.huge) continue;
    const slot = pmd.folio;
    pmd.huge = false;
    pmd.write = false;
    pmd.folio = 0;
    for (let a = start; a < start + pt; a++) pin_detach(k, m, a);
    folio_remove_rmap_pmd(k, k.folio[slot] as Folio, m, start);
    folio_put_refs(k, slot, 1);
  }
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
  folio_remove_rmap_ptes(k, folio, page, nr, m, addr);
  // free_pages_and_swap_cache() -> free_swap_cache(): an unmapped swapcache folio leaves the swapcache
  // when no swap entry names it any more.
  if (k.cfg.swap > 0 && folio_mapcount(folio) === 0) folio_free_swap(k, slot);
  // tlb_remove_folio_ptes() + tlb_finish_mmu(): one reference per cleared PTE.
  folio_put_refs(k, slot, nr);
}

/**
 * A pin taken at (m, addr) no longer sees its owner's mapping there. From now on nobody may write what it
 * sees, so (data tracking) it must keep the content its page holds at this moment: a later change is a
 * write leaking in from another mm (§4 B2), whatever the owner wrote before.
 */
function pin_detach(k: Kernel, m: number, addr: number): void {
  for (const pin of k.pin as Pin[]) {
    if (pin.live && pin.attached && pin.mm === m && pin.addr === addr) {
      taken(ZAP_PINNED);
      pin.attached = false;
      if (k.cfg.data) pin.expect = ((k.folio[pin.folio] as Folio).pages[pin.page] as Page).data;
    }
  }
}
