/**
 * madvise_pageout - MADV_PAGEOUT: reclaim the folios of a range that this mm alone maps
 *
 * Models:   mm/madvise.c madvise_pageout() -> madvise_cold_or_pageout_pte_range() (v6.15), then
 *           reclaim_pages() -> mm/vmscan.c shrink_folio_list() for each isolated folio. A huge PMD the range
 *           covers whole is paged out unless the folio may be mapped shared; one it covers in part is split
 *           (split_huge_pmd()) and its PTEs walked. A large folio whose PTE batch is shorter than the folio is
 *           split (split_folio()) unless maybe mapped shared, then walked again as small folios; a folio is
 *           paged out only if folio_mapcount() == folio_nr_pages() ("do not interfere with other mappings":
 *           fully mapped, so exclusive). Found by `foliocheck kernel` on 6.18: `write(0,0); fork(0);
 *           pageout(0,0,1)` leaves the page present in both mms (docs/kernel-conformance.md, gap 3).
 * Context:  the walk holds the PT lock; reclaim runs on the isolated folios afterwards. One step here.
 * Return:   0; 'EFAULT' if the mm does not exist or the range has a hole; 'ENOENT' if no folio was paged out or split;
 *           'ENOMEM' if a folio finds no free swap or folio slot (the model's bounds: shrink_folio_list.ts).
 * Deviates: "maybe mapped shared" is folio_maybe_mapped_shared() (the MM-ID) in 6.15; before, the kernel's
 *           estimate, the first page's mapcount above 1 (folio_estimated_sharers(), 6.5-6.14; earlier
 *           releases read the page at the address). Before 6.15 the kernel also splits a large folio the
 *           range covers whole; the model's reclaim splits it anyway (shrink_folio_list.ts), so the end state
 *           is the same. The split does not map zero-filled pages to the zero page (6.12+, gap 4).
 */
import { countFigure, countingFigures, mappingsOf } from '../../consequences.js';
import { decided_folio_mapcount, decided_folio_maybe_mapped_shared } from '../../decide.js';
import { reusesLargeByMmId } from '../../eras.js';
import { folio_mapcount } from '../../include/mm.js';
import type { Folio, Kernel, Mm, Pmd, Pte } from '../../include/mm_types.js';
import { kernelMmId } from '../../mapcount/index.js';
import { follow_page_folio } from '../gup/follow_page.js';
import { __split_huge_pmd } from '../huge_memory/__split_huge_pmd.js';
import { split_huge_page } from '../huge_memory/split_huge_page.js';
import { vma_mapped } from '../vma.js';
import { shrink_folio_list } from '../vmscan/shrink_folio_list.js';

export function madvise_pageout(k: Kernel, m: number, addr: number, nr: number): 0 | 'EFAULT' | 'ENOENT' | 'ENOMEM' {
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
      if (start >= addr && start + pt <= end) {
        // madvise_cold_or_pageout_huge_pmd(): the whole PMD, unless the folio may be mapped shared.
        if (!maybe_mapped_shared(k, m, pmd.folio)) {
          const ret = shrink_folio_list(k, m, start, pt, true);
          if (ret === 'ENOMEM') return ret;
          if (ret === 0) done++;
        }
        a = start + pt;
        continue;
      }
      __split_huge_pmd(k, m, start);
      changed++;
    }
    const slot = follow_page_folio(k, mm, a);
    if (slot < 0) {
      a += 1;
      continue;
    }
    const folio = k.folio[slot] as Folio;
    const batch = pte_batch(mm, a, end, slot);
    if (folio.nr_pages > 1 && batch < folio.nr_pages) {
      // Part of a large folio: split it if this mm alone maps it, then walk its pages again.
      const ret = maybe_mapped_shared(k, m, slot) ? 'EBUSY' : split_huge_page(k, m, a);
      if (ret === 'ENOMEM') return ret;
      if (ret !== 0) a += batch;
      else changed++;
      continue;
    }
    // "Fully mapped, so exclusive": decision point pageout-shared's folio_mapcount() query.
    if ((decided_folio_mapcount(k, folio) ?? folio_mapcount(folio)) !== folio.nr_pages) {
      a += batch;
      continue;
    }
    const ret = shrink_folio_list(k, m, a, batch, true);
    if (ret === 'ENOMEM') return ret;
    if (ret === 0) done++;
    a += batch;
  }
  return done + changed > 0 ? 0 : 'ENOENT';
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
function maybe_mapped_shared(k: Kernel, m: number, slot: number): boolean {
  const folio = k.folio[slot] as Folio;
  const shared = decided_folio_maybe_mapped_shared(k, folio) ?? own_maybe_mapped_shared(k, folio);
  if (!shared && countingFigures()) {
    countFigure('pageout-decisions');
    if (mappingsOf(k, slot, m).others) countFigure('pageout-shared');
  }
  return shared;
}

function own_maybe_mapped_shared(k: Kernel, folio: Folio): boolean {
  if (reusesLargeByMmId(k.cfg) && folio.nr_pages > 1) {
    const { scheme, o } = kernelMmId(k.cfg);
    return scheme.folio_maybe_mapped_shared?.(folio, o) !== false;
  }
  const head = folio.pages[0];
  return (head?._mapcount ?? 0) + folio._entire_mapcount > 1;
}
