/**
 * The kernel's COW history as regression specs, one per scenario and era (and AnonExclusive granularity):
 * each historical bug of docs/kernel-rules.md §4 must appear exactly in the eras that had it, and each mapcount
 * scheme must break exactly on the operations the January 2023 thread named (§3.2).
 *
 * The expected verdicts are the kernel's history, not foliocheck's output: `breaks` names the eras in which
 * the scenario went wrong, from the fixes' changelogs (§0 timeline, §4), and every other era must pass.
 * A scenario's length is its number of steps, so a violation is expected at the last step.
 */

import { ERAS, type Era } from '../../src/model/eras.js';
import { OP_NAMES } from '../../src/model/steps/index.js';
import { defineSpec, type Spec } from '../../src/spec.js';

interface Scenario {
  readonly name: string;
  /** Where it comes from, and why it breaks where it does. */
  readonly about: string;
  readonly large: number;
  readonly script: string;
  readonly schemes?: readonly string[];
  /** The policies in which it fails, with the invariant that catches it; every other policy passes. */
  readonly breaks: Readonly<Partial<Record<`${Era}/${'page' | 'folio'}`, string>>>;
}

type Policy = { readonly era: Era; readonly ae: 'page' | 'folio' };
const POLICIES: readonly Policy[] = ERAS.flatMap((era): Policy[] =>
  era === '5.19' || era === '6.15'
    ? [
        { era, ae: 'page' },
        { era, ae: 'folio' },
      ]
    : [{ era, ae: 'page' }],
);

/** Every policy: a scheme's desync does not depend on the era or the AE granularity. */
const everywhere = (invariant: string): Record<string, string> =>
  Object.fromEntries(POLICIES.map((p) => [`${p.era}/${p.ae}`, invariant]));

