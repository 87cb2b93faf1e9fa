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
import { defineSpec, type Spec } from '../../src/spec.js';

/** How cow.c prepares the memory (run_with_*), scaled down. */
export const VARIANTS = {
  'base page': { large: 1, setup: 'write(0,0)' },
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

/** Bounds for every pair: two mms, room to move pages (va 8, map 4), contents tracked, every operation. */
function bounds(large: number) {
  return { mms: 2, va: 8, pt: 4, large, slots: 12, pins: 1, map: 4, data: true, ops: OP_NAMES, tuple: false } as const;
}

export const COW_SPECS: readonly Spec[] = Object.entries(VARIANTS).flatMap(([variant, v]) =>
  Object.entries(FAMILIES).map(([family, body]) => {
    const coverage = FAMILY_COVERAGE[family as keyof typeof FAMILIES];
    return defineSpec({
      name: `cow: ${family} [${variant}]`,
      about: `tools/testing/selftests/mm/cow.c "${family}" on a ${variant}; passes under 5.19-6.14 rules.`,
      bounds: bounds(v.large),
      script: `${v.setup}; ${body}`,
      expect: { verdict: 'success' },
      ...(coverage !== undefined ? { coverage } : {}),
    });
  }),
);
