/**
 * move_vma - mremap(MREMAP_MAYMOVE | MREMAP_FIXED): move the pages of a range to another address
 *
 * Models:   mm/mremap.c move_vma() -> copy_vma() + move_page_tables() -> move_ptes() (docs/kernel-rules.md §2.8):
 *           the moved range becomes a VMA of its own at the new address with the same flags and pgoff (the
 *           new address as pgoff when the VMA has no anon_vma: copy_vma()) and anon_vma, merged with its new
 *           neighbours as vma_merge_new_range() merges (vma_merge.ts), and
 *           every entry moves unchanged; no rmap, mapcount, refcount, AE or MM-ID changes. A large folio can
 *           so end up mapped from two VMAs and two page tables of one mm: the "partially mremap'ed THP".
 * Context:  one step under the mmap write lock.
 * Return:   0; 'EFAULT' if the mm does not exist, the old range is not inside one VMA (vma_to_resize()), or
 *           the new range is not free or overlaps the old one (the model does not unmap a destination).
 * Deviates: entries move one by one, so the 6.17 batching bug (§4 B12) cannot be reproduced; pins follow
 *           the page to its new address (the pin holds the page, not the address).
 */

import { MREMAP_HUGE, taken } from '../../coverage.js';
import type { Kernel, Pin, Pmd, Pte, Vm } from '../../include/mm_types.js';
import { sameVma } from '../../recount/vma.js';
import { clearPte, copyPte } from '../../state/plain.js';
import { pin_sort } from '../gup/pin_table.js';
import { split_huge_pmds_partly_covered } from '../huge_memory/__split_huge_pmd.js';
import { vma_has_anon_vma } from '../vma.js';
import { commitCopiedRange, vma_merge_copied_range } from '../vma_merge.js';

export function move_vma(k: Kernel, m: number, addr: number, nr: number, to: number): 0 | 'EFAULT' {
  const mm = k.mm[m];
  if (mm === undefined || !mm.live) return 'EFAULT';
  if (addr === to || (to < addr + nr && addr < to + nr) || to + nr > k.cfg.va) return 'EFAULT';
  if (!(mm.vm[addr] as Vm).mapped) return 'EFAULT';
  for (let i = 1; i < nr; i++) if (!sameVma(mm, addr, addr + i)) return 'EFAULT';
  for (let i = 0; i < nr; i++) if ((mm.vm[to + i] as Vm).mapped) return 'EFAULT';
  const pt = k.cfg.pt;
  if (k.cfg.hugePmds) {
    // move_huge_pmd() needs whole, aligned extents at both ends; anything else splits the PMD first.
    const whole = nr === pt && addr % pt === 0 && to % pt === 0;
    const from = mm.pmd[(addr / pt) | 0] as Pmd;
    if (whole && from.huge) {
      taken(MREMAP_HUGE);
      const dst = mm.pmd[to / pt] as Pmd;
      dst.huge = true;
      dst.write = from.write;
      dst.folio = from.folio;
      from.huge = false;
      from.write = false;
      from.folio = 0;
    } else {
      split_huge_pmds_partly_covered(k, m, addr, addr + nr, true);
    }
  }
  // copy_vma(): an anonymous VMA never faulted (no anon_vma) takes the pgoff of its new address, "to
  // increase its chance of merging" (in every era modelled); one with an anon_vma keeps its pgoff. The
  // moved VMA keeps its anon_vma, and merges with its new neighbours where vma_merge_new_range() merges.
  const anon = !k.cfg.tracksVmas || vma_has_anon_vma(mm, addr);
  const first = mm.vm[addr] as Vm;
  const merge = k.cfg.tracksVmas
    ? vma_merge_copied_range(mm, k.cfg.va, to, nr, {
        write: first.write,
        dontcopy: first.dontcopy,
        account: first.account,
        pgoff: anon ? first.pgoff : to,
        anon_vma: first.anon_vma,
        fork_child: first.fork_child,
      })
    : undefined;
  for (let i = 0; i < nr; i++) {
    const from = mm.vm[addr + i] as Vm;
    const dst = mm.vm[to + i] as Vm;
    dst.mapped = true;
    dst.write = from.write;
    dst.dontcopy = from.dontcopy;
    dst.account = from.account;
    dst.anon_vma = from.anon_vma;
    dst.fork_child = from.fork_child;
    dst.pgoff = anon ? from.pgoff : to + i;
    from.mapped = false;
    from.write = false;
    from.dontcopy = false;
    from.account = false;
    from.anon_vma = 0;
    from.fork_child = false;
    from.pgoff = 0;
    copyPte(mm.pte[addr + i] as Pte, mm.pte[to + i] as Pte);
    clearPte(mm.pte[addr + i] as Pte);
    if (k.cfg.data) {
      mm.expect[to + i] = mm.expect[addr + i] as number;
      mm.expect[addr + i] = 0;
    }
    for (const pin of k.pin as Pin[]) {
      if (pin.live && pin.attached && pin.mm === m && pin.addr === addr + i) pin.addr = to + i;
    }
  }
  commitCopiedRange(mm, merge);
  pin_sort(k.pin);
  return 0;
}
