/**
 * Decision points (decide.ts) asked of a deciding scheme, and what each wrong answer costs (consequences.ts):
 * the January 2023 proposal's leak, MM-ID's correct answers, the deferred split a single mapcount misses,
 * reclaim's folio_mapped() test, and bad_page() catching a scheme freed out of sync.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { config, exit, fault, fork, kernelAfter, write, zap } from '../../test/helpers.js';
import type { Action } from './actions.js';
import { applyAction } from './actions.js';
import { checkBounds } from './bounds.js';
import { AE_GRANULARITIES, type Bounds } from './config.js';
import { activateFigures, Figures } from './consequences.js';
import { decisionSources } from './decide.js';
import { ERAS } from './eras.js';
import type { Folio, Kernel } from './include/mm_types.js';
import { invariantsFor } from './invariants/index.js';
import { SCHEME_NAMES } from './mapcount/index.js';
import { NAMED_POLICIES, type Policy, parsePolicy, policyKey } from './policies.js';
import { Truth } from './recount/truth.js';

/** Two mms over one large folio of four pages, with contents tracked. */
const bounds = (over: Partial<Bounds> = {}): Partial<Bounds> => ({
  mms: 2,
  va: 4,
  pt: 4,
  large: 4,
  slots: 6,
  pins: 0,
  data: true,
  ops: ['fault', 'fork', 'zap', 'write', 'exit', 'reclaim'],
  swap: 2,
  ...over,
});

/** The invariants of `k`'s configuration that fail in `k`. */
function failing(k: Kernel): string[] {
  const t = new Truth(k.cfg);
  t.recount(k);
  return invariantsFor(k.cfg)
    .filter((inv) => !inv.holds(k, t))
    .map((inv) => inv.name);
}

/** Runs `steps` with figures counted, as the search counts them. */
function counted(k: Kernel, steps: readonly Action[]): Figures {
  const f = new Figures();
  activateFigures(f);
  try {
    for (const a of steps) expect(applyAction(k, a)).toBe(0);
  } finally {
    activateFigures(undefined);
  }
  return f;
}

const folio0 = (k: Kernel): Folio => k.folio[0] as Folio;

describe('policies', () => {
  const policy = fc
    .record({
      era: fc.constantFrom(...ERAS),
      ae: fc.constantFrom(...AE_GRANULARITIES),
      decider: fc.option(fc.constantFrom(...SCHEME_NAMES), { nil: undefined }),
    })
    .map(({ decider, ...p }): Policy => (decider === undefined ? p : { ...p, decider }));

  it('parses what policyKey writes (round trip)', () => {
    fc.assert(
      fc.property(policy, (p) => {
        expect(parsePolicy(policyKey(p))).toEqual(p);
      }),
    );
  });

  it('names the bundles: the 2023 proposal as written and the kernel of today', () => {
    expect(parsePolicy('jan-2023')).toEqual({ era: '6.15', ae: 'folio', decider: 'tuple-naive' });
    expect(parsePolicy('kernel-6.15')).toEqual({ era: '6.15', ae: 'page', decider: 'mm-id' });
    for (const p of NAMED_POLICIES) expect(policyKey(parsePolicy(p.name) as Policy)).toBe(policyKey(p));
  });

  it('says what is wrong with a policy it cannot read', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const p = parsePolicy(s);
        if ('error' in p) expect(p.error.length).toBeGreaterThan(0);
        else expect(policyKey(p) === s || NAMED_POLICIES.some((n) => n.name === s)).toBe(true);
      }),
    );
    expect(parsePolicy('6.15/page@nope')).toEqual({ error: expect.stringContaining('after the @') });
  });

  it('refuses a policy contradicted by a field given beside it, naming the field', () => {
    const { era: _, ae: __, ...plain } = config().bounds();
    expect(checkBounds({ ...plain, policy: 'jan-2023', era: '5.9' }).map((e) => e.field)).toEqual(['era']);
    expect(checkBounds({ ...plain, policy: 'jan-2023', ae: 'page' }).map((e) => e.field)).toEqual(['ae']);
    expect(checkBounds({ ...plain, policy: 'jan-2023', era: '6.15', ae: 'folio' })).toEqual([]);
  });

  it('expands into era, granularity and decider, and keeps the decider maintained', () => {
    const cfg = config(bounds({ policy: 'jan-2023' }));
    expect([cfg.era, cfg.ae, cfg.decider]).toEqual(['6.15', 'folio', 'tuple-naive']);
    expect(cfg.schemes).toContain('tuple-naive');
  });
});

