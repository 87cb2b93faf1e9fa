/**
 * The kernel's COW selftest (tools/testing/selftests/mm/cow.c, 6.1+) as scripted regression specs:
 * every anon test family on every run variant that cow.c has for anonymous memory, scaled down to a
 * 4-page PMD and 4-page large folios (docs/kernel-rules.md §4 "The COW selftest").
 *
 * A family is the body of one cow.c test, a variant the way cow.c prepares the memory it runs on; each
 * (variant, family) pair is one spec. cow.c checks that the child never sees the parent's later writes
 * and that a pin keeps seeing the page's current content: here that is the `dataIsolation` and
 * `pinSeesOwnersPage` invariants, checked after every step together with all others. The page under test
 * is at address 0 of mm 0 in every variant. The expected verdict of every pair under the 5.19-6.14 rules is
 * a pass: that is what the selftest asserts of the kernel (no independent state count exists for them).
 */
import { OP_NAMES } from '../../src/model/steps/index.js';
import { parseScript, scriptStepKinds } from '../../src/script.js';
import { defineSpec, type Spec } from '../../src/spec.js';

/**
 * How cow.c prepares the memory (run_with_*), scaled down. cow.c runs its THP variants for every enabled THP
 * size: the PMD size (`thp`, here a 4-page PMD) and each mTHP size, which the kernel maps with PTEs only (the
 * `mTHP` variants: a write fault that allocates a 4-page large folio, 16 KiB on the machines this runs on).
 * The swap-out variants (run_with_*_swap) MADV_PAGEOUT the memory first.
 */
export const VARIANTS = {
  'base page': { large: 1, setup: 'write(0,0)' },
  'swapped-out base page': { large: 1, setup: 'write(0,0); pageout(0,0,1)' },
  'PMD-mapped THP': { large: 4, setup: 'thp(0,0)' },
  // cow.c: mprotect() of one page makes the kernel PTE-map the THP.
  'PTE-mapped THP': { large: 4, setup: 'thp(0,0); mprotect(0,1,1,ro); mprotect(0,1,1,rw)' },
  // cow.c: MADV_DONTNEED of all but the first page of a PTE-mapped THP.
  'single-PTE THP': { large: 4, setup: 'thp(0,0); split_pmd(0,0); zap(0,1,1); zap(0,2,2)' },
  // cow.c: MADV_DONTFORK all but the first page, fork, child exits, MADV_DOFORK.
  'partially shared THP': {
    large: 4,
    setup: 'thp(0,0); dontfork(0,1,1); dontfork(0,2,2); fork(0); exit(1); dofork(0,1,1); dofork(0,2,2)',
  },
  // cow.c: the second half of the THP moved elsewhere by mremap(), here across a page table boundary.
  "partially mremap'ed THP": { large: 4, setup: 'thp(0,0); mremap(0,2,2,5)' },
  // The same shapes on a 16 KiB mTHP (cow.c's loop over thpsizes; the PMD-mapped variant exists only at
  // the PMD size). run_with_pte_mapped_thp() needs no mprotect() for an mTHP: it is PTE-mapped already.
  mTHP: { large: 4, setup: 'write(0,0)' },
  'single-PTE mTHP': { large: 4, setup: 'write(0,0); zap(0,1,1); zap(0,2,2)' },
  'partially shared mTHP': {
    large: 4,
    setup: 'write(0,0); dontfork(0,1,1); dontfork(0,2,2); fork(0); exit(1); dofork(0,1,1); dofork(0,2,2)',
  },
  "partially mremap'ed mTHP": { large: 4, setup: 'write(0,0); mremap(0,2,2,5)' },
} as const;

/** Every power of two below `n` as `step(m,k,k)` calls: the range [1, n) in aligned pieces. */
const pieces = (step: string, n: number): string =>
  Array.from({ length: Math.log2(n) }, (_, i) => `${step}(0,${2 ** i},${2 ** i})`).join('; ');

/**
 * The PMD-size variants again at the kernel's geometry (512 PTEs per table, a 2 MiB THP), so that the kernel
 * harness replays them with a real PMD THP: the 4-page PMD above has no kernel equivalent. Scripts only
 * (a search stays at 64 PTEs: src/model/bounds.ts).
 */
export const PMD_VARIANTS = {
  'PMD-mapped THP, 2 MiB': { setup: 'thp(0,0)' },
  'PTE-mapped THP, 2 MiB': { setup: 'thp(0,0); mprotect(0,1,1,ro); mprotect(0,1,1,rw)' },
  'single-PTE THP, 2 MiB': { setup: `thp(0,0); split_pmd(0,0); ${pieces('zap', 512)}` },
  'partially shared THP, 2 MiB': {
    setup: `thp(0,0); ${pieces('dontfork', 512)}; fork(0); exit(1); ${pieces('dofork', 512)}`,
  },
  // No partial mremap at 2 MiB: a script replay builds every instance of its steps, and mremap's (range x
  // target) at 1,024 pages are about 10^7 (18 s and 1.1 GiB for one spec). The 16 KiB mTHP variant above
  // covers that shape on the kernel.
} as const;

