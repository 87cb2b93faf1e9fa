/**
 * Which mixes the matrix explores with one state per renaming of the mms: only a mix of several mms can be,
 * `--symmetry all|none` decides for every mix, and otherwise the mix's own `symmetry` does.
 */
import { describe, expect, it } from 'vitest';
import { MIXES, type Mix, symmetricMix } from './mixes.js';

const mix = (name: string): Mix => MIXES.find((x) => x.name === name) as Mix;

describe('symmetricMix', () => {
  it('never for a mix of one mm, whatever is asked', () => {
    for (const m of MIXES.filter((x) => x.bounds.mms === 1)) {
      expect([undefined, 'all', 'none'].map((c) => symmetricMix(m, c as 'all' | 'none' | undefined))).toEqual([
        false,
        false,
        false,
      ]);
    }
  });

  it('all and none decide for every mix of several mms', () => {
    for (const m of MIXES.filter((x) => x.bounds.mms > 1)) {
      expect(symmetricMix(m, 'all'), m.name).toBe(true);
      expect(symmetricMix(m, 'none'), m.name).toBe(false);
    }
  });

  it("by default each mix's own choice: three-mms, where it saves time", () => {
    expect(MIXES.filter((x) => symmetricMix(x)).map((x) => x.name)).toEqual(['three-mms']);
    expect(symmetricMix({ ...mix('fork-cow'), symmetry: true })).toBe(true);
    expect(symmetricMix({ ...mix('three-mms'), symmetry: false })).toBe(false);
  });
});
