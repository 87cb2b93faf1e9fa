/**
 * The matrix's decider table: each scheme deciding under the 6.15 rules, judged by consequence (leaks,
 * lost pins, a folio never queued for split), on the mixes where the January 2023 thread's corner cases
 * live, to depth 5 (every finding below is 5 steps or fewer).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Cell, DECIDER_POLICIES, type Matrix, MIXES, POLICIES, policyKey, runMatrix } from './matrix.js';

const MIX_NAMES = ['partial-unmap', 'fork-cow', 'mremap-dontfork'];
let m: Matrix;

beforeAll(async () => {
  m = await runMatrix({ policies: DECIDER_POLICIES, mixes: MIXES.filter((x) => MIX_NAMES.includes(x.name)), depth: 5 });
}, 600_000);

function cell(policy: string, property: string): Cell {
  const c = m.rows.find((r) => policyKey(r.policy) === policy)?.cells[property];
  if (c === undefined) throw new Error(`no cell ${policy}/${property}`);
  return c;
}
const found = (c: Cell): string | undefined =>
  c.kind === 'fails' ? `${c.finding.trace.length} ${c.finding.mix}` : c.kind;

describe('matrix, each scheme deciding', () => {
  it('has one row per decider policy, its own scheme', () => {
    expect(m.rows.map((r) => `${policyKey(r.policy)} ${r.scheme}`)).toEqual(
      DECIDER_POLICIES.map((p) => `${policyKey(p)} ${p.decider}`),
    );
  });

  it('the tuple count deciding COW leaks in 4 steps after fork, as proposed and with per-page AE', () => {
    expect(found(cell('6.15/folio@tuple-naive', 'isolation'))).toBe('4 fork-cow');
    expect(found(cell('6.15/page@tuple-naive', 'isolation'))).toBe('4 fork-cow');
  });

  it('tuple-scan survives fork fragments and breaks where pairs change without an rmap call', () => {
    expect(found(cell('6.15/page@tuple-scan', 'isolation'))).toBe('5 mremap-dontfork');
  });

  it('estimates of "shared" leak; MM-ID holds every data property', () => {
    for (const d of ['large-mapcount', 'total-mapped-pages', 'page-mapcount'])
      expect(found(cell(`6.15/page@${d}`, 'isolation')), d).toBe('4 fork-cow');
    for (const p of ['ae', 'writable', 'isolation', 'pin', 'uaf', 'other'])
      expect(cell('6.15/page@mm-id', p).kind, p).toBe('holds');
  });

  it('a count of mappings misses a deferred split that per-page mapcounts catch', () => {
    for (const d of ['mm-id', 'large-mapcount', 'total-mapped-pages'])
      expect(found(cell(`6.15/page@${d}`, 'split')), d).toBe('4 fork-cow');
    for (const d of ['page-mapcount', 'tuple-scan']) expect(cell(`6.15/page@${d}`, 'split').kind, d).toBe('holds');
  });

  it('gathers the decisions’ figures per run: with two mms MM-ID never copies for a false "maybe shared"', () => {
    for (const r of m.runs) expect(r.schemeCounts.has('decisions'), `${policyKey(r.policy)} ${r.mix}`).toBe(true);
    const mmId = m.runs.filter((r) => r.policy.decider === 'mm-id');
    expect(mmId.every((r) => (r.schemeCounts.get('decisions')?.get('falsely-shared-copies') ?? 0) === 0)).toBe(true);
    const copies = mmId.reduce((n, r) => n + (r.schemeCounts.get('decisions')?.get('cow-copies') ?? 0), 0);
    expect(copies).toBeGreaterThan(0);
  });

  it('the era table has no split column to judge: its cells are n/a', async () => {
    const era = await runMatrix({
      policies: [POLICIES[0] as (typeof POLICIES)[number]],
      mixes: [MIXES[0] as (typeof MIXES)[number]],
      schemes: ['mm-id'],
    });
    expect(era.rows[0]?.cells.split?.kind).toBe('n/a');
  });
});
