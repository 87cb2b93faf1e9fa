/**
 * __split_huge_pmd - replace a huge PMD by a PTE table mapping the same pages (non-freeze split)
 *
 * Models:   mm/huge_memory.c __split_huge_pmd() -> __split_huge_pmd_locked() (docs/kernel-rules.md §2.9): the folio
 *           stays one large folio, now PTE-mapped; refcount +nr-1, every page mapcount +1, entire -1, and
 *           the head's AE bit is copied to every page. Never fails.
 * Context:  under the PMD lock, as part of the step that needs it (zap or munmap of part of the range, a
 *           COW that cannot reuse, fork of a pinned THP, mprotect or MADV_DONTFORK of part of it), or as
 *           the step `split_pmd(m,a)`.
 * Return:   0, or 'EINVAL' if the PMD is not huge (for the step).
 */

import { SPLIT_PMD, taken } from '../../coverage.js';
import { folio_ref_add } from '../../include/mm.js';
import type { Folio, Kernel, Page, Pmd, Pte } from '../../include/mm_types.js';
import { PageAnonExclusive } from '../../include/page-flags.js';
import { folio_add_anon_rmap_ptes, folio_remove_rmap_pmd } from '../rmap/folio_pmd_rmap.js';

export function __split_huge_pmd(k: Kernel, m: number, addr: number): 0 | 'EINVAL' {
  const mm = k.mm[m];
  const { pt } = k.cfg;
  const start = addr - (addr % pt);
  const pmd = mm?.pmd[start / pt] as Pmd | undefined;
  if (mm === undefined || pmd === undefined || !pmd.huge) return 'EINVAL';
  const folio = k.folio[pmd.folio] as Folio;
  taken(SPLIT_PMD);
  const exclusive = PageAnonExclusive(k, folio, folio.pages[0] as Page);
  folio_ref_add(folio, pt - 1);
  for (let j = 0; j < pt; j++) {
    const pte = mm.pte[start + j] as Pte;
    pte.present = true;
    pte.write = pmd.write;
    pte.folio = pmd.folio;
    pte.page = j;
  }
  // The PTE rmap is added while the PMD still maps the folio, then the PMD's is removed: no instant at
  // which the folio looks unmapped (a tuple scheme sees one pair throughout).
  folio_add_anon_rmap_ptes(k, folio, 0, pt, exclusive, m, start);
  pmd.huge = false;
  pmd.write = false;
  pmd.folio = 0;
  folio_remove_rmap_pmd(k, folio, m, start);
  return 0;
}

/** split_huge_pmd() over a range: split each huge PMD the range only partly covers (or every one). */
export function split_huge_pmds_partly_covered(k: Kernel, m: number, addr: number, end: number, all = false): void {
  const { pt } = k.cfg;
  const mm = k.mm[m];
  if (mm === undefined || !k.cfg.hugePmds) return;
  for (let start = addr - (addr % pt); start < end; start += pt) {
    if (!(mm.pmd[start / pt] as Pmd).huge) continue;
    if (all || start < addr || start + pt > end) __split_huge_pmd(k, m, start);
  }
}
