/**
 * Spilled predecessors give the same paths and the same checkpoint dump as predecessors in memory, on
 * either side of a block written to disk, and their file goes with the spill directory.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { Predecessors, packOwner, unpackOwner } from './predecessors.js';
import { SpillDir } from './spill.js';

const parent = mkdtempSync(join(tmpdir(), 'foliocheck-preds-test-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

/** A random breadth-first tree of `n` states: each parent discovered before its child. */
function tree(n: number, seed: number): { parent: Int32Array; action: Uint32Array } {
  let x = seed;
  const next = (): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x;
  };
  const p = new Int32Array(n);
  const a = new Uint32Array(n);
  p[0] = -1;
  for (let id = 1; id < n; id++) {
    // Mostly near the end, as in a breadth-first search, so paths are long.
    p[id] = id - 1 - (next() % Math.min(id, 64));
    // Any unsigned word: the parallel search packs the parent's owner into it (packOwner).
    a[id] = next();
  }
  return { parent: p, action: a };
}

describe('Predecessors', () => {
  test.prop([fc.integer({ min: 1, max: 200_000 }), fc.nat(), fc.array(fc.nat(), { minLength: 1, maxLength: 30 })], {
    numRuns: 6,
  })('spilled and in memory give the same paths', (n, seed, picks) => {
    const t = tree(n, seed);
    const mem = new Predecessors();
    const spill = new SpillDir(parent);
    const disk = new Predecessors(spill);
    for (let id = 0; id < n; id++) {
      mem.set(id, t.parent[id] as number, t.action[id] as number);
      disk.set(id, t.parent[id] as number, t.action[id] as number);
    }
    const ids = [0, n - 1, ...picks.map((p) => p % n)];
    expect(ids.map((id) => disk.pathTo(id))).toEqual(ids.map((id) => mem.pathTo(id)));
    expect(ids.map((id) => disk.get(id))).toEqual(ids.map((id) => [t.parent[id], t.action[id]]));
    expect(ids.map((id) => mem.get(id))).toEqual(ids.map((id) => [t.parent[id], t.action[id]]));
    const [dd, md] = [disk.dump(n), mem.dump(n)];
    expect(Buffer.compare(Buffer.from(dd.parent.buffer), Buffer.from(md.parent.buffer))).toBe(0);
    expect(Buffer.compare(Buffer.from(dd.action.buffer), Buffer.from(md.action.buffer))).toBe(0);
    // Past one block the entries are on disk, and only the buffer is resident.
    expect(spill.path !== undefined).toBe(n >= 1 << 16);
    expect(disk.bytes()).toBeLessThan(mem.bytes() + (1 << 20));
    spill.remove();
    expect(readdirSync(parent)).toEqual([]);
  });

  it('a restored spilled set gives the paths of the one dumped', () => {
    const t = tree(150_000, 7);
    const spill = new SpillDir(parent);
    const a = new Predecessors(spill);
    for (let id = 0; id < t.parent.length; id++) a.set(id, t.parent[id] as number, t.action[id] as number);
    const d = a.dump(t.parent.length);
    const spill2 = new SpillDir(parent);
    const b = new Predecessors(spill2);
    b.restore(d.parent, d.action);
    expect(b.pathTo(149_999)).toEqual(a.pathTo(149_999));
    const dir = spill.path as string;
    spill.remove();
    spill2.remove();
    expect(existsSync(dir)).toBe(false);
  });

  it('spilled entries come in id order', () => {
    const p = new Predecessors(new SpillDir(parent));
    p.set(0, -1, 0);
    expect(() => p.set(2, 0, 1)).toThrow(/id order/);
  });

  test.prop([fc.integer({ min: 1, max: 4096 }), fc.integer({ min: -1, max: 4095 }), fc.nat()])(
    "an action and its parent's owner come back from their word",
    (workers, owner, seed) => {
      fc.pre(owner < workers);
      const action = seed % Math.floor(0xffffffff / (workers + 1));
      const word = packOwner(action, owner, workers);
      expect(word).toBeLessThanOrEqual(0xffffffff);
      expect(unpackOwner(word, workers)).toEqual({ action, owner });
    },
  );
});
