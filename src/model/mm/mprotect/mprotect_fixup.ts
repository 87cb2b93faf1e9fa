/**
 * mprotect_fixup - mprotect(): change VM_WRITE of a range, and the PTEs with it
 *
 * Models:   mm/mprotect.c mprotect_fixup() -> change_protection() -> change_pte_range(), with
 *           can_change_pte_writable() for MM_CP_TRY_CHANGE_WRITABLE (docs/kernel-rules.md §2.15).
 * Context:  one step under the mmap write lock; the range's VMAs split, and merge where vma_modify_flags()
 *           merges them (vma_merge.ts: vma_merge_existing_range(), anon_vmas compatible).
 * Return:   0; 'EFAULT' if the mm does not exist or the range has a hole (the kernel: -ENOMEM); 'NOP' if
 *           the range already has that protection.
 * Rule:     removing write permission write-protects every present PTE, AE bits stay (an AE page mapped
 *           read-only is reused without a copy at the next write fault); granting it makes a present PTE
 *           writable at once only if its page is PG_anon_exclusive: a shared page stays read-only and will
 *           COW, which is the "mprotect() optimization" the cow selftest exercises.
 * Eras:     before 5.19 no page is exclusive, so granting write never makes a present PTE writable, which is
 *           what private anonymous mappings got before can_change_pte_writable() (6.0); 5.19 itself did
 *           not have it yet either, but the 5.19 era stands for 5.19-6.14 and takes the 6.0 rule.
 */

import { MPROTECT_STAYS_RO, MPROTECT_WRITABLE, taken } from '../../coverage.js';
import type { Folio, Kernel, Page, Pmd, Pte, Vm } from '../../include/mm_types.js';
import { PageAnonExclusive } from '../../include/page-flags.js';
import { split_huge_pmds_partly_covered } from '../huge_memory/__split_huge_pmd.js';
import { vma_modify_flags } from '../vma_merge.js';

export function mprotect_fixup(k: Kernel, m: number, addr: number, nr: number, write: boolean): 0 | 'EFAULT' | 'NOP' {
  const mm = k.mm[m];
  if (mm === undefined || !mm.live) return 'EFAULT';
  let change = false;
  for (let a = addr; a < addr + nr; a++) {
    const vm = mm.vm[a] as Vm;
    if (!vm.mapped) return 'EFAULT';
    change ||= vm.write !== write;
  }
  if (!change) return 'NOP';
  // The VMA split at unaligned ends splits a huge PMD there (vma_adjust_trans_huge()); a huge PMD the
  // range covers whole changes as one entry (change_huge_pmd(), can_change_pmd_writable()).
  split_huge_pmds_partly_covered(k, m, addr, addr + nr);
  const pt = k.cfg.pt;
  for (let start = addr - (addr % pt); start < addr + nr; start += pt) {
    const pmd = mm.pmd[start / pt] as Pmd;
    if (!pmd.huge) continue;
    pmd.write =
      write && PageAnonExclusive(k, k.folio[pmd.folio] as Folio, (k.folio[pmd.folio] as Folio).pages[0] as Page);
  }
  // mprotect_fixup()'s newflags: VM_ACCOUNT is charged when the VMA becomes writable, and uncharged when it
  // becomes read-only before it has an anon_vma (nothing was faulted in that it would have to keep).
  vma_modify_flags(mm, k.cfg.va, addr, addr + nr, (vma) => ({
    write,
    dontcopy: vma.dontcopy,
    account: write || (vma.account && vma.anon_vma !== 0),
  }));
  for (let a = addr; a < addr + nr; a++) {
    const pte = mm.pte[a] as Pte;
    if (!pte.present) continue;
    if (!write) pte.write = false;
    else if (can_change_pte_writable(k, pte)) pte.write = true;
    if (write) taken(pte.write ? MPROTECT_WRITABLE : MPROTECT_STAYS_RO);
  }
  return 0;
}

/** can_change_pte_writable(): a private anon page may become writable without a fault only if exclusive. */
function can_change_pte_writable(k: Kernel, pte: Pte): boolean {
  const folio = k.folio[pte.folio] as Folio;
  return PageAnonExclusive(k, folio, folio.pages[pte.page] as Page);
}
