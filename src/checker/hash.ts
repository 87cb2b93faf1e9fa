/**
 * 32-bit hashes of encoded states (MurmurHash3's x86_32 mixing over whole words).
 * Two seeds give the two halves of a 64-bit fingerprint.
 */

export function hashWords(src: Uint32Array, at: number, n: number, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < n; i++) {
    let k = Math.imul(src[at + i] as number, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= n * 4;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export const SEED_LO = 0x9747b28c;
export const SEED_HI = 0x5bd1e995;
