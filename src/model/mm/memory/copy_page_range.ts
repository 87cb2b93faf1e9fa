/**
 * copy_page_range - copy the parent's page tables of a private anonymous VMA into the fork child
 *
 * Models:   mm/memory.c copy_page_range() -> copy_pte_range() -> copy_present_ptes() / copy_present_page()
 *           (v6.9 batching); docs/kernel-rules.md §2.7. Which pages the child gets a copy of is the era's
 *           (rmap.ts: <= 5.8 none, 5.9 every maybe-pinned page, 5.19+ the exclusive maybe-pinned ones).
 * Context:  inside dup_mmap(), one step (mmap locks of both mms and mm->write_protect_seq held).
 * Return:   0, or 'ENOMEM' when a page that may be pinned needs a copy and no folio slot is free; the
 *           caller then discards the whole fork (docs/bench-core.md: no part of it happens).
 * Deviates: the kernel's fork failing half-way leaves the parent's write-protected PTEs behind; the model
 *           treats the slot bound as a search bound instead and never shows that state.
 */

import {
  FORK_COPY_PINNED,
  FORK_DONTCOPY,
  FORK_HUGE_SHARE,
  FORK_HUGE_SPLIT,
  FORK_SHARE,
  FORK_SWAP,
  taken,
} from '../../coverage.js';
import { folio_get, folio_put, folio_ref_add, folio_test_large } from '../../include/mm.js';
import type { Folio, Kernel, Mm, Page, Pmd, Pte, Vm } from '../../include/mm_types.js';
import { folio_try_dup_anon_rmap_ptes } from '../../include/rmap.js';
import { sameVma } from '../../recount/vma.js';
import { __split_huge_pmd } from '../huge_memory/__split_huge_pmd.js';
import { folio_alloc, NO_SLOT } from '../page_alloc.js';
import { folio_add_new_anon_rmap } from '../rmap/folio_add_new_anon_rmap.js';
import { folio_try_dup_anon_rmap_pmd } from '../rmap/folio_pmd_rmap.js';
import { swap_duplicate } from '../swapfile/swap_slots.js';
import { anon_vma_alloc, vma_has_anon_vma, vma_writable } from '../vma.js';
import { folio_pte_batch, pte_batch_limit } from './folio_pte_batch.js';

export function copy_page_range(k: Kernel, src: number, dst: number): 0 | 'ENOMEM' {
  const { va, pt } = k.cfg;
  const srcMm = k.mm[src] as Mm;
  const dstMm = k.mm[dst] as Mm;
  // dup_mmap(): the child gets every VMA but the VM_DONTCOPY ones, with the same flags and pgoff.
  for (let a = 0; a < va; a++) {
    const from = srcMm.vm[a] as Vm;
    if (from.mapped && from.dontcopy) taken(FORK_DONTCOPY);
    if (!from.mapped || from.dontcopy) continue;
    const to = dstMm.vm[a] as Vm;
    to.mapped = true;
    to.write = from.write;
    to.dontcopy = false;
    to.account = from.account;
    // anon_vma_fork(): the child's VMA gets an anon_vma of its own when the parent's has one, linked to
    // the parent's (a fork child); the next pages of the VMA get the same.
    if (!k.cfg.tracksVmas || !vma_has_anon_vma(srcMm, a)) {
      to.anon_vma = 0;
      to.fork_child = false;
    } else if (a > 0 && sameVma(srcMm, a - 1, a)) {
      to.anon_vma = (dstMm.vm[a - 1] as Vm).anon_vma;
      to.fork_child = true;
    } else {
      to.anon_vma = anon_vma_alloc(k);
      to.fork_child = true;
    }
    to.pgoff = from.pgoff;
    if (k.cfg.data) dstMm.expect[a] = srcMm.expect[a] as number;
  }
  for (let table = 0; table < va; table += pt) {
    const pmd = srcMm.pmd[table / pt] as Pmd;
    if (pmd.huge && copies(k, dstMm, table) && copy_huge_pmd(k, src, dst, table) === 0) continue;
    const ret = copy_pte_range(k, src, dst, table, table + pt);
    if (ret) return ret;
  }
  return 0;
}

/**
 * vma_needs_copy - does fork copy the page tables at `a`? Only of a VMA the child gets (not VM_DONTCOPY)
 * and that has an anon_vma (mm/memory.c vma_needs_copy(); the child's VMA has one exactly when the
 * parent's does): a VMA whose only PTEs map the zero page (read faults) is not copied, and the child
 * faults afresh.
 */
function copies(k: Kernel, dstMm: Mm, a: number): boolean {
  const vm = dstMm.vm[a] as Vm;
  return vm.mapped && (vm.anon_vma !== 0 || !k.cfg.tracksVmas);
}

/**
 * copy_huge_pmd - share a PMD-mapped folio with the child: both PMDs read-only, head AE cleared, entire
 * mapcount +1 (docs/kernel-rules.md §2.7). If the head is exclusive and the folio may be pinned, the parent's PMD
 * is split instead and 'EAGAIN' sends the caller down the PTE path, which copies the pinned pages.
 */
function copy_huge_pmd(k: Kernel, src: number, dst: number, table: number): 0 | 'EAGAIN' {
  const t = table / k.cfg.pt;
  const from = (k.mm[src] as Mm).pmd[t] as Pmd;
  const slot = from.folio;
  const folio = k.folio[slot] as Folio;
  folio_get(folio);
  if (folio_try_dup_anon_rmap_pmd(k, folio, dst, table)) {
    folio_put(k, slot);
    taken(FORK_HUGE_SPLIT);
    __split_huge_pmd(k, src, table);
    return 'EAGAIN';
  }
  taken(FORK_HUGE_SHARE);
  from.write = false;
  const to = (k.mm[dst] as Mm).pmd[t] as Pmd;
  to.huge = true;
  to.write = false;
  to.folio = slot;
  return 0;
}