const SCENARIOS: readonly Scenario[] = [
  {
    name: 'B2 vmsplice() + unmap in child',
    about:
      "CVE-2020-29374: the child pins, unmaps; the parent's write reuses the page by mapcount (<= 5.7). " +
      '5.8 breaks COW at GUP time, 5.9 reuses only at refcount 1, 5.19 pins only exclusive pages.',
    large: 1,
    script: 'write(0,0); fork(0); pin(1,0,ro); zap(1,0,1); write(0,0)',
    breaks: { '5.7/page': 'dataIsolation' },
  },
  {
    name: 'B2 vmsplice() before fork(), unmap in parent',
    about:
      "the same leak the other way round: the pin predates fork, so 5.8's GUP-time COW break does not help " +
      'and only 5.9\'s refcount rule closes it (foliocheck finding, README "Findings").',
    large: 1,
    script: 'write(0,0); pin(0,0,ro); fork(0); zap(0,0,1); write(1,0)',
    breaks: { '5.7/page': 'dataIsolation', '5.8/page': 'dataIsolation' },
  },
  {
    name: 'B3 fork() with a R/W pinned buffer, parent writes',
    about: 'RDMA/io_uring buffers lost by the parent on COW after fork until 5.9 copies pinned pages for the child.',
    large: 1,
    script: 'write(0,0); pin(0,0,rw); fork(0); write(0,0)',
    breaks: { '5.7/page': 'pinSeesOwnersPage', '5.8/page': 'pinSeesOwnersPage' },
  },
  {
    name: 'B4(a) R/O pin of an exclusive page, mprotect() round trip',
    about: 'the 5.9 refcount rule copies a page only its owner maps because of the pin: "wrong COW" until 5.19.',
    large: 1,
    script: 'write(0,0); mprotect(0,0,1,ro); pin(0,0,ro); mprotect(0,0,1,rw); write(0,0)',
    breaks: { '5.9/page': 'pinSeesOwnersPage' },
  },
  {
    name: 'B4(b) R/O pin of a previously shared page',
    about: "after the child exits the page is the parent's alone but read-only; 5.9 copies it away from the pin.",
    large: 1,
    script: 'write(0,0); fork(0); exit(1); pin(0,0,ro); write(0,0)',
    breaks: { '5.9/page': 'pinSeesOwnersPage' },
  },
  {
    name: 'B4 R/O pin of a R/O-mapped shared page',
    about:
      "without an unshare (5.19) the parent pins the shared page and its own write COWs away from it; 5.8's " +
      'GUP-time COW break happens to give the pinner its own page first.',
    large: 1,
    script: 'write(0,0); fork(0); pin(0,0,ro); write(0,0)',
    breaks: { '5.7/page': 'pinSeesOwnersPage', '5.9/page': 'pinSeesOwnersPage' },
  },
  {
    name: 'B5 THP vmsplice() + unmap in child',
    about:
      'do_huge_pmd_wp_page() reused a PMD THP by mapcount until 5.18 ("COW fixes part 1"); 5.8\'s GUP COW ' +
      'break gave the child its own page before it pinned.',
    large: 4,
    script: 'thp(0,0); fork(0); pin(1,0,ro); zap(1,0,4); write(0,0)',
    breaks: { '5.7/page': 'dataIsolation', '5.9/page': 'dataIsolation' },
  },
  {
    name: 'per-folio AE: partially shared THP',
    about:
      'one AnonExclusive bit per folio cannot say "page 0 shared, pages 1-3 exclusive": fork clears it while ' +
      'the parent still maps pages 1-3 writable (cow.c "partially shared THP" setup).',
    large: 4,
    script: 'thp(0,0); dontfork(0,1,1); dontfork(0,2,2); fork(0)',
    breaks: { '5.19/folio': 'writablePteIsExclusive', '6.15/folio': 'writablePteIsExclusive' },
  },
  {
    name: 'tuple-naive: map a folio, MADV_DONTNEED one page',
    about: 'one (VMA, page table) pair, one decrement: the count says unmapped while three PTEs remain (§3.2).',
    large: 4,
    script: 'fault(0,0); zap(0,1,1)',
    schemes: ['tuple-naive'],
    breaks: everywhere('tupleCountMatchesPageTables'),
  },
  {
    name: 'tuple-scan, large-mapcount, mm-id, page-mapcount: partial MADV_DONTNEED twice',
    about: 'the scan keeps the pair count exact under rmap calls; the merged schemes count every mapping.',
    large: 4,
    script: 'fault(0,0); zap(0,1,1); zap(0,2,1); fork(0); zap(1,0,1); exit(1)',
    schemes: ['tuple-scan', 'large-mapcount', 'mm-id', 'page-mapcount'],
    breaks: {},
  },
  {
    name: 'tuple-scan: partial mremap across page tables',
    about: 'two PTEs move to another page table and VMA without an rmap call: two pairs, count 1 (§3.2).',
    large: 4,
    script: 'fault(0,0); mremap(0,2,2,5)',
    schemes: ['tuple-scan'],
    breaks: everywhere('tupleScanMatchesPageTables'),
  },
  {
    name: 'large-mapcount, mm-id: partial mremap, fork, COW, exit',
    about: 'counting every mapping does not care which page table or VMA a PTE is in.',
    large: 4,
    script: 'fault(0,0); mremap(0,2,2,5); fork(0); write(1,5); exit(1)',
    schemes: ['large-mapcount', 'mm-id', 'page-mapcount'],
    breaks: {},
  },
];

export const HISTORY_SPECS: readonly Spec[] = SCENARIOS.flatMap((s) =>
  POLICIES.map(({ era, ae }) => {
    const broken = s.breaks[`${era}/${ae}`];
    const steps = s.script.split(';').length;
    return defineSpec({
      name: `history: ${s.name} [${era}/${ae}]`,
      about: s.about,
      bounds: {
        mms: 2,
        va: 8,
        pt: 4,
        large: s.large,
        slots: 12,
        pins: 1,
        map: 4,
        data: true,
        ops: OP_NAMES,
        era,
        ae,
        schemes: s.schemes ?? [],
      },
      script: s.script,
      expect:
        broken === undefined
          ? { verdict: 'success' }
          : { verdict: 'invariant-violated', invariant: broken, traceLength: steps },
    });
  }),
);
