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
  return fmix(h ^ (n * 4));
}

/**
 * Both halves of a fingerprint in one pass over the words: `lo[k] = hashWords(src, at, n, SEED_LO)` and
 * `hi[k] = hashWords(src, at, n, SEED_HI)`, each word loaded once (the fingerprint store's every probe).
 */
export function hashPair(src: Uint32Array, at: number, n: number, lo: Uint32Array, hi: Uint32Array, k: number): void {
  let a = SEED_LO | 0;
  let b = SEED_HI | 0;
  for (let i = 0; i < n; i++) {
    let x = Math.imul(src[at + i] as number, 0xcc9e2d51);
    x = (x << 15) | (x >>> 17);
    x = Math.imul(x, 0x1b873593);
    a ^= x;
    a = (a << 13) | (a >>> 19);
    a = (Math.imul(a, 5) + 0xe6546b64) | 0;
    b ^= x;
    b = (b << 13) | (b >>> 19);
    b = (Math.imul(b, 5) + 0xe6546b64) | 0;
  }
  lo[k] = fmix(a ^ (n * 4));
  hi[k] = fmix(b ^ (n * 4));
}

/** MurmurHash3's finaliser, as `hashWords` ends. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export const SEED_LO = 0x9747b28c;
export const SEED_HI = 0x5bd1e995;
