/**
 * The ground truth (recount/truth.ts) against a recount written the slow, obvious way: every count the
 * invariants and the schemes are judged by, in every state of random runs, with and without VMA tracking,
 * huge PMDs and mapcount schemes; PTEs an invariant reports as invalid are counted nowhere; the stamp that
 * spares clearing the pair table wraps without double counting.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { config, fault, fork, kernelAfter, randomRun } from '../../../test/helpers.js';
import type { Bounds, Config } from '../config.js';
import type { Kernel } from '../include/mm_types.js';
import { toPlain } from '../state/plain.js';
import { Truth } from './truth.js';

interface Counts {
  ptemaps: number[];
  pmdmaps: number[];
  mmmaps: number[];
  tuples: number[];
  used: number[];
}

/**
 * The counts by definition. A VMA is a maximal run of mapped pages with equal flags and anon_vma whose
 * pgoff advances with the address; untracked VMAs are one VMA at 0. A tuple is (mm, the VMA's first page,
 * page table), kept in a set per folio; only configurations with schemes count them.
 */
function recountByDefinition(k: Kernel, cfg: Config): Counts {
  const large = cfg.folioPages;
  const slots = k.folio.length;
  const ptemaps = new Array<number>(slots * large).fill(0);
  const pmdmaps = new Array<number>(slots).fill(0);
  const mmmaps = new Array<number>(slots * cfg.mms).fill(0);
  const pairs = Array.from({ length: slots }, () => new Set<string>());
  k.mm.forEach((mm, m) => {
    const key = (a: number): string => {
      const v = mm.vm[a];
      if (v === undefined || !v.mapped) return `unmapped ${a}`;
      return [v.write, v.dontcopy, v.account, v.anon_vma, v.pgoff - a].join(' ');
    };
    const start = (a: number): number => {
      if (!cfg.tracksVmas) return 0;
      let s = a;
      while (s > 0 && key(s - 1) === key(a) && mm.vm[a]?.mapped) s -= 1;
      return s;
    };
    mm.pmd.forEach((pmd, t) => {
      if (!pmd.huge || pmd.folio < 0 || pmd.folio >= slots) return;
      pmdmaps[pmd.folio] = (pmdmaps[pmd.folio] as number) + 1;
      mmmaps[pmd.folio * cfg.mms + m] = (mmmaps[pmd.folio * cfg.mms + m] as number) + 1;
      pairs[pmd.folio]?.add(`${m} ${start(t * cfg.pt)} ${t}`);
    });
    mm.pte.forEach((pte, a) => {
      if (!pte.present || pte.folio < 0 || pte.folio >= slots || pte.page < 0 || pte.page >= large) return;
      const i = pte.folio * large + pte.page;
      ptemaps[i] = (ptemaps[i] as number) + 1;
      mmmaps[pte.folio * cfg.mms + m] = (mmmaps[pte.folio * cfg.mms + m] as number) + 1;
      pairs[pte.folio]?.add(`${m} ${start(a)} ${Math.floor(a / cfg.pt)}`);
    });
  });
  const tuples = pairs.map((p) => (cfg.schemes.length > 0 ? p.size : 0));
  const used = k.folio.flatMap((f, s) => (f.used ? [s] : []));
  return { ptemaps, pmdmaps, mmmaps, tuples, used };
}

function countsOf(t: Truth, cfg: Config): Counts {
  const slots = t.tuples.length;
  const mms: number[] = [];
  for (let s = 0; s < slots; s++) for (let m = 0; m < cfg.mms; m++) mms.push(t.mmMaps(s, m));
  return {
    ptemaps: [...t.ptemaps],
    pmdmaps: [...t.pmdmaps],
    mmmaps: mms,
    tuples: [...t.tuples],
    used: [...t.used.subarray(0, t.nrUsed)],
  };
}

/** What the queries answer, from the counts by definition. */
function expectQueries(t: Truth, want: Counts, cfg: Config): void {
  for (let s = 0; s < want.pmdmaps.length; s++) {
    const perMm = want.mmmaps.slice(s * cfg.mms, (s + 1) * cfg.mms);
    expect(t.folioMaps(s)).toBe(perMm.reduce((x, y) => x + y, 0));
    expect(t.mmsMapping(s)).toBe(perMm.filter((n) => n > 0).length);
    for (let p = 0; p < cfg.folioPages; p++) {
      const ptes = want.ptemaps[s * cfg.folioPages + p] as number;
      expect(t.maps(s, p)).toBe(ptes);
      expect(t.allMaps(s, p)).toBe(ptes + (want.pmdmaps[s] as number));
    }
  }
}

