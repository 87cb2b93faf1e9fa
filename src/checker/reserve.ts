/**
 * Tables that grow in place. A table past its first few MiB reserves address space for its largest size
 * at once, as one zeroed typed array: Node allocates large zeroed arrays with calloc, which maps fresh zero
 * pages, so only the pages a table has touched are resident. Growing then writes into the next part of the
 * same array, and no old and new copy of a large table are ever held together (the doubling of a table
 * was the RSS peak of a long search).
 */
import { totalmem } from 'node:os';

/** Largest reservation in bytes (a typed array holds at most 2^32 words). */
const MAX_RESERVE = 2 ** 34;

/** Bytes a table may reserve when the search names no memory bound: the machine's memory. */
export function defaultReserveBytes(): number {
  return totalmem();
}

/**
 * A zeroed array of up to `bytes` bytes (at least `minWords` words), of which nothing is resident until
 * written; a smaller one when the system refuses the address space (a `ulimit -v`, strict overcommit).
 */
export function reserveWords(bytes: number, minWords: number): Uint32Array {
  let words = Math.max(minWords, Math.floor(Math.min(bytes, MAX_RESERVE) / 4));
  for (;;) {
    try {
      return new Uint32Array(words);
    } catch (e) {
      if (!(e instanceof RangeError) || words <= minWords) throw e;
      words = Math.max(minWords, Math.floor(words / 2));
    }
  }
}

/**
 * A larger array for a table that outgrew `t`, holding `t`'s words: twice `t` while that is under
 * `FIRST_BYTES`, then the whole reservation of `bytes` at once (so that small searches map no large range:
 * each costs the process a garbage collection). The one place where two copies are held together.
 */
export function enlarge(t: Uint32Array, minWords: number, bytes: number): Uint32Array {
  const twice = Math.max(2 * t.byteLength, 4 * minWords);
  const next = reserveWords(twice <= FIRST_BYTES ? twice : Math.max(bytes, twice), minWords);
  next.set(t);
  return next;
}

/** Bytes up to which a table grows by doubling small arrays, before it takes its whole reservation. */
const FIRST_BYTES = 2 ** 22;
