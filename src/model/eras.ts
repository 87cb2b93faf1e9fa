/**
 * Kernel eras: every rule that differs between the kernels foliocheck models, in one place.
 *
 * Models:   the timeline of docs/kernel-rules.md §0 and the era paragraphs of §2.2, §2.5, §2.7, §2.11-§2.13.
 *           An era names the first release of a span: `5.7` is everything up to 5.7 (era A of §2.2 before
 *           the 5.8 GUP work-around), `5.8` is 5.8, `5.9` is 5.9-5.17 (era B; 5.18's "COW fixes part 1" are
 *           folded into 5.19), `5.19` is 5.19-6.14 (era D), `6.15` is 6.15 and later (era E).
 * Context:  operations never compare era names; they ask the named predicates below, each of which cites
 *           the change that introduced it, so that an era's behaviour can be read off this file.
 * Deviates: - the model's large folios exist in every era (bench-core faults mTHPs unconditionally, which
 *             mainline does only from 6.8); before 6.8 read them as a PMD THP that was PTE-mapped by a
 *             split, which every modelled era has. The rules below are those each era applied to such a
 *             PTE-mapped THP.
 *           - 5.18 ("COW fixes part 1": refcount rule for THP and swap-in, no AE yet) is not a separate
 *             era: the span 5.9-5.17 shows the THP instance of the vmsplice leak (§4 B5) and 5.19 its fix.
 *           - <= 5.7 copied a whole THP on a write fault it could not reuse; the model splits the PMD and
 *             copies one page as 5.8+ do (3917c80280c9). Who sees which content is the same either way.
 */

export const ERAS = ['5.7', '5.8', '5.9', '5.19', '6.15'] as const;
export type Era = (typeof ERAS)[number];
export const DEFAULT_ERA: Era = '5.19';

/** What each era does; read through the predicates below, never directly by an operation. */
export interface EraRules {
  readonly era: Era;
  readonly anonExclusive: boolean;
  readonly wpReuse: 'mapcount' | 'refcount' | 'anon-exclusive';
  readonly gupBreaksCow: boolean;
  readonly gupUnshares: boolean;
  readonly forkCopiesPinned: boolean;
  readonly thpReuseByMapcount: boolean;
  readonly reclaimSkipsPinned: boolean;
  readonly reusesLargeByMmId: boolean;
}

const RULES: Record<Era, EraRules> = {
  '5.7': {
    era: '5.7',
    anonExclusive: false,
    wpReuse: 'mapcount',
    gupBreaksCow: false,
    gupUnshares: false,
    forkCopiesPinned: false,
    thpReuseByMapcount: true,
    reclaimSkipsPinned: false,
    reusesLargeByMmId: false,
  },
  '5.8': {
    era: '5.8',
    anonExclusive: false,
    wpReuse: 'mapcount',
    gupBreaksCow: true,
    gupUnshares: false,
    forkCopiesPinned: false,
    thpReuseByMapcount: true,
    reclaimSkipsPinned: true,
    reusesLargeByMmId: false,
  },
  '5.9': {
    era: '5.9',
    anonExclusive: false,
    wpReuse: 'refcount',
    gupBreaksCow: false,
    gupUnshares: false,
    forkCopiesPinned: true,
    thpReuseByMapcount: true,
    reclaimSkipsPinned: true,
    reusesLargeByMmId: false,
  },
  '5.19': {
    era: '5.19',
    anonExclusive: true,
    wpReuse: 'anon-exclusive',
    gupBreaksCow: false,
    gupUnshares: true,
    forkCopiesPinned: true,
    thpReuseByMapcount: false,
    reclaimSkipsPinned: true,
    reusesLargeByMmId: false,
  },
  '6.15': {
    era: '6.15',
    anonExclusive: true,
    wpReuse: 'anon-exclusive',
    gupBreaksCow: false,
    gupUnshares: true,
    forkCopiesPinned: true,
    thpReuseByMapcount: false,
    reclaimSkipsPinned: true,
    reusesLargeByMmId: true,
  },
};

/** Anything that carries an era's rules: a `Config`. */
export interface WithRules {
  readonly rules: EraRules;
}

export function eraRules(era: Era): EraRules {
  return RULES[era];
}

