/**
 * Every field the schema declares reaches the canonical encoding: changing one encoded field of a reachable
 * state to another value in its range changes the encoding, unless the change is a consistent renaming of
 * a name (a folio slot, a swap slot, a content value, an anon_vma), which must not. The fields are taken from schema.ts
 * itself, so a field added later is covered by construction, and one the encoder forgets fails here.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { config, randomRun } from '../../../test/helpers.js';
import { fixedWalkStates, wholeModel } from '../../../test/walks.js';
import { KernelSystem } from '../../spec.js';
import type { Config } from '../config.js';
import { EncodingOverflow } from './codec.js';
import type { FieldSpec, RecordSpec, WordSpec } from './field.js';
import { KERNEL, type Kernel } from './schema.js';

type Obj = Record<string, unknown>;

/** One encoded field of one record of a state: where it is, and what it is. */
interface Site {
  readonly path: readonly (string | number)[];
  readonly spec: FieldSpec;
  /** The record holding it (for `choice` siblings). */
  readonly owner: Obj;
  readonly record: RecordSpec;
}

/** Every field a state means something by, under `cfg`: guards and `when` as the schema declares them. */
function* sites(cfg: Config, r: RecordSpec, obj: Obj, path: (string | number)[]): Generator<Site> {
  for (const f of r.fields) {
    if (f.code === 'derived' || (f.when !== undefined && !f.when(cfg))) continue;
    if (f.guard !== undefined && !obj[f.guard]) continue;
    yield { path: [...path, f.name], spec: f, owner: obj, record: r };
  }
  for (const a of r.arrays) {
    if ((a.when !== undefined && !a.when(cfg)) || (a.guard !== undefined && !obj[a.guard])) continue;
    const items = obj[a.name] as Obj[] & number[];
    const n = a.upTo === undefined ? a.count(cfg) : (obj[a.upTo] as number);
    for (let i = 0; i < n; i++) {
      const at = [...path, a.name, i];
      if (a.of === 'content') {
        yield { path: at, spec: { name: a.name, doc: a.doc, type: 'int', code: 'content' }, owner: obj, record: r };
      } else if (a.of === 'words') {
        const w = cfg.folioWords[i] as { name: string; min: number; max: number };
        const word: WordSpec = { name: w.name, min: () => w.min, max: () => w.max };
        yield { path: at, spec: { ...word, doc: w.name, type: 'int', code: 'range' }, owner: obj, record: r };
      } else yield* sites(cfg, a.of, items[i] as Obj, at);
    }
  }
}

function get(k: Kernel, path: readonly (string | number)[]): number | boolean {
  return path.reduce<unknown>((o, p) => (o as Obj)[p], k) as number | boolean;
}
function set(k: Kernel, path: readonly (string | number)[], v: number | boolean): void {
  const owner = path.slice(0, -1).reduce<unknown>((o, p) => (o as Obj)[p], k) as Obj;
  owner[path.at(-1) as string] = v;
}

/** The other values a field can take under `cfg` (a few of a wide range). */
function otherValues(cfg: Config, k: Kernel, s: Site, v: number | boolean): (number | boolean)[] {
  const { spec } = s;
  if (spec.type === 'bool') {
    // At most one flag of a choice holds: set one only where none does.
    const taken = s.record.fields.some((f) => f.choice === spec.choice && f !== spec && s.owner[f.name] === true);
    return spec.choice !== undefined && v === false && taken ? [] : [!v];
  }
  const n = v as number;
  let all: number[];
  if (spec.code === 'range') all = span(spec.min(cfg), spec.max(cfg), n);
  else if (spec.code === 'folio') all = span(0, cfg.slots - 1, n);
  else if (spec.code === 'swap') all = span(0, cfg.swap - 1, n);
  else if (spec.code === 'content') all = span(0, k.values + 1, n);
  else if (spec.code === 'anon_vma') all = span(0, cfg.mms * cfg.va, n);
  else all = span(0, Math.log2(cfg.folioPages), -1).map((o) => 1 << o); // order
  return all.filter((x) => x !== v);
}

/** lo..hi, or its ends and the neighbours of `v` when wide (the encoding is checked per value). */
function span(lo: number, hi: number, v: number): number[] {
  if (hi - lo < 8) return Array.from({ length: Math.max(0, hi - lo + 1) }, (_, i) => lo + i);
  return [...new Set([lo, lo + 1, v - 1, v + 1, hi - 1, hi])].filter((x) => x >= lo && x <= hi);
}

/** How many name sites of each kind (`folio`, `swap`, `content`) hold each name: `code:name` -> count. */
function references(k: Kernel, all: readonly Site[]): Map<string, number> {
  const refs = new Map<string, number>();
  for (const s of all) {
    const key = `${s.spec.code}:${String(get(k, s.path))}`;
    refs.set(key, (refs.get(key) ?? 0) + 1);
  }
  return refs;
}

