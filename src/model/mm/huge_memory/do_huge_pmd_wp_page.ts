/**
 * do_huge_pmd_wp_page - write or unshare fault on a read-only huge PMD: reuse the whole folio, or split
 *
 * Models:   mm/huge_memory.c do_huge_pmd_wp_page() (docs/kernel-rules.md §2.5, 5.19+): an exclusive head is reused;
 *           a folio whose only reference is this mapping (refcount 1) is made exclusive and reused;
 *           otherwise the PMD is split and the fault falls back to do_wp_page() on the one PTE, which copies
 *           a single page (5.19-6.14).
 * Context:  one step under the PMD lock (then the PT lock for the fallback).
 * Return:   0; 'EINVAL' if the PMD is not huge or already writable; 'ENOMEM' if the fallback must copy and
 *           no folio slot is free (the split has then happened: like the kernel, the model does not undo it).
 * Eras:     <= 5.17 reuse when reuse_swap_page() finds the folio mapped once, whatever other references
 *           it has (§4 B5: the THP instance of the vmsplice leak); see eras.ts.
 * Deviates: a PMD-mapped folio is never in the swapcache (only small folios enter it), so the refcount test is
 *           exactly refcount == 1.
 */

import { HUGE_WP_FALLBACK, HUGE_WP_REUSE, taken } from '../../coverage.js';
import { decided_folio_mapcount } from '../../decide.js';
import { thpReusesByMapcount } from '../../eras.js';
import { folio_ref_count, page_trans_huge_mapcount } from '../../include/mm.js';
import type { Folio, Kernel, Page, Pmd } from '../../include/mm_types.js';
import { PageAnonExclusive, SetPageAnonExclusive } from '../../include/page-flags.js';
import { do_wp_page, type WpFault } from '../memory/do_wp_page.js';
import { vma_writable } from '../vma.js';
import { __split_huge_pmd } from './__split_huge_pmd.js';

export function do_huge_pmd_wp_page(k: Kernel, m: number, addr: number, fault: WpFault): 0 | 'EINVAL' | 'ENOMEM' {
  const mm = k.mm[m];
  const pmd = mm?.pmd[(addr / k.cfg.pt) | 0] as Pmd | undefined;
  if (mm === undefined || pmd === undefined || !pmd.huge || pmd.write) return 'EINVAL';
  if (fault === 'write' && !vma_writable(mm, addr)) return 'EINVAL';
  const folio = k.folio[pmd.folio] as Folio;
  const head = folio.pages[0] as Page;
  const reuse = thpReusesByMapcount(k.cfg)
    ? (decided_folio_mapcount(k, folio) ?? page_trans_huge_mapcount(folio)) <= 1 // decision point cow-reuse-mapcount
    : PageAnonExclusive(k, folio, head) || folio_ref_count(folio) === 1;
  if (reuse) {
    taken(HUGE_WP_REUSE);
    SetPageAnonExclusive(k, folio, head);
    if (fault === 'write') pmd.write = true;
    return 0;
  }
  taken(HUGE_WP_FALLBACK);
  __split_huge_pmd(k, m, addr);
  const ret = do_wp_page(k, m, addr, fault);
  return ret === 'EINVAL' ? 0 : ret;
}
