/**
 * Every regression spec, in the order `foliocheck specs` runs them: bench-core's four, the COW history and
 * the per-era reclaim of a pinned page (a search, so not in history.yaml, whose specs are all scripts), the
 * rules found by mutation testing and the deciders are spec files (docs/spec-files.md); cow.c's cases are
 * generated (cow/cow.ts).
 */
import type { Spec } from '../src/spec.js';
import { COW_SPECS } from './cow/cow.js';
import { projectSpecs } from './files.js';
import { HISTORY_SPECS } from './history/history.js';

const BENCH_CORE = ['core-tuple', 'core-safe-p0', 'core-safe-s5', 'core-safe'].flatMap((n) =>
  projectSpecs(`bench-core/${n}.yaml`),
);

const RECLAIM = projectSpecs('history/reclaim.yaml');
/** Rules no invariant catches when they break (docs/mutation-testing.md). */
const RULES = projectSpecs('rules/rules.yaml');
/** Each scheme deciding the kernel's mapcount decisions: the answer to the January 2023 question. */
const DECIDERS = projectSpecs('deciders.yaml');

export const SPECS: readonly Spec[] = [
  ...BENCH_CORE,
  ...COW_SPECS,
  ...HISTORY_SPECS,
  ...RECLAIM,
  ...RULES,
  ...DECIDERS,
];
