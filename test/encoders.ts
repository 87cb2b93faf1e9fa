/**
 * What the codec tests share: random configurations over every shape the encoder branches on, an
 * encoder's outcome on a working state (its words, or the refusal it throws), and a codec of a
 * configuration with a view to write states into.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Config } from '../src/model/config.js';
import { SCHEME_NAMES } from '../src/model/mapcount/index.js';
import { Codec, EncodingOverflow } from '../src/model/state/codec.js';
import { KernelView, Layout } from '../src/model/state/views.js';
import { OP_NAMES } from '../src/model/steps/index.js';
import { config } from './helpers.js';

export type Encode = (w: Int32Array, out: Uint32Array, at: number) => void;

/** How far `codecConfigs` goes. */
export interface ConfigLimits {
  readonly ptLog: number;
  readonly slots: number;
  readonly pins: number;
  readonly swap: number;
  /** Whether some configurations have a scheme deciding for the kernel (PG_partially_mapped kept). */
  readonly decider: boolean;
}

/**
 * Configurations over every shape the encoder branches on: VMAs tracked or not, PMDs, swap, contents,
 * FOLL_GET pins, schemes, eras; 1 to 3 mms, page tables of 2 to 2^ptLog entries, one or two of them.
 */
export function codecConfigs(limits: ConfigLimits): fc.Arbitrary<Config> {
  return fc
    .record({
      mms: fc.integer({ min: 1, max: 3 }),
      ptLog: fc.integer({ min: 1, max: limits.ptLog }),
      largeLog: fc.integer({ min: 0, max: limits.ptLog }),
      tables: fc.integer({ min: 1, max: 2 }),
      slots: fc.integer({ min: 2, max: limits.slots }),
      pins: fc.integer({ min: 0, max: limits.pins }),
      swap: fc.integer({ min: 0, max: limits.swap }),
      data: fc.boolean(),
      ops: fc.subarray([...OP_NAMES], { minLength: 1 }),
      era: fc.constantFrom<'5.8' | '5.19' | '6.15'>('5.8', '5.19', '6.15'),
      schemes: fc.subarray([...SCHEME_NAMES]),
      decider: limits.decider ? fc.boolean() : fc.constant(false),
    })
    .map((r): Config => {
      const pt = 2 ** r.ptLog;
      const large = 2 ** Math.min(r.largeLog, r.ptLog);
      const va = pt * r.tables;
      const { mms, slots, pins, swap, data, era, schemes } = r;
      const ops = r.ops.filter((op) => (op !== 'fork' || mms > 1) && (op !== 'thp' || r.tables > 1 || large === pt));
      return config({
        ...{ mms, va, pt, large, slots, pins, swap, data, era, schemes, map: va },
        ...(r.decider ? { decider: 'tuple-naive' } : {}),
        ops: ops.length > 0 ? ops : ['fault'],
      });
    });
}

/** Words the encoder must not touch, around the state's. */
const GUARD = 0xdeadbeef;

/**
 * The words an encoder writes, or the refusal it throws (field, value, width). Written at an offset into a
 * dirty buffer, whose words around the state's must stay as they were: the encoder owns exactly its words.
 */
export function outcome(encode: Encode, w: Int32Array, words: number): unknown {
  const out = new Uint32Array(words + 3).fill(GUARD);
  try {
    encode(w, out, 2);
  } catch (e) {
    if (!(e instanceof EncodingOverflow)) throw e;
    return { field: e.field, value: e.value, bits: e.bits };
  }
  // Checked before asserting: the field sweeps call this hundreds of thousands of times.
  if (out[0] !== GUARD || out[1] !== GUARD || out[words + 2] !== GUARD) {
    expect([out[0], out[1], out[words + 2]], 'the words around the state').toEqual([GUARD, GUARD, GUARD]);
  }
  return [...out.subarray(2, words + 2)];
}

/** A codec of `cfg`, a view of a working state to copy states into, and the generic encoder, bound. */
export function codecOf(cfg: Config, opts: { unrollLimit?: number; generation?: number } = {}) {
  const lay = new Layout(cfg);
  const codec = new Codec(cfg, lay, opts);
  return { codec, view: new KernelView(cfg, lay), generic: codec.encodeGeneric.bind(codec) };
}
