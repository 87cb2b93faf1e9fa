/**
 * madvise_pageout, madvise_cold - MADV_PAGEOUT and MADV_COLD of the folios of a range this mm alone maps
 *
 * Models:   mm/madvise.c madvise_pageout() and madvise_cold(), both -> madvise_cold_or_pageout_pte_range(),
 *           which walks the range once for either advice, one page table (of one VMA) at a time:
 *           - a huge PMD is left alone if its folio may be mapped shared; otherwise, covered whole, it is
 *             paged out (MADV_PAGEOUT) or deactivated (MADV_COLD); covered in part, its folio is split
 *             (split_folio(); on failure, a maybe-pinned folio, the PMD is left as it is) and its PTEs walked;
 *           - v6.15 (era 6.15): a large folio whose PTE batch is shorter than the folio is split unless maybe
 *             mapped shared, then walked again as small folios; one the batch covers whole is advised whole
 *             (3931b871c493, 6.10); after a shared folio or a failed split the walk goes on (`continue`);
 *           - v6.9 (every earlier era): every large folio the walk meets, covered whole or in part, is split
 *             unless maybe mapped shared, then walked again; a shared one, or a failed split, ends the walk of
 *             that page table (`break`);
 *           - a folio is advised only if folio_mapcount() == folio_nr_pages() ("do not interfere with other
 *             mappings": fully mapped, so exclusive). MADV_PAGEOUT then reclaims it (reclaim_pages() ->
 *             mm/vmscan.c shrink_folio_list()); MADV_COLD deactivates it (folio_deactivate()).
 *           Found by `foliocheck kernel` on 6.18: `write(0,0); fork(0); pageout(0,0,1)` leaves the page
 *           present in both mms (docs/kernel-conformance.md, gap 3).
 * Context:  the walk holds the PT lock; reclaim runs on the isolated folios afterwards. One step here.
 * Return:   0; 'EFAULT' if the mm does not exist or the range has a hole; 'ENOMEM' if a folio finds no free
 *           swap or folio slot (the model's bounds: shrink_folio_list.ts). MADV_PAGEOUT: 'ENOENT' if no
 *           folio was paged out or split. MADV_COLD always succeeds on a mapped range, even if it changes
 *           nothing the model keeps, as madvise() does.
 * Deviates: "maybe mapped shared" is folio_maybe_mapped_shared() (the MM-ID, 003fde4492c8) in 6.15. The era
 *           5.19 stands for 5.19-6.14 and follows v6.9: folio_estimated_sharers() > 1, the first page's
 *           mapcount (cc864ebba5f6), in the walk above. The rest of its span differs: 5.19-6.2 ask
 *           page_mapcount() != 1 of the page at the address; 6.3-6.4.11 folio_mapcount() != 1 (07e8c82b5eff:
 *           a PTE-mapped large folio with more than one PTE is never split, its table's walk ends); 6.4.12 and
 *           6.5-6.8 folio_estimated_sharers() != 1 (2f406263e3e9: the walk also ends when page 0 is not
 *           mapped); 6.10-6.14 batch as 6.15 does (3931b871c493) and ask folio_likely_mapped_shared()
 *           (eefb9b2725e3: also "shared" when the folio is PMD-mapped too or mapped more times than it has
 *           pages). The eras 5.7-5.9 (up to 5.18) walk as v6.9 too; their kernels read the page at the
 *           address. There is no LRU: MADV_COLD's deactivation and the young/referenced bits it clears
 *           leave no trace in the model's state, so its only effects here are its splits (and, when a
 *           scheme decides, the figures of what it was asked).
 */