export function isEra(s: string): s is Era {
  return (ERAS as readonly string[]).includes(s);
}

/**
 * PG_anon_exclusive exists (6c287605fd56 "mm: remember exclusively mapped anonymous pages with
 * PG_anon_exclusive", "COW fixes part 2", 5.19). Before it no page is ever marked exclusive,
 * and the AE invariants (I1, I2, I6) do not apply.
 */
export const hasAnonExclusive = (cfg: WithRules): boolean => cfg.rules.anonExclusive;

/**
 * do_wp_page() decides reuse of a small (or PTE-mapped large) page by mapcount plus swap count, through
 * reuse_swap_page(), ignoring the refcount: <= 5.8 (docs/kernel-rules.md §2.2 era A; the root of CVE-2020-29374).
 */
export const reusesByMapcount = (cfg: WithRules): boolean => cfg.rules.wpReuse === 'mapcount';

/**
 * do_wp_page() reuses a page, small or of a large folio, only at refcount 1 (09854ba94c6a "mm: do_wp_page()
 * simplification", 5.9-5.18). From 5.19 (`wpReuse` 'anon-exclusive') an AE page is reused without a
 * counter, and a non-AE one by wp_can_reuse_anon_folio().
 */
export const reusesByRefcount = (cfg: WithRules): boolean => cfg.rules.wpReuse === 'refcount';

/**
 * Read-only GUP in a COW mapping breaks COW first, as a write fault would (17839856fd58 "gup: document and
 * work around 'COW can break either way' issue", 5.8 only; removed by a308c71bf1e6 in 5.9).
 */
export const gupBreaksCow = (cfg: WithRules): boolean => cfg.rules.gupBreaksCow;

/** R/O pins of non-exclusive pages unshare first (FAULT_FLAG_UNSHARE, "COW fixes part 2", 5.19). */
export const gupUnshares = (cfg: WithRules): boolean => cfg.rules.gupUnshares;

/**
 * fork copies maybe-pinned anon pages for the child instead of sharing them (70e806e4e645 "mm: Do early cow
 * for pinned pages during fork() for ptes", d042035eaf5f for PMDs, 5.9). From 5.19 only AE pages qualify.
 */
export const forkCopiesPinned = (cfg: WithRules): boolean => cfg.rules.forkCopiesPinned;

/**
 * do_huge_pmd_wp_page() reuses a PMD THP when reuse_swap_page() says mapcount <= 1, ignoring references
 * (<= 5.17; fixed by "mm: streamline COW logic in do_huge_pmd_wp_page()", 5.18): §4 B5.
 */
export const thpReusesByMapcount = (cfg: WithRules): boolean => cfg.rules.thpReuseByMapcount;

/**
 * Reclaim does not add maybe-pinned pages to the swapcache (feb889fb40fa "mm: don't put pinned pages into
 * the swap cache", 5.8); from 5.19 try_to_unmap_one() also refuses to clear AE of a maybe-pinned page.
 */
export const reclaimSkipsPinned = (cfg: WithRules): boolean => cfg.rules.reclaimSkipsPinned;

/**
 * A non-AE page of a PTE-mapped large folio is reused when the MM-ID says one mm maps the folio and all
 * references are mappings (1da190f4d0a6 "mm: Copy-on-Write (COW) reuse support for PTE-mapped THP", 6.15).
 * Needs the mm-id scheme's state, which the 6.15 era therefore always maintains.
 */
export const reusesLargeByMmId = (cfg: WithRules): boolean => cfg.rules.reusesLargeByMmId;

/**
 * Splitting an anonymous large folio maps each subpage that is zero-filled to the shared zero page instead
 * of keeping it (remap_page(RMP_USE_SHARED_ZEROPAGE) -> try_to_map_unused_to_zeropage(), mm/migrate.c;
 * b1f202060afe, 6.12). The `5.19` era stands for 5.19-6.14 and keeps the older rule; 6.15 has it (observed
 * on 6.18 by `foliocheck kernel`: MADV_PAGEOUT of one page of an mTHP leaves its unwritten pages on the zero
 * page).
 */
export const splitMapsZeroFilledToZeroPage = (cfg: WithRules): boolean => cfg.rules.era === '6.15';
