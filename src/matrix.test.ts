/**
 * The matrix reproduces the kernel's history (issue: "the expected shapes") on the fast mixes: which
 * designs break where, and that the kernel's rules of 5.19 and 6.15 hold.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { matrixJson, matrixText } from './cli/matrixRender.js';
import { type Cell, type Matrix, MIXES, POLICIES, PROPERTIES, policyKey, runMatrix } from './matrix.js';
import type { Mix } from './mixes.js';
import { INVARIANTS } from './model/invariants/index.js';
import { SCHEMES } from './model/mapcount/index.js';

const FAST = ['partial-unmap', 'pins', 'fork-pins', 'mremap-dontfork', 'three-mms'];
/**
 * three-mms a level short of the main job's (8 instead of 9): every shape below shows by then, and the last
 * level alone costs the suite about 40 s.
 */
const SUITE_DEPTH: Readonly<Record<string, number>> = { 'three-mms': 8 };
let m: Matrix;

beforeAll(async () => {
  const mixes = MIXES.filter((x) => FAST.includes(x.name)).map((x) => {
    const depth = SUITE_DEPTH[x.name];
    return depth === undefined ? x : { ...x, depth };
  });
  m = await runMatrix({ mixes });
}, 600_000);

function cell(policy: string, scheme: string, property: string): Cell {
  const row = m.rows.find((r) => policyKey(r.policy) === policy && r.scheme === scheme);
  const c = row?.cells[property];
  if (c === undefined) throw new Error(`no cell ${policy}/${scheme}/${property}`);
  return c;
}

const failsIn = (c: Cell): string | undefined => (c.kind === 'fails' ? c.finding.mix : undefined);
const length = (c: Cell): number | undefined => (c.kind === 'fails' ? c.finding.trace.length : undefined);
const KEYS = POLICIES.map(policyKey);

describe('matrix columns', () => {
  it('every invariant stands in exactly one column, the one it declares', () => {
    for (const inv of INVARIANTS) {
      const columns = PROPERTIES.filter((p) => p.invariants.includes(inv.name)).map((p) => p.key);
      expect(columns, inv.name).toEqual([inv.property]);
    }
  });
});