import { countFigure, countingFigures, type FigureName, mappingsOf } from '../../consequences.js';
import { ADVISE_SKIP_SHARED, ADVISE_SPLIT, taken } from '../../coverage.js';
import { decided_folio_mapcount, decided_folio_maybe_mapped_shared } from '../../decide.js';
import { reusesLargeByMmId } from '../../eras.js';
import { folio_mapcount } from '../../include/mm.js';
import type { Folio, Kernel, Mm, Pmd, Pte } from '../../include/mm_types.js';
import { kernelMmId } from '../../mapcount/index.js';
import { follow_page_folio } from '../gup/follow_page.js';
import { split_huge_page } from '../huge_memory/split_huge_page.js';
import { vma_end, vma_mapped } from '../vma.js';
import { shrink_folio_list } from '../vmscan/shrink_folio_list.js';

export function madvise_pageout(k: Kernel, m: number, addr: number, nr: number): 0 | 'EFAULT' | 'ENOENT' | 'ENOMEM' {
  return madvise_cold_or_pageout_pte_range(k, m, addr, nr, true);
}

export function madvise_cold(k: Kernel, m: number, addr: number, nr: number): 0 | 'EFAULT' | 'ENOMEM' {
  const ret = madvise_cold_or_pageout_pte_range(k, m, addr, nr, false);
  return ret === 'ENOENT' ? 0 : ret;
}

function madvise_cold_or_pageout_pte_range(
  k: Kernel,
  m: number,
  addr: number,
  nr: number,
  pageout: boolean,
): 0 | 'EFAULT' | 'ENOENT' | 'ENOMEM' {
  const mm = k.mm[m];
  if (mm === undefined || !mm.live) return 'EFAULT';
  const { pt } = k.cfg;
  const end = addr + nr;
  // madvise() fails a range with holes (-ENOMEM, after advising the rest); the model does not apply it partly.
  // Found by `foliocheck kernel --random`: `munmap(0,1,1); pageout(0,0,4)`.
  if (k.cfg.tracksVmas) for (let a = addr; a < end; a++) if (!vma_mapped(mm, a)) return 'EFAULT';
  let done = 0;
  // Splits change the state even when nothing is paged out: the step happened.
  let changed = 0;
  for (let a = addr; a < end; ) {
    const start = a - (a % pt);
    const pmd = mm.pmd[start / pt] as Pmd;
    if (pmd.huge) {
      // "Do not interfere with other mappings of this folio": asked before anything else, split included.
      if (maybe_mapped_shared(k, m, pmd.folio, pageout)) {
        taken(ADVISE_SKIP_SHARED);
        a = start + pt;
        continue;
      }
      if (start >= addr && start + pt <= end) {
        if (pageout) {
          const ret = shrink_folio_list(k, m, start, pt, true);
          if (ret === 'ENOMEM') return ret;
          if (ret === 0) done++;
        }
        a = start + pt;
        continue;
      }
      // split_folio() of the PMD-mapped THP; on failure the walk of this PMD ends ("return 0").
      const ret = split_huge_page(k, m, start);
      if (ret === 'ENOMEM') return ret;
      if (ret !== 0) {
        a = start + pt;
        continue;
      }
      taken(ADVISE_SPLIT);
      changed++;
    }
    const slot = follow_page_folio(k, mm, a);
    if (slot < 0) {
      a += 1;
      continue;
    }
    const folio = k.folio[slot] as Folio;
    if (folio.nr_pages > 1 && !batchesLargeFolios(k)) {
      // <= 6.9: "split it only if we are sure it's worth. Split it if we are only owner." Any large folio,
      // covered whole or in part; otherwise `break`: the walk of this page table (within this VMA) ends.
      const tableEnd = Math.min(start + pt, k.cfg.tracksVmas ? vma_end(mm, a, end) : end);
      if (maybe_mapped_shared(k, m, slot, pageout)) {
        taken(ADVISE_SKIP_SHARED);
        a = tableEnd;
        continue;
      }
      const ret = split_huge_page(k, m, a);
      if (ret === 'ENOMEM') return ret;
      if (ret !== 0) a = tableEnd;
      else {
        taken(ADVISE_SPLIT);
        changed++;
      }
      continue;
    }
    // The walk is per VMA (walk_page_range() calls the PTE walker with the range cut at vm_end), so a batch
    // stops at a VMA boundary: a folio across two VMAs is "covered in part" from either side. Found by
    // `foliocheck kernel --random`: `fault(0,0); dontfork(0,0,1); cold(0,0,4)` splits the folio.
    const batch = pte_batch(mm, a, k.cfg.tracksVmas ? vma_end(mm, a, end) : end, slot);
    if (folio.nr_pages > 1 && batch < folio.nr_pages) {
      // Part of a large folio: split it if this mm alone maps it, then walk its pages again.
      if (maybe_mapped_shared(k, m, slot, pageout)) {
        taken(ADVISE_SKIP_SHARED);
        a += batch;
        continue;
      }
      const ret = split_huge_page(k, m, a);
      if (ret === 'ENOMEM') return ret;
      if (ret !== 0) a += batch;
      else {
        taken(ADVISE_SPLIT);
        changed++;
      }
      continue;
    }
    // "Fully mapped, so exclusive": decision point pageout-shared's folio_mapcount() query.
    if ((decided_folio_mapcount(k, folio) ?? folio_mapcount(folio)) !== folio.nr_pages) {
      taken(ADVISE_SKIP_SHARED);
      a += batch;
      continue;
    }
    counted(k, m, slot, pageout);
    if (pageout) {
      const ret = shrink_folio_list(k, m, a, batch, true);
      if (ret === 'ENOMEM') return ret;
      if (ret === 0) done++;
    }
    a += batch;
  }
  return done + changed > 0 ? 0 : 'ENOENT';
}

