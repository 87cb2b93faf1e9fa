/**
 * The typed-array kernel (views.ts) behaves as the plain one where the model's code can tell: an mm's
 * `expect` reads and writes like an array of `va` numbers and refuses any other index; `dirty` says whether
 * anything was written since `restore` or `markClean` (the search restores the state before a step only
 * then); the layout's kernel words are those of the kernel's fields.
 */
import { describe, expect, it } from 'vitest';
import { config } from '../../../test/helpers.js';
import { createKernel } from './plain.js';
import { KernelView, Layout } from './views.js';

const cfg = config({ mms: 2, va: 3, pt: 3, large: 1, data: true });
const lay = new Layout(cfg);
const fresh = (): KernelView => {
  const v = new KernelView(cfg, lay);
  v.restore(new Int32Array(lay.words));
  return v;
};

describe("an mm's expect over the state's words", () => {
  it('has length va, reads and iterates the words, and writes them', () => {
    const v = fresh();
    const e = v.mm[1]?.expect as number[];
    expect(e.length).toBe(3);
    e[0] = 5;
    e[2] = 7;
    expect([e[0], e[1], e[2]]).toEqual([5, 0, 7]);
    expect([...e]).toEqual([5, 0, 7]);
    expect(v.w[lay.expect(1, 0)]).toBe(5);
    expect(v.w[lay.expect(1, 2)]).toBe(7);
    expect(v.mm[0]?.expect[0]).toBe(0);
  });

  it('reads nothing at another index, not even the next word of the state', () => {
    const v = fresh();
    v.w.fill(9);
    const e = v.mm[0]?.expect as number[];
    for (const i of [-1, 3, 1.5, Number.NaN]) expect(e[i], String(i)).toBeUndefined();
    expect((e as unknown as Record<string, unknown>).foo).toBeUndefined();
  });

  it('refuses a write at another index (a TypeError in strict code) and leaves every word as it was', () => {
    const v = fresh();
    const e = v.mm[0]?.expect as number[];
    const before = [...v.w];
    for (const i of [-1, 3, 1.5]) {
      expect(() => {
        e[i] = 4;
      }, String(i)).toThrow(TypeError);
    }
    expect(() => {
      (e as unknown as Record<string, number>).foo = 4;
    }).toThrow(TypeError);
    expect([...v.w]).toEqual(before);
    expect(v.dirty).toBe(false);
  });
});

describe('dirty', () => {
  it('is false when made, after restore and after markClean, and true after any write', () => {
    const made = new KernelView(cfg, lay);
    expect(made.dirty).toBe(false);
    const v = fresh();
    expect(v.dirty).toBe(false);
    (v.mm[0] as { live: boolean }).live = true;
    expect(v.dirty).toBe(true);
    v.markClean();
    expect(v.dirty).toBe(false);
    (v.mm[1]?.expect as number[])[1] = 3;
    expect(v.dirty).toBe(true);
    v.restore(new Int32Array(lay.words));
    expect(v.dirty).toBe(false);
    v.values = 2;
    expect(v.dirty).toBe(true);
  });
});

describe('Layout', () => {
  it("places the kernel's own fields where the view reads them", () => {
    const v = fresh();
    v.nr_folios = 11;
    v.values = 12;
    v.bad_page = 13;
    expect([v.w[lay.nrFolios], v.w[lay.values], v.w[lay.badPage]]).toEqual([11, 12, 13]);
    expect(Object.keys(createKernel(cfg))).toEqual(expect.arrayContaining(['nr_folios', 'values', 'bad_page']));
  });
});