describe('matrix', () => {
  it('has a row per policy and scheme, and every run covered its bounds', () => {
    expect(m.rows).toHaveLength(POLICIES.length * SCHEMES.length);
    expect(m.runs.every((r) => r.covered)).toBe(true);
  });

  it('tuple-naive desyncs everywhere in 2 steps on a partial MADV_DONTNEED ("map three, unmap two")', () => {
    for (const p of KEYS) {
      const c = cell(p, 'tuple-naive', 'desync');
      expect(failsIn(c)).toBe('partial-unmap');
      expect(length(c)).toBe(2);
    }
  });

  it('tuple-scan survives partial unmap and breaks only where pairs change without rmap (mremap, VMA split)', () => {
    for (const p of KEYS) expect(failsIn(cell(p, 'tuple-scan', 'desync'))).toBe('mremap-dontfork');
  });

  it('page-mapcount, large-mapcount, mm-id and total-mapped-pages never desync', () => {
    for (const p of KEYS) {
      for (const s of ['page-mapcount', 'large-mapcount', 'mm-id', 'total-mapped-pages'])
        expect(cell(p, s, 'desync').kind).toBe('holds');
    }
  });

  it('per-folio AE breaks where a folio is partly shared; per-page AE never', () => {
    for (const era of ['5.19', '6.15']) {
      expect(failsIn(cell(`${era}/folio`, 'large-mapcount', 'writable'))).toBe('mremap-dontfork');
      expect(cell(`${era}/page`, 'large-mapcount', 'writable').kind).toBe('holds');
      expect(cell(`${era}/page`, 'large-mapcount', 'ae').kind).toBe('holds');
    }
    expect(cell('5.9/page', 'large-mapcount', 'ae').kind).toBe('n/a');
  });

  it('pins: B3 loses pins in 5.7 and 5.8; B4 loses R/O pins in 5.9; 5.19 and 6.15 keep them', () => {
    expect(failsIn(cell('5.7/page', 'mm-id', 'pin'))).toBe('fork-pins');
    expect(failsIn(cell('5.8/page', 'mm-id', 'pin'))).toBe('fork-pins');
    expect(failsIn(cell('5.9/page', 'mm-id', 'pin'))).toBeDefined();
    for (const p of ['5.19/page', '5.19/folio', '6.15/page', '6.15/folio'])
      expect(cell(p, 'mm-id', 'pin').kind).toBe('holds');
  });

  it('isolation: the vmsplice leaks of 5.7 and 5.8 (B2), none from 5.9 in these mixes', () => {
    expect(failsIn(cell('5.7/page', 'page-mapcount', 'isolation'))).toBe('fork-pins');
    expect(failsIn(cell('5.8/page', 'page-mapcount', 'isolation'))).toBe('fork-pins');
    for (const p of ['5.9/page', '5.19/page', '6.15/page'])
      expect(cell(p, 'page-mapcount', 'isolation').kind).toBe('holds');
  });

  it('5.19 and 6.15 (per-page AE) hold every kernel property', () => {
    for (const p of ['5.19/page', '6.15/page']) {
      for (const prop of ['ae', 'writable', 'isolation', 'pin', 'uaf', 'other']) {
        expect(cell(p, 'page-mapcount', prop).kind, `${p} ${prop}`).toBe('holds');
      }
    }
  });

  it('counts classes of states in three-mms only, and says so under the table', () => {
    expect(m.symmetry).toEqual(['three-mms']);
    expect(matrixText(m)).toContain('States of three-mms: one per renaming of the mms');
    expect((matrixJson(m) as { symmetry: string[] }).symmetry).toEqual(['three-mms']);
  });

  it('mm-id says "maybe shared" for an exclusive folio only once three mms took part', () => {
    for (const r of m.runs) {
      const c = r.schemeCounts.get('mm-id');
      const bad = c?.get('falselyShared') ?? 0;
      if (r.mix === 'three-mms') expect(bad).toBeGreaterThan(0);
      else expect(bad).toBe(0);
    }
  });
});

describe('matrix, the R/O-pin shape on the pins mix alone', () => {
  it('R/O pins of exclusive pages are lost only in 5.9', async () => {
    const pins = await runMatrix({ mixes: MIXES.filter((x) => x.name === 'pins'), schemes: ['page-mapcount'] });
    const lost = pins.rows.filter((r) => r.cells.pin?.kind === 'fails').map((r) => policyKey(r.policy));
    expect(lost).toEqual(['5.9/page']);
  });
});

describe('matrix coverage, per mix', () => {
  const tiny: Mix = {
    name: 'tiny',
    about: 'one mm writes its own page: no write fault ever reaches do_wp_page()',
    bounds: { mms: 1, va: 1, pt: 1, large: 1, slots: 2, pins: 0, ops: ['fault', 'zap', 'write'] },
    depth: 4,
  };

  it('each run carries its coverage, and a branch no run took is a warning under its mix', async () => {
    const t = await runMatrix({ mixes: [tiny], policies: POLICIES.filter((p) => p.era === '6.15'), schemes: [] });
    for (const r of t.runs) expect(r.coverage?.steps.fault).toBeGreaterThan(0);
    const text = matrixText(t);
    // A lone mm's writes find its PTE writable (the fault mapped it so): do_wp_page() never runs.
    expect(text).toContain('warning: branch do_wp_page:copy never fired in any run');
    expect(text).toContain('warning: branch do_wp_page:reuse never fired in any run');
    expect(text).not.toContain('warning: step fault');
    const json = matrixJson(t) as { runs: { coverage?: { unfired: { branches: string[] } } }[] };
    expect(json.runs.every((r) => r.coverage?.unfired.branches.includes('do_wp_page:copy'))).toBe(true);
  });
});