/** The anon test families of cow.c, each after the variant's set-up (the page at 0 holds data). */
export const FAMILIES = {
  'Basic COW after fork() (child writes)': 'fork(0); write(1,0); read(0,0)',
  'Basic COW after fork() (parent writes)': 'fork(0); write(0,0); read(1,0)',
  'Basic COW after fork() with mprotect() optimization': 'fork(0); mprotect(1,0,1,ro); mprotect(1,0,1,rw); write(1,0)',
  // vmsplice() takes a FOLL_GET reference (get), not a pin; cow.c then reads the pipe and closes it (put).
  'vmsplice() + unmap in child': 'fork(0); get(1,0); zap(1,0,1); write(0,0); put(0)',
  'vmsplice() + unmap in child with mprotect() optimization':
    'fork(0); get(1,0); zap(1,0,1); mprotect(0,0,1,ro); mprotect(0,0,1,rw); write(0,0); put(0)',
  'vmsplice() before fork(), unmap in parent after fork()': 'get(0,0); fork(0); zap(0,0,1); write(1,0); put(0)',
  'vmsplice() + unmap in parent after fork()': 'fork(0); get(0,0); zap(0,0,1); write(1,0); put(0)',
  'R/O GUP pin on R/O-mapped shared page': 'fork(0); pin(0,0,ro); write(0,0); unpin(0)',
  'R/O GUP pin on R/O-mapped previously-shared page': 'fork(0); exit(1); pin(0,0,ro); write(0,0); unpin(0)',
  'R/O GUP pin on R/O-mapped exclusive page': 'mprotect(0,0,1,ro); pin(0,0,ro); mprotect(0,0,1,rw); write(0,0)',
  'fork() with an iouring fixed buffer': 'pin(0,0,rw); fork(0); write(0,0); write(1,0); unpin(0)',
  'R/O-mapping a page registered as iouring fixed buffer':
    'pin(0,0,rw); mprotect(0,0,1,ro); mprotect(0,0,1,rw); write(0,0)',
} as const;

/**
 * Kernel branches a family must take on every variant (the spec's coverage requirement): the decision cow.c's
 * test is about, so that a pass cannot come from a script that never reached it.
 */
const FAMILY_COVERAGE: Partial<Record<keyof typeof FAMILIES, readonly string[]>> = {
  'Basic COW after fork() (child writes)': ['do_wp_page:copy'],
  'Basic COW after fork() (parent writes)': ['do_wp_page:copy'],
  'fork() with an iouring fixed buffer': ['copy_present_pte:copy-pinned'],
};

/**
 * Bounds for every pair: two mms, room to move pages (va 8, map 4), contents tracked, every operation, and
 * swap slots for the pages of a swapped-out variant.
 */
function bounds(large: number) {
  return {
    ...{ mms: 2, va: 8, pt: 4, large, slots: 12, pins: 1, map: 4, swap: 4 },
    ...{ data: true, ops: OP_NAMES, tuple: false },
  } as const;
}

/**
 * The kernel's geometry: two page tables of 512 PTEs, the first mapped, 2 MiB THPs. Only the steps the
 * script names are enabled: at this geometry each range step has about a million instances.
 */
const pmdBounds = (script: string): Spec['bounds'] => {
  const named = scriptStepKinds(parseScript(script, 'cow.c'));
  return { ...bounds(512), va: 1024, pt: 512, map: 512, ops: OP_NAMES.filter((op) => named.includes(op)) };
};

/**
 * fork() of a R/W-pinned 2 MiB THP copies all 512 pages (copy_huge_pmd() splits the pinned PMD, then
 * copy_present_page() each page): more folios than the model has slots (255), so that family is not
 * generated at 2 MiB; it runs on every smaller variant.
 */
const TOO_BIG_AT_2MIB = new Set<string>(['fork() with an iouring fixed buffer']);

const specsOf = (
  variants: Record<string, { readonly setup: string }>,
  b: (script: string) => Spec['bounds'],
  skip: ReadonlySet<string> = new Set(),
) =>
  Object.entries(variants).flatMap(([variant, v]) =>
    Object.entries(FAMILIES)
      .filter(([family]) => !skip.has(family))
      .map(([family, body]) => {
        const coverage = FAMILY_COVERAGE[family as keyof typeof FAMILIES];
        return defineSpec({
          name: `cow: ${family} [${variant}]`,
          about: `tools/testing/selftests/mm/cow.c "${family}" on a ${variant}; passes under 5.19-6.14 rules.`,
          bounds: b(`${v.setup}; ${body}`),
          script: `${v.setup}; ${body}`,
          expect: { verdict: 'success' },
          ...(coverage !== undefined ? { coverage } : {}),
        });
      }),
  );

export const COW_SPECS: readonly Spec[] = [
  ...Object.entries(VARIANTS).flatMap(([name, v]) => specsOf({ [name]: v }, () => bounds(v.large))),
  ...specsOf(PMD_VARIANTS, pmdBounds, TOO_BIG_AT_2MIB),
];