/** Whether pointing one reference from `from` to `to` renames consistently (the encoding must not see it). */
function isRenaming(k: Kernel, refs: Map<string, number>, code: string, from: number, to: number): boolean {
  if (refs.get(`${code}:${from}`) !== 1 || refs.has(`${code}:${to}`)) return false;
  if (code === 'content' || code === 'anon_vma') return from !== 0 && to !== 0;
  const table = (code === 'folio' ? k.folio : k.swap) as unknown[];
  return JSON.stringify(table[from]) === JSON.stringify(table[to]);
}

/** The encoding, or undefined when the codec refuses the state (which tells it apart, too). */
function encode(sys: KernelSystem, k: Kernel): string | undefined {
  const out = new Uint32Array(sys.stateWords);
  try {
    sys.encodeKernel(k, out, 0);
  } catch (e) {
    if (e instanceof EncodingOverflow) return undefined;
    throw e;
  }
  return out.join(',');
}

/** Checks every single-field change of `k`. */
function checkEveryField(sys: KernelSystem, k: Kernel): void {
  const cfg = sys.cfg;
  const before = encode(sys, k);
  const all = [...sites(cfg, KERNEL, k as unknown as Obj, [])];
  const refs = references(k, all);
  const { nr_folios, values } = k;
  for (const s of all) {
    const v = get(k, s.path);
    for (const x of otherValues(cfg, k, s, v)) {
      // Changed in place and put back; nr_folios is what the encoder reads of the derived fields.
      set(k, s.path, x);
      k.nr_folios = k.folio.filter((f) => f.used).length;
      k.values = Math.max(values, typeof x === 'number' ? x : 0);
      const after = encode(sys, k);
      set(k, s.path, v);
      k.nr_folios = nr_folios;
      k.values = values;
      const what = `${s.path.join('.')}: ${String(v)} -> ${String(x)}`;
      const code = s.spec.code;
      if (code === 'folio' || code === 'swap' || code === 'content' || code === 'anon_vma') {
        if (isRenaming(k, refs, code, v as number, x as number)) expect(after, `renaming ${what}`).toBe(before);
        else expect(after, `${what} is not a renaming`).not.toBe(before);
      } else if (code === 'listed') {
        // Not stored as such: a listed record is kept even when nothing references it.
        if (!refs.has(`${String(s.path[0])}:${String(s.path[1])}`)) expect(after, what).not.toBe(before);
      } else {
        expect(after, what).not.toBe(before);
      }
      covered.add(
        `${s.record.type}.${s.path.length > 2 && typeof s.path.at(-1) === 'number' ? String(s.path.at(-2)) : s.spec.name}`,
      );
    }
  }
}

/** The fields some check changed, over every run of this file. */
const covered = new Set<string>();

/** bench-core's shape: the none/present fast path of the encoder. */
const core = config({ mms: 2, va: 4, pt: 4, large: 4, slots: 8, pins: 1, tuple: true });

/** The schema's fields the codec encodes under `cfg` (all but derived ones and those `when` excludes). */
function encodedFields(cfg: Config, r: RecordSpec = KERNEL, out = new Set<string>()): Set<string> {
  for (const f of r.fields) if (f.code !== 'derived' && (f.when?.(cfg) ?? true)) out.add(`${r.type}.${f.name}`);
  for (const a of r.arrays) {
    if (!(a.when?.(cfg) ?? true)) continue;
    if (typeof a.of !== 'string') encodedFields(cfg, a.of, out);
    else if (a.of === 'content' || a.count(cfg) > 0) out.add(`${r.type}.${a.name}`);
  }
  return out;
}

describe('every schema field reaches the encoding (the codec forgets none)', () => {
  test.prop([fc.array(fc.nat(), { maxLength: 25 }), fc.constantFrom<'5.19' | '6.15'>('5.19', '6.15')], {
    numRuns: 8,
  })('the whole model, several schemes, data and swap', (choices, era) => {
    const sys = new KernelSystem(wholeModel(era));
    for (const k of randomRun(sys.cfg, choices).states) checkEveryField(sys, k);
  });

  test.prop([fc.array(fc.nat(), { maxLength: 25 })], { numRuns: 8 })('bench-core’s shape', (choices) => {
    const sys = new KernelSystem(core);
    for (const k of randomRun(sys.cfg, choices).states) checkEveryField(sys, k);
  });

  test('fixed walks change every field the schema declares', () => {
    covered.clear();
    const sys = new KernelSystem(wholeModel('6.15'));
    for (const k of fixedWalkStates(sys.cfg)) checkEveryField(sys, k);
    const missing = [...encodedFields(sys.cfg)].filter((f) => !covered.has(f));
    expect(missing).toEqual([]);
  });
});
