/**
 * The state, declared once: every record of the model's kernel, after include/linux/mm_types.h, with each
 * field's meaning and what the canonical encoding does with it.
 *
 * Everything else follows from here: the record types (`Pte`, ..., `Kernel`, re-exported by
 * include/mm_types.ts), the view classes and plain helpers (generate.ts writes views.generated.ts), the word
 * layout (views.ts `Layout`), the codec's widths and word positions, the trace printer's order and the ITF
 * variables. Adding a field is one line here, `npm run generate`, and the kernel code that uses it; the
 * codec's own traversal must then encode it, or codec.fields.test.ts fails.
 *
 * Counters hold **logical** values: the kernel stores `_mapcount` with a -1 bias and its accessors add 1;
 * here the stored value is already the logical one (0 = unmapped), so no accessor adds anything.
 * A folio is named by its slot in `Kernel.folio`, the model's stand-in for a pfn.
 */
import type { Config } from '../config.js';
import { flag, int, listed, type RecordOf, type RecordSpec, range } from './field.js';

export type { Words } from './field.js';

/** Largest folio size in pages under a config. */
const pages = (cfg: Config): number => cfg.folioPages;

/** A page-table entry (pte_t). Only what the rules read. */
export const PTE = {
  type: 'Pte',
  doc: 'A page-table entry (pte_t). At most one of `present`, `zero` and `swp` holds; a none PTE has every field zero.',
  fields: [
    flag('present', 'Present and mapping a page of a folio (pte_present() && vm_normal_page()).', { choice: 'kind' }),
    flag('write', 'pte_write().', { guard: 'present' }),
    int('folio', 'folio', 'Folio slot of the mapped page (meaningful when present).', { guard: 'present' }),
    range('page', 'Index of the mapped page within its folio (folio_page_idx()).', (cfg) => pages(cfg) - 1, {
      guard: 'present',
    }),
    flag('zero', 'Present and mapping the shared zero page (my_zero_pfn()): read-only, no folio, no counters.', {
      choice: 'kind',
      when: (cfg) => cfg.specialPtes,
    }),
    flag('swp', 'A swap entry (is_swap_pte()): not present, names swap slot `swap`.', {
      choice: 'kind',
      when: (cfg) => cfg.swap > 0,
    }),
    flag('swp_exclusive', 'pte_swp_exclusive(): the page was PG_anon_exclusive when it was swapped out (5.19+).', {
      guard: 'swp',
    }),
    int('swap', 'swap', 'Swap slot (the model’s swp_offset()) of a swap entry.', { guard: 'swp' }),
  ],
  arrays: [],
} as const satisfies RecordSpec;

const tracksVmas = (cfg: Config): boolean => cfg.tracksVmas;

/**
 * The VMA attributes of one virtual page. A VMA is a maximal run of mapped pages with equal flags, the
 * same anon_vma and consecutive `pgoff`: VMAs split where their pages' attributes differ, and merge where
 * the kernel's vma_merge() merges them, which then gives the merged pages one anon_vma (mm/vma_merge.ts;
 * docs/kernel-rules.md §1.2, §2.8, §2.17).
 */
export const VM = {
  type: 'Vm',
  doc: 'The VMA attributes of one virtual page.',
  fields: [
    flag('mapped', 'The page is inside some VMA.', { when: tracksVmas }),
    flag('write', 'VM_WRITE.', { guard: 'mapped', when: tracksVmas }),
    flag('dontcopy', 'VM_DONTCOPY (MADV_DONTFORK).', { guard: 'mapped', when: tracksVmas }),
    flag(
      'account',
      'VM_ACCOUNT: the private writable mapping is charged to the commit limit. mprotect() read-only takes it off a VMA without anon_vma, mprotect() writable puts it back (mprotect_fixup()); a VMA with it does not merge with one without.',
      { guard: 'mapped', when: tracksVmas },
    ),
    int(
      'anon_vma',
      'anon_vma',
      'vma->anon_vma: 0 for none, else the anon_vma’s name (the codec renumbers names in order of first appearance). Set by anon_vma_prepare() (the first anonymous folio; a compatible neighbour’s may be reused), a fresh one per VMA at fork (anon_vma_fork()), shared by a merge (dup_anon_vma()). Equal on every page of a VMA: pages with different anon_vmas are different VMAs.',
      { guard: 'mapped', when: tracksVmas },
    ),
    flag(
      'fork_child',
      'vma_is_fork_child(): the VMA’s anon_vma_chain has more than one entry (anon_vma_fork() linked it to its parent’s anon_vmas), which keeps it from merging with a VMA without an anon_vma and its anon_vma from being reused (mm/vma.c is_mergeable_anon_vma(), mm/rmap.c reusable_anon_vma()).',
      { guard: 'anon_vma', when: tracksVmas },
    ),
    range(
      'pgoff',
      'linear_page_index(): the page’s index in its anon_vma; mremap keeps it, so moved pages keep it.',
      (cfg) => cfg.va - 1,
      { guard: 'mapped', when: tracksVmas },
    ),
  ],
  arrays: [],
} as const satisfies RecordSpec;

