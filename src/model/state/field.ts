/**
 * The kinds of declaration the state schema is made of: a field (one word of the state) and an array of
 * records or values. Mapcount schemes declare their per-folio words with the same `WordSpec` a counter
 * field of the schema extends, so the codec gives both one path (a value minus its minimum, in the bits
 * its range needs).
 *
 * The record types the kernel code is written against are derived from these declarations (`RecordOf`),
 * so a field is declared once, in schema.ts.
 */
import type { Config } from '../config.js';

/** A bounded counter: its name as the kernel (or a proposal) spells it, and its range under a config. */
export interface WordSpec {
  readonly name: string;
  /** Smallest and largest value the state encoding must hold for these bounds. */
  readonly min: (cfg: Config) => number;
  readonly max: (cfg: Config) => number;
  /** The word holds an mm's id (m + 1; 0 for none): renaming mms (`--symmetry`) renames it too. */
  readonly mmId?: boolean;
}

/**
 * What the codec does with a field:
 * - `flag`: a bool, one bit;
 * - `range`: an int stored as value - min in bitsFor(max - min) bits;
 * - `folio`, `swap`, `content`, `anon_vma`: a folio slot, a swap slot, a content value or an anon_vma,
 *   names the canonical renaming renumbers in order of first reference (content 0, zero-filled, and
 *   anon_vma 0, none, stay 0);
 * - `order`: a folio's nr_pages, stored as 1 + log2 (0 for a free slot something still references);
 * - `listed`: not stored as such: a record that has it set is listed (kept by the encoding) even when
 *   nothing references it;
 * - `derived`: recomputed from the rest, never encoded.
 */
export type Code = 'flag' | 'range' | 'folio' | 'swap' | 'content' | 'anon_vma' | 'order' | 'listed' | 'derived';

interface FieldBase<N extends string> {
  readonly name: N;
  /** The TSDoc line: what the field models. */
  readonly doc: string;
  /** The field means something only while this sibling flag is set (otherwise it is 0 and not encoded). */
  readonly guard?: string;
  /** At most one flag of a choice holds (a PTE is present, the zero page, or a swap entry). */
  readonly choice?: string;
  /** Encoded only under configurations where it can change (elsewhere it keeps its initial value). */
  readonly when?: (cfg: Config) => boolean;
}

export interface FlagSpec<N extends string = string> extends FieldBase<N> {
  readonly type: 'bool';
  readonly code: 'flag' | 'listed';
}
export interface RangeSpec<N extends string = string> extends FieldBase<N>, WordSpec {
  readonly name: N;
  readonly type: 'int';
  readonly code: 'range';
}
export interface OtherIntSpec<N extends string = string> extends FieldBase<N> {
  readonly type: 'int';
  readonly code: 'folio' | 'swap' | 'content' | 'anon_vma' | 'order' | 'derived';
}
export type FieldSpec<N extends string = string> = FlagSpec<N> | RangeSpec<N> | OtherIntSpec<N>;

/** An array of a record: `count(cfg)` records of `of`; an array of content values; the schemes' words. */
export interface ArraySpec<N extends string = string> {
  readonly name: N;
  readonly doc: string;
  // biome-ignore lint/suspicious/noExplicitAny: a record of any shape
  readonly of: RecordSpec<any> | 'content' | 'words';
  readonly count: (cfg: Config) => number;
  readonly guard?: string;
  readonly when?: (cfg: Config) => boolean;
  /** Only the first `field` elements mean anything (a folio's pages beyond nr_pages are zero). */
  readonly upTo?: string;
}

export interface RecordSpec<T extends string = string> {
  /** The TypeScript type name (`Pte`); generated helpers are named after it (`copyPte`). */
  readonly type: T;
  readonly doc: string;
  readonly fields: readonly FieldSpec[];
  readonly arrays: readonly ArraySpec[];
}

/** Mutable integer words: a plain array, or a view into the state's Int32Array. */
export interface Words {
  [i: number]: number;
  readonly length: number;
}

type ValueOf<F> = F extends { readonly type: 'bool' } ? boolean : number;
type ArrayOf<A> = A extends { readonly of: infer R extends RecordSpec }
  ? RecordOf<R>[]
  : A extends { readonly of: 'words' }
    ? Words
    : number[];

/** The scalar fields of a record, as a mutable object type. */
export type FieldsOf<R extends RecordSpec> = { -readonly [F in R['fields'][number] as F['name']]: ValueOf<F> };
/** A record's TypeScript type: its fields and its arrays. */
export type RecordOf<R extends RecordSpec> = FieldsOf<R> & {
  -readonly [A in R['arrays'][number] as A['name']]: ArrayOf<A>;
};

type Opts = Pick<FieldBase<string>, 'guard' | 'choice' | 'when'>;

export function flag<N extends string>(name: N, doc: string, opts: Opts = {}): FlagSpec<N> {
  return { name, doc, type: 'bool', code: 'flag', ...opts };
}
export function range<N extends string>(
  name: N,
  doc: string,
  max: (cfg: Config) => number,
  opts: Opts = {},
): RangeSpec<N> {
  return { name, doc, type: 'int', code: 'range', min: () => 0, max, ...opts };
}
export function int<N extends string>(
  name: N,
  code: OtherIntSpec['code'],
  doc: string,
  opts: Opts = {},
): OtherIntSpec<N> {
  return { name, doc, type: 'int', code, ...opts };
}
export function listed<N extends string>(name: N, doc: string): FlagSpec<N> {
  return { name, doc, type: 'bool', code: 'listed' };
}

/** The field of `r` named `name`. */
export function fieldOf<R extends RecordSpec, N extends R['fields'][number]['name']>(
  r: R,
  name: N,
): Extract<R['fields'][number], { name: N }> {
  const f = r.fields.find((x) => x.name === name);
  if (f === undefined) throw new Error(`${r.type} has no field ${name}`);
  return f as never;
}

/** Bits needed to hold 0..max. */
export function bitsFor(max: number): number {
  let b = 0;
  while (max >>> b !== 0) b++;
  return b;
}

/** A counter as the codec stores it: value - min in `bits` bits. */
export interface WordCode {
  readonly name: string;
  readonly min: number;
  readonly bits: number;
}

/** The one rule for counters, schema fields and scheme words alike. */
export function wordCode(name: string, min: number, max: number): WordCode {
  return { name, min, bits: bitsFor(max - min) };
}
