/**
 * The parallel search spills each worker's predecessors and queue as the one-thread search does
 * (src/checker/parallelWorker.ts, predecessors.ts, frontier.ts): the figures and the shortest
 * counterexample do not depend on where they are kept, and the spill directory is gone at the end.
 * Worker threads load compiled JavaScript, so this suite drives the build in dist/.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type * as Actions from '../src/model/actions.js';
import type * as Configure from '../src/model/configure.js';
import type * as Spec from '../src/spec.js';

const dist = (path: string): string => new URL(`../dist/${path}`, import.meta.url).href;
const { exploreKernel, KernelSystem } = (await import(dist('src/spec.js'))) as typeof Spec;
const { makeConfig } = (await import(dist('src/model/configure.js'))) as typeof Configure;
const { applyAction } = (await import(dist('src/model/actions.js'))) as typeof Actions;

// 6.15 deciding by per-page mapcounts: a pinned page's folio is freed by reclaim after fork and two COWs
// (a use-after-free six steps deep). With three mms and four pages, level 6 holds about 260,000 states,
// so each of two workers stores past one block of predecessors (65,536) and queues past its three
// in-memory chunks (3 x 16,384) before the level ends: the trace's first steps are read back from disk.
const bounds = {
  mms: 3,
  va: 4,
  pt: 2,
  large: 2,
  slots: 4,
  pins: 1,
  swap: 2,
  data: true,
  ops: ['fault', 'fork', 'reclaim', 'write', 'read', 'pin', 'unpin', 'exit'],
  era: '6.15',
  decider: 'page-mapcount',
  tuple: false,
} as const;
const INVARIANT = 'nothingFreedIsUsedNothingLeaks';

const parent = mkdtempSync(join(tmpdir(), 'foliocheck-parallel-spill-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

describe('parallel search, spilling', () => {
  it('finds the same shortest counterexample as in memory, replayable, and leaves no file behind', async () => {
    const run = (spillDir: string | false) =>
      exploreKernel(new KernelSystem(makeConfig(bounds), 'spill', [], [INVARIANT]), {
        workers: 2,
        store: 'fingerprint',
        spillDir,
      });
    const disk = await run(parent);
    const memory = await run(false);
    expect(readdirSync(parent)).toEqual([]);
    expect(disk.kind).toBe('invariant-violated');
    expect(memory.kind).toBe('invariant-violated');
    if (disk.kind !== 'invariant-violated' || memory.kind !== 'invariant-violated') return;
    expect(disk.stats.states).toBeGreaterThan(2 * 65_536);
    expect(disk.stats.levels?.slice(0, -1)).toEqual(memory.stats.levels?.slice(0, -1));
    expect(disk.trace).toHaveLength(memory.trace.length);
    expect(disk.invariant).toBe(INVARIANT);
    const sys = new KernelSystem(makeConfig(bounds), 'replay', [], [INVARIANT]);
    const k = sys.initialKernel();
    for (const step of disk.trace) expect(applyAction(k, step.action)).toBe(0);
    expect(sys.invariantNames[sys.checkKernel(k)]).toBe(INVARIANT);
  });
});