/**
 * 3931b871c493 (6.10, "mm: madvise: avoid split during MADV_PAGEOUT and MADV_COLD"): a large folio the
 * range covers whole is advised whole, one covered in part split unless maybe mapped shared, and the walk
 * goes on after either. No modelled era starts within 6.10-6.14, so the era with the MM-ID (6.15) is the one
 * that batches; every earlier era walks as 6.9 did.
 */
function batchesLargeFolios(k: Kernel): boolean {
  return reusesLargeByMmId(k.cfg);
}

/** folio_pte_batch() within the range: PTEs from `a` mapping consecutive pages of folio `slot`. */
function pte_batch(mm: Mm, a: number, end: number, slot: number): number {
  const first = mm.pte[a] as Pte;
  let n = 1;
  while (a + n < end) {
    const pte = mm.pte[a + n] as Pte;
    if (!pte.present || pte.folio !== slot || pte.page !== first.page + n) break;
    n += 1;
  }
  return n;
}

/**
 * folio_maybe_mapped_shared() (6.15, MM-ID); before, folio_estimated_sharers() > 1. Decision point
 * pageout-shared (decide.ts): a deciding scheme answers instead; a "no" for a folio another mm maps is
 * counted (consequences.ts).
 */
function maybe_mapped_shared(k: Kernel, m: number, slot: number, pageout: boolean): boolean {
  const folio = k.folio[slot] as Folio;
  const shared = decided_folio_maybe_mapped_shared(k, folio) ?? own_maybe_mapped_shared(k, folio);
  if (!shared) counted(k, m, slot, pageout);
  return shared;
}

/** A folio the walk goes on to advise (split, page out, deactivate): counted, and whether another mm maps it. */
function counted(k: Kernel, m: number, slot: number, pageout: boolean): void {
  if (!countingFigures()) return;
  const [all, shared]: readonly [FigureName, FigureName] = pageout
    ? ['pageout-decisions', 'pageout-shared']
    : ['cold-decisions', 'cold-shared'];
  countFigure(all);
  if (mappingsOf(k, slot, m).others) countFigure(shared);
}

function own_maybe_mapped_shared(k: Kernel, folio: Folio): boolean {
  if (reusesLargeByMmId(k.cfg) && folio.nr_pages > 1) {
    const { scheme, o } = kernelMmId(k.cfg);
    return scheme.folio_maybe_mapped_shared?.(folio, o) !== false;
  }
  const head = folio.pages[0];
  return (head?._mapcount ?? 0) + folio._entire_mapcount > 1;
}