describe('decision points', () => {
  // Map four pages, unmap one (the tuple count drops to zero), fork, write a page both mms map.
  const leak = [fault(0, 0), zap(0, 0, 1), fork(0), write(0, 1)];

  it('jan-2023: the tuple count decides COW reuse and the child sees the parent write (4 steps)', () => {
    const k = kernelAfter(config(bounds({ policy: 'jan-2023' })), leak);
    expect(failing(k)).toEqual(expect.arrayContaining(['dataIsolation', 'tupleCountMatchesPageTables']));
    // The write reused the shared page in place: no copy was made.
    expect(k.mm[0]?.pte[1]?.folio).toBe(0);
  });

  it('the same steps with MM-ID deciding (kernel-6.15) copy, and every invariant holds', () => {
    const k = kernelAfter(config(bounds({ policy: 'kernel-6.15' })), leak);
    expect(failing(k)).toEqual([]);
    expect(k.mm[0]?.pte[1]?.folio).not.toBe(0);
  });

  it('counts a needless copy: 5.19 never reuses a large folio, even one a single mm maps', () => {
    const k = kernelAfter(config(bounds({ era: '5.19', decider: 'mm-id' })), [fault(0, 0), fork(0), exit(1)]);
    const f = counted(k, [write(0, 1)]);
    expect(Object.fromEntries(f.counts)).toMatchObject({ 'cow-copies': 1, 'needless-copies': 1 });
  });

  it('a copy the page needs is not needless', () => {
    const k = kernelAfter(config(bounds({ era: '5.19', decider: 'mm-id' })), [fault(0, 0), fork(0)]);
    const f = counted(k, [write(0, 1)]);
    expect(Object.fromEntries(f.counts)).toEqual({ 'cow-copies': 1 });
  });

  it('deferred split: a single large mapcount misses pages unmapped by both mms; per-page counts do not', () => {
    const steps = [fault(0, 0), fork(0), zap(1, 0, 2), zap(0, 0, 2)];
    const missed = kernelAfter(config(bounds({ era: '6.15', decider: 'large-mapcount' })), steps);
    expect(folio0(missed).partially_mapped).toBe(0);
    expect(failing(missed)).toEqual(['partiallyMappedIsQueued']);
    const queued = kernelAfter(config(bounds({ era: '6.15', decider: 'page-mapcount' })), steps);
    expect(folio0(queued).partially_mapped).toBe(1);
    expect(failing(queued)).toEqual([]);
  });

  it('reclaim: a decider that says "unmapped" of a mapped folio skips the unmap, and the refcount keeps it', () => {
    const cfg = config(bounds({ large: 1, decider: 'tuple-naive' }));
    const k = kernelAfter(cfg, [fault(0, 0)]);
    folio0(k).mc[0] = 0; // a tuple count that desynced to zero
    const f = counted(k, []);
    const before = JSON.stringify(k.mm);
    activateFigures(f);
    try {
      expect(applyAction(k, { kind: 'reclaim', mm: 0, addr: 0, nr: 1 })).not.toBe(0);
    } finally {
      activateFigures(undefined);
    }
    expect(JSON.stringify(k.mm)).toBe(before);
    expect(f.counts.get('reclaim-kept-mapped')).toBe(1);
  });

  it('says where each query is answered', () => {
    const rows = decisionSources(config(bounds({ policy: 'jan-2023' })));
    const from = (point: string, query: string) => rows.find((r) => r.point === point && r.query === query)?.from;
    expect(from('cow-reuse-large', 'folio_maybe_mapped_shared')).toBe('tuple-naive');
    // A count of (VMA, page table) pairs is no count of mappings: the era answers that one.
    expect(from('cow-reuse-large', 'folio_mapcount')).toBe('the era (page mapcounts)');
    expect(from('deferred-split', 'folio_partially_mapped')).toBe('the era (page mapcounts)');
  });
});

describe('bad_page() for the schemes', () => {
  it('a folio freed while a scheme is out of sync taints it, and its invariant fails from then on', () => {
    // MADV_PAGEOUT of one page of a large folio splits it and swaps the page out: tuple-naive's words are
    // not zero when the folio is freed, though nothing maps it any more.
    const cfg = config(bounds({ mms: 1, schemes: ['tuple-naive'], ops: ['fault', 'pageout', 'write'] }));
    const k = kernelAfter(cfg, [fault(0, 0), { kind: 'pageout', mm: 0, addr: 0, nr: 1 }]);
    expect(k.bad_page).toBe(1);
    expect(failing(k)).toContain('tupleCountMatchesPageTables');
  });

  it('schemes that stay in sync never taint', () => {
    // Four swap slots: MADV_PAGEOUT pages out the whole split folio or nothing (shrink_folio_list.ts).
    const cfg = config(
      bounds({ mms: 1, swap: 4, schemes: ['large-mapcount', 'page-mapcount'], ops: ['fault', 'pageout'] }),
    );
    const k = kernelAfter(cfg, [fault(0, 0), { kind: 'pageout', mm: 0, addr: 0, nr: 4 }]);
    expect(k.bad_page).toBe(0);
    expect(failing(k)).toEqual([]);
  });
});
