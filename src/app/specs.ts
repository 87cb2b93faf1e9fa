/**
 * `foliocheck specs` and `foliocheck bench`: regression specs run and compared with their expectations;
 * a bench-core variant compared with its published figures. The verdicts carry their `mismatches`.
 */
import { SPECS } from '../../specs/index.js';
import { type Verdict, withMismatches } from '../checker/verdict.js';
import type { Action } from '../model/actions.js';
import type { Bounds } from '../model/config.js';
import { makeConfig } from '../model/configure.js';
import { runSpec } from '../runSpec.js';
import { compareWithSpec, KernelSystem, type Spec, type SpecResult } from '../spec.js';
import { exploreOptions, type RunControl, type SearchSettings, searchKernel } from './search.js';

/**
 * The specs `names` select (a name selects the spec of that name, else those it begins: `cow` selects every
 * cow.c spec), all when there is none; the heavy ones only with `all`. `unknown`: names that select nothing.
 */
export function selectSpecs(
  names: readonly string[],
  all: boolean,
): { readonly specs: readonly Spec[]; readonly unknown: readonly string[] } {
  const light = SPECS.filter((s) => all || s.heavy !== true);
  if (names.length === 0) return { specs: light, unknown: [] };
  const exact = (n: string): boolean => SPECS.some((s) => s.name === n);
  // An empty name would begin every name: it selects nothing.
  const selects = (n: string, s: Spec): boolean => n !== '' && (exact(n) ? s.name === n : s.name.startsWith(n));
  return {
    specs: SPECS.filter((s) => names.some((n) => selects(n, s))),
    unknown: names.filter((n) => !SPECS.some((s) => selects(n, s))),
  };
}

/** The groups of spec names (what comes before the colon), for messages. */
export function specGroups(): string[] {
  return [...new Set(SPECS.map((s) => s.name.split(':')[0] as string))];
}

/** Runs one spec with these search settings. */
export function runSpecSearch(spec: Spec, search: SearchSettings, control: RunControl = {}): Promise<SpecResult> {
  return runSpec(spec, { ...exploreOptions(search, control), workers: search.workers });
}

export interface BenchRun {
  readonly sys: KernelSystem;
  /** Compared with the published figures, when the variant has some. */
  readonly verdict: Verdict<Action> & { readonly mismatches: readonly string[] };
  readonly published?: Spec['expect'];
}

/** Runs a bench-core variant (`bounds`, one of the presets) and compares it with its published figures. */
export async function benchVariant(
  name: string,
  bounds: Bounds,
  search: SearchSettings,
  control: RunControl = {},
): Promise<BenchRun> {
  const sys = new KernelSystem(makeConfig(bounds), name);
  const v = await searchKernel(sys, search, control);
  const spec = SPECS.find((s) => s.name === name);
  const verdict = withMismatches(v, spec === undefined ? [] : compareWithSpec(spec.expect, v));
  return { sys, verdict, ...(spec !== undefined ? { published: spec.expect } : {}) };
}
