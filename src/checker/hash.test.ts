/** The one-pass fingerprint is the two hashes it stands for, so stored fingerprints keep their values. */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { hashPair, hashWords, SEED_HI, SEED_LO } from './hash.js';

describe('hashPair', () => {
  test.prop([fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { maxLength: 24 }), fc.nat({ max: 3 })])(
    'writes hashWords under SEED_LO and SEED_HI, at any offset',
    (words, at) => {
      const src = new Uint32Array(at + words.length);
      src.set(words, at);
      const lo = new Uint32Array(3);
      const hi = new Uint32Array(3);
      hashPair(src, at, words.length, lo, hi, 2);
      expect([lo[2], hi[2]]).toEqual([
        hashWords(src, at, words.length, SEED_LO),
        hashWords(src, at, words.length, SEED_HI),
      ]);
      expect([lo[0], hi[0], lo[1], hi[1]]).toEqual([0, 0, 0, 0]); // nothing but entry k written
    },
  );

  test('a known value: MurmurHash3 x86_32 of no words is the finaliser of the seed', () => {
    // MurmurHash3 x86_32's published values: no input under seed 0 is 0; four zero bytes, 0x2362f9de.
    expect(hashWords(new Uint32Array(0), 0, 0, 0)).toBe(0);
    expect(hashWords(new Uint32Array([0x00000000]), 0, 1, 0)).toBe(0x2362f9de);
  });
});