const hugePmds = (cfg: Config): boolean => cfg.hugePmds;

export const PMD = {
  type: 'Pmd',
  doc: 'A PMD entry: a PTE table (`huge` false), or a huge PMD mapping a whole PMD-sized folio.',
  fields: [
    flag('huge', 'A huge PMD mapping a whole PMD-sized folio.', { when: hugePmds }),
    flag('write', 'pmd_write().', { guard: 'huge', when: hugePmds }),
    int('folio', 'folio', 'Folio slot of the PMD-mapped folio (meaningful when huge).', {
      guard: 'huge',
      when: hugePmds,
    }),
  ],
  arrays: [],
} as const satisfies RecordSpec;

const data = (cfg: Config): boolean => cfg.data;

export const PAGE = {
  type: 'Page',
  doc: 'struct page: the per-page state of an anonymous folio.',
  fields: [
    range(
      '_mapcount',
      'Logical page->_mapcount: present PTEs mapping this page (kernel stores it minus one).',
      (cfg) => cfg.mms,
    ),
    flag('anon_exclusive', 'PG_anon_exclusive; read with PageAnonExclusive().'),
    int('data', 'content', 'Data tracking: the page’s content, a value (0: zero-filled).', { when: data }),
  ],
  arrays: [],
} as const satisfies RecordSpec;

export const FOLIO = {
  type: 'Folio',
  doc: 'struct folio: a slot of the folio table; `used` false means free (all fields zero).',
  fields: [
    flag('used', 'The slot holds an allocated folio (encoded in the order code, and by being listed).'),
    int('nr_pages', 'order', 'folio_nr_pages(): 1 for a small folio.', { guard: 'used' }),
    range(
      '_refcount',
      'References: one per mapping, one per pin (see gup/pin_user_pages.ts for the deviation).',
      (cfg) => cfg.mms * pages(cfg) + cfg.mms + cfg.pins,
      { guard: 'used' },
    ),
    range(
      '_pincount',
      'FOLL_PIN pins on this folio, small folios included (docs/kernel-rules.md §6: exact pin counts).',
      (cfg) => cfg.pins,
      { guard: 'used' },
    ),
    range('_entire_mapcount', 'Logical _entire_mapcount: huge PMDs mapping the whole folio.', (cfg) => cfg.mms, {
      guard: 'used',
      when: hugePmds,
    }),
    range(
      'partially_mapped',
      'PG_partially_mapped: the folio was queued for deferred split (deferred_split_folio()) because some of its pages were unmapped. Kept only when a scheme decides (`--decide-with`): the decision point it records is what is judged.',
      () => 1,
      { guard: 'used', when: (cfg) => cfg.decider !== undefined },
    ),
  ],
  arrays: [
    {
      name: 'mc',
      doc: 'The selected mapcount schemes’ per-folio words (cfg.folioWords, laid out by mapcount/index.ts): each scheme owns a run starting at its `SchemeSlot.o`. All zero on a free folio.',
      of: 'words',
      count: (cfg) => cfg.mcWords,
      guard: 'used',
    },
    {
      name: 'pages',
      doc: 'Pages 0..nr_pages-1 are the folio’s; the rest are zero. Length is the configured large size.',
      of: PAGE,
      count: pages,
      guard: 'used',
      upTo: 'nr_pages',
    },
  ],
} as const satisfies RecordSpec;

export const PIN = {
  type: 'Pin',
  doc: 'A live FOLL_PIN | FOLL_LONGTERM pin, as io_uring fixed buffers take one, or a FOLL_GET reference (`get`), as vmsplice() takes one.',
  fields: [
    flag('live', 'The entry holds a pin.'),
    range('mm', 'Pinning mm: the owner whose later writes the pin must keep seeing.', (cfg) => cfg.mms - 1, {
      guard: 'live',
    }),
    range('addr', 'Pinning address in the owner.', (cfg) => cfg.va - 1, { guard: 'live' }),
    int('folio', 'folio', 'The pinned page’s folio.', { guard: 'live' }),
    range('page', 'The pinned page within its folio.', (cfg) => pages(cfg) - 1, { guard: 'live' }),
    flag(
      'attached',
      'The owner still maps `addr` (no zap since the pin): only then must the PTE map the pinned page. Bookkeeping of the model, not a kernel field.',
      { guard: 'live' },
    ),
    flag('write', 'FOLL_WRITE: a R/W pin (the device may write); otherwise R/O.', { guard: 'live' }),
    flag(
      'get',
      'FOLL_GET, not FOLL_PIN: a plain reference (vmsplice() into a pipe) that raises `_refcount` only; `put` drops it.',
      { guard: 'live', when: (cfg) => cfg.has('get') },
    ),
    int('expect', 'content', 'Data tracking: the content the pin must see (the owner’s last write while attached).', {
      guard: 'live',
      when: data,
    }),
  ],
  arrays: [],
} as const satisfies RecordSpec;