const SMALL: Partial<Bounds> = { mms: 3, va: 8, pt: 4, large: 4, slots: 6, pins: 1, map: 4, swap: 1, data: false };
const CONFIGS: readonly [string, Partial<Bounds>][] = [
  [
    'VMAs tracked, huge PMDs, a tuple scheme',
    {
      ...SMALL,
      ops: ['fault', 'zap', 'fork', 'munmap', 'mremap', 'mprotect', 'dontfork', 'thp', 'split_pmd', 'pin'],
      schemes: ['tuple-naive'],
    },
  ],
  [
    'one VMA, huge PMDs, a tuple scheme',
    { ...SMALL, ops: ['fault', 'zap', 'fork', 'thp', 'split_pmd', 'exit'], schemes: ['tuple-scan'] },
  ],
  [
    'VMAs tracked, no scheme (no tuples kept)',
    { ...SMALL, ops: ['fault', 'fork', 'munmap', 'mremap', 'thp'], schemes: [] },
  ],
];

describe('Truth: the recount every counter is judged by', () => {
  for (const [what, bounds] of CONFIGS) {
    const cfg = config(bounds);
    test.prop([fc.array(fc.nat(), { maxLength: 25 })], { numRuns: 30 })(
      `equals the counts by definition in every state of a random run (${what})`,
      (choices) => {
        const t = new Truth(cfg);
        for (const k of randomRun(cfg, choices).states) {
          t.recount(k);
          const want = recountByDefinition(k, cfg);
          expect(countsOf(t, cfg)).toEqual(want);
          expectQueries(t, want, cfg);
        }
      },
    );
  }

  it('counts a PTE that names no page of a valid folio nowhere (the invariants report it, the counts stay sane)', () => {
    const cfg = config(CONFIGS[0]?.[1]);
    const k = toPlain(kernelAfter(cfg, [fault(0, 0), fork(0)]));
    const mapped = k.mm.flatMap((mm) => mm.pte.filter((p) => p.present));
    expect(mapped.length).toBeGreaterThan(2);
    const [a, b, c] = mapped;
    if (a === undefined || b === undefined || c === undefined) throw new Error('unreachable');
    a.page = cfg.folioPages; // would land on the next folio's first page
    b.folio = k.folio.length; // one past the last slot
    c.page = -1;
    const t = new Truth(cfg);
    t.recount(k);
    expect(countsOf(t, cfg)).toEqual(recountByDefinition(k, cfg));
  });

  it('counts each (VMA, page table) pair once across the stamp wrap', () => {
    const cfg = config(CONFIGS[0]?.[1]);
    // A large folio mapped by four PTEs of one page table in each of two mms: four PTEs, one pair each.
    const states = [kernelAfter(cfg, [fault(0, 0)]), kernelAfter(cfg, [fault(0, 0), fork(0)])];
    const t = new Truth(cfg);
    // The stamp marks the pairs seen in this recount; it restarts before it would leave an Int32Array's range.
    (t as unknown as { stamp: number }).stamp = 0x7fffffff - 3;
    for (let i = 0; i < 6; i++) {
      for (const k of states) {
        t.recount(k);
        expect(countsOf(t, cfg).tuples).toEqual(recountByDefinition(k, cfg).tuples);
      }
    }
  });

  it('names every (folio, mm, VMA start, page table) pair by its own index of the pair table', () => {
    const cfg = config(CONFIGS[0]?.[1]);
    const t = new Truth(cfg) as unknown as { pair(slot: number, m: number, start: number, table: number): number };
    const seen = new Set<number>();
    const size = cfg.slots * cfg.mms * cfg.va * cfg.nrPt;
    for (let s = 0; s < cfg.slots; s++)
      for (let m = 0; m < cfg.mms; m++)
        for (let start = 0; start < cfg.va; start++)
          for (let table = 0; table < cfg.nrPt; table++) {
            const i = t.pair(s, m, start, table);
            expect(i >= 0 && i < size, `pair (${s}, ${m}, ${start}, ${table}) -> ${i}`).toBe(true);
            seen.add(i);
          }
    expect(seen.size).toBe(size);
  });
});