function copy_pte_range(k: Kernel, src: number, dst: number, addr: number, end: number): 0 | 'ENOMEM' {
  const srcMm = k.mm[src] as Mm;
  const dstMm = k.mm[dst] as Mm;
  for (let a = addr; a < end; ) {
    const pte = srcMm.pte[a] as Pte;
    if (!copies(k, dstMm, a)) {
      // Nothing to copy: a VM_DONTCOPY VMA the child does not get, or one without an anon_vma.
      a += 1;
      continue;
    }
    if (pte.swp) {
      // copy_nonpresent_pte(): both share the entry; the exclusive marker is cleared in the parent and
      // absent in the child (docs/kernel-rules.md §2.7, I4).
      taken(FORK_SWAP);
      swap_duplicate(k, pte.swap);
      pte.swp_exclusive = false;
      const child = dstMm.pte[a] as Pte;
      child.swp = true;
      child.swap = pte.swap;
      a += 1;
      continue;
    }
    if (pte.zero) {
      // A zero-page PTE is copied as it is: read-only, no folio (copy_present_pte(), special PTE).
      (dstMm.pte[a] as Pte).zero = true;
      a += 1;
      continue;
    }
    if (!pte.present) {
      // Nothing mapped.
      a += 1;
      continue;
    }
    const folio = k.folio[pte.folio] as Folio;
    const max_nr = pte_batch_limit(k, srcMm, a, end);
    if (folio_test_large(folio) && max_nr > 1) {
      const nr = folio_pte_batch(srcMm, a, max_nr);
      if (copy_present_ptes(k, folio, srcMm, dst, a, nr) === 0) {
        a += nr;
        continue;
      }
      // -EAGAIN: some page may be pinned; redo the batch one PTE at a time so that exactly the
      // exclusive, maybe-pinned pages are copied for the child.
      for (let i = 0; i < nr; i++) {
        const ret = copy_present_pte(k, srcMm, dst, a + i);
        if (ret) return ret;
      }
      a += nr;
      continue;
    }
    const ret = copy_present_pte(k, srcMm, dst, a);
    if (ret) return ret;
    a += 1;
  }
  return 0;
}

/** copy_present_ptes - share a batch of `nr` PTEs of one large folio; 'EAGAIN' if it may be pinned. */
function copy_present_ptes(k: Kernel, folio: Folio, srcMm: Mm, dst: number, addr: number, nr: number): 0 | 'EAGAIN' {
  const dstMm = k.mm[dst] as Mm;
  const first = (srcMm.pte[addr] as Pte).page;
  folio_ref_add(folio, nr);
  if (folio_try_dup_anon_rmap_ptes(k, folio, first, nr, dst, addr)) {
    folio_ref_add(folio, -nr);
    return 'EAGAIN';
  }
  taken(FORK_SHARE, nr);
  for (let i = 0; i < nr; i++) share_pte(srcMm.pte[addr + i] as Pte, dstMm.pte[addr + i] as Pte);
  return 0;
}

/** The single-PTE path: share the page, or give the child a copy of an exclusive, maybe-pinned page. */
function copy_present_pte(k: Kernel, srcMm: Mm, dst: number, addr: number): 0 | 'ENOMEM' {
  const dstMm = k.mm[dst] as Mm;
  const pte = srcMm.pte[addr] as Pte;
  const slot = pte.folio;
  const folio = k.folio[slot] as Folio;
  folio_get(folio);
  if (folio_try_dup_anon_rmap_ptes(k, folio, pte.page, 1, dst, addr)) {
    folio_put(k, slot);
    taken(FORK_COPY_PINNED);
    return copy_present_page(k, dst, addr, folio.pages[pte.page] as Page);
  }
  taken(FORK_SHARE);
  share_pte(pte, dstMm.pte[addr] as Pte);
  return 0;
}

/**
 * __copy_present_ptes - in a COW mapping both sides map the page read-only from now on: write-protect the
 * parent's PTE and install the same, read-only, in the child.
 */
function share_pte(src: Pte, dst: Pte): void {
  src.write = false;
  dst.present = true;
  dst.write = false;
  dst.folio = src.folio;
  dst.page = src.page;
}

/**
 * copy_present_page - the page is exclusive and may be pinned: the child gets its own copy now and the
 * parent's PTE stays exactly as it was (still writable if it was), so the pin keeps seeing the parent's
 * page (70e806e4e645, 5.9; 5.19+ phrased with AnonExclusive).
 */
function copy_present_page(k: Kernel, m: number, addr: number, src: Page): 0 | 'ENOMEM' {
  const dstMm = k.mm[m] as Mm;
  const dst = dstMm.pte[addr] as Pte;
  const writable = vma_writable(dstMm, addr);
  const slot = folio_alloc(k, 1);
  if (slot === NO_SLOT) return 'ENOMEM';
  ((k.folio[slot] as Folio).pages[0] as Page).data = src.data;
  dst.present = true;
  dst.write = writable;
  dst.folio = slot;
  dst.page = 0;
  folio_add_new_anon_rmap(k, k.folio[slot] as Folio, 1, m, addr);
  return 0;
}
