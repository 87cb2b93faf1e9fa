/**
 * What the codec tests compare: an encoder's outcome on a working state (its words, or the refusal it
 * throws), and a codec of a configuration with a view to write states into.
 */
import type { Config } from '../src/model/config.js';
import { Codec, EncodingOverflow } from '../src/model/state/codec.js';
import { KernelView, Layout } from '../src/model/state/views.js';

export type Encode = (w: Int32Array, out: Uint32Array, at: number) => void;

/** The words an encoder writes, or the refusal it throws (field, value, width). */
export function outcome(encode: Encode, w: Int32Array, words: number): unknown {
  const out = new Uint32Array(words);
  try {
    encode(w, out, 0);
    return [...out];
  } catch (e) {
    if (!(e instanceof EncodingOverflow)) throw e;
    return { field: e.field, value: e.value, bits: e.bits };
  }
}

/** A codec of `cfg`, a view of a working state to copy states into, and the generic encoder, bound. */
export function codecOf(cfg: Config, opts: { unrollLimit?: number; generation?: number } = {}) {
  const lay = new Layout(cfg);
  const codec = new Codec(cfg, lay, opts);
  return { codec, view: new KernelView(cfg, lay), generic: codec.encodeGeneric.bind(codec) };
}