export const SWAP_SLOT = {
  type: 'SwapSlot',
  doc: 'A swap slot: the swap count (swap PTEs naming it), the content written out, and the folio the swapcache holds for it.',
  fields: [
    listed('used', 'The slot is allocated; swap PTEs reference exactly the used slots between steps.'),
    range('count', 'swap_count(): swap PTEs referencing this slot.', (cfg) => cfg.mms, { guard: 'used' }),
    int('data', 'content', 'The page content saved in the slot (data tracking).', { guard: 'used', when: data }),
    flag(
      'cache',
      'SWAP_HAS_CACHE: a small folio sits in the swapcache at this entry (folio->swap, PG_swapcache) and holds the slot even at swap count 0; the swapcache holds one reference on it.',
      { guard: 'used' },
    ),
    int('folio', 'folio', 'The swapcache folio of this entry (swap_cache_get_folio()), meaningful when `cache`.', {
      guard: 'cache',
    }),
  ],
  arrays: [],
} as const satisfies RecordSpec;

export const MM = {
  type: 'Mm',
  doc: 'struct mm_struct: one process’s address space.',
  fields: [flag('live', 'The mm exists (mm 0 from the start; others after fork, until exit).')],
  arrays: [
    { name: 'vm', doc: 'The VMA attributes of each virtual page.', of: VM, count: (cfg) => cfg.va, guard: 'live' },
    { name: 'pmd', doc: 'The PMD entry of each page table.', of: PMD, count: (cfg) => cfg.nrPt, guard: 'live' },
    { name: 'pte', doc: 'The PTEs of all page tables, by page.', of: PTE, count: (cfg) => cfg.va, guard: 'live' },
    {
      name: 'expect',
      doc: 'Data tracking: the content this process must read at each page (0: zero-filled), the value of its own last write there or what it inherited at fork. The isolation invariant compares it with the page.',
      of: 'content',
      count: (cfg) => cfg.va,
      guard: 'live',
      when: data,
    },
  ],
} as const satisfies RecordSpec;

export const KERNEL = {
  type: 'Kernel',
  doc: 'The whole modelled machine: every mm, the folio table, the pin table and the swap slots.',
  fields: [
    int(
      'nr_folios',
      'derived',
      'Allocated folios, as the page allocator counts them. Derived, never encoded: it lets the encoder see at once whether some allocated folio is referenced by nothing (a leak).',
    ),
    int(
      'values',
      'derived',
      'Data tracking: the largest content value in use; a write stores `++values`. Derived, never encoded.',
    ),
    range(
      'bad_page',
      'bad_page() taint, one bit per selected mapcount scheme (in `folio.mc` order): a folio was freed while that scheme’s words were not all zero, as free_pages_prepare() reports a freed page whose mapcount is not -1. Sticky: the scheme’s invariant fails from then on.',
      (cfg) => (1 << cfg.nrSchemes) - 1,
      { when: (cfg) => cfg.nrSchemes > 0 },
    ),
  ],
  arrays: [
    { name: 'mm', doc: 'The mms.', of: MM, count: (cfg) => cfg.mms },
    { name: 'folio', doc: 'The folio table.', of: FOLIO, count: (cfg) => cfg.slots },
    {
      name: 'pin',
      doc: 'Pins sorted by (mm, addr), empty ones last: pins are interchangeable, so their order is canonical.',
      of: PIN,
      count: (cfg) => cfg.pins,
    },
    { name: 'swap', doc: 'The swap slots.', of: SWAP_SLOT, count: (cfg) => cfg.swap },
  ],
} as const satisfies RecordSpec;

/** Every record, leaves first (the generator's order). */
export const RECORDS = [PTE, VM, PMD, PAGE, FOLIO, PIN, SWAP_SLOT, MM, KERNEL] as const;

export type Pte = RecordOf<typeof PTE>;
export type Vm = RecordOf<typeof VM>;
export type Pmd = RecordOf<typeof PMD>;
export type Page = RecordOf<typeof PAGE>;
export type Folio = RecordOf<typeof FOLIO>;
export type Pin = RecordOf<typeof PIN>;
export type SwapSlot = RecordOf<typeof SWAP_SLOT>;
export type Mm = RecordOf<typeof MM>;
/** The whole machine, and the configuration it was built for. */
export type Kernel = RecordOf<typeof KERNEL> & { readonly cfg: Config };
