/**
 * `foliocheck specs`: regression specs run and compared with their expectations. The verdicts carry their
 * `mismatches`.
 */
import { SPECS } from '../../specs/index.js';
import { runSpec } from '../runSpec.js';
import type { Spec, SpecResult } from '../spec.js';
import { exploreOptions, type RunControl, type SearchSettings } from './search.js';

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
