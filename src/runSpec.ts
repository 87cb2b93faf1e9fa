/**
 * Running a regression spec: an exhaustive search, or a scripted scenario replayed step by step, as a
 * verdict that carries its comparison with the spec's expectation (`mismatches`).
 * (Its own module so that spec.ts, which the script and trace modules use, does not depend on them.)
 */
import type { ExploreOptions } from './checker/explore.js';
import { peakRssBytes } from './checker/limits.js';
import { type Verdict, verdictOf, withMismatches } from './checker/verdict.js';
import { type Action, actionLabel } from './model/actions.js';
import { makeConfig } from './model/configure.js';
import { parseScript, resolveScript } from './script.js';
import { compareWithSpec, exploreKernel, KernelSystem, type Spec, type SpecResult, unmetCoverage } from './spec.js';
import { runScript, type ScriptRun } from './trace.js';

/** Runs a spec (searching with `opts`, `workers` threads) and compares the verdict with its expectation. */
export async function runSpec(
  spec: Spec,
  opts: ExploreOptions & { readonly workers?: number } = {},
): Promise<SpecResult> {
  const sys = new KernelSystem(makeConfig(spec.bounds), spec.name, [], spec.invariants);
  // Figures are gathered by one thread's search (spec.ts `observe`): a spec that expects some searches alone.
  const figures = spec.expect.verdict === 'success' && spec.expect.figures !== undefined;
  const verdict =
    spec.script !== undefined
      ? runScriptSpec(sys, spec.script)
      : await exploreKernel(sys, figures ? { ...opts, workers: 1 } : opts);
  const mismatches = [
    ...compareWithSpec(spec.expect, verdict, sys.schemeCounts()),
    ...unmetCoverage(spec.coverage, verdict),
  ];
  return { spec, sys, verdict: withMismatches(verdict, mismatches) };
}

/**
 * A scripted spec as a verdict: `success` when every invariant holds after every step, else the violation
 * with the steps up to it. A step that is not enabled is a broken spec: a `model-error` naming it.
 */
export function runScriptSpec(sys: KernelSystem, script: string): Verdict<Action> {
  const t0 = performance.now();
  const indices = resolveScript(sys, parseScript(script, `spec ${sys.name}`), `spec ${sys.name}`);
  return scriptVerdict(sys, indices, runScript(sys, indices), t0);
}

/**
 * A script's run (`runScript`) as a verdict; `t0` is when it started. Its coverage: the steps that ran and
 * the branches they took.
 */
export function scriptVerdict(
  sys: KernelSystem,
  indices: readonly number[],
  run: ScriptRun,
  t0: number,
): Verdict<Action> {
  const steps = run.replay.steps.length;
  const seconds = (performance.now() - t0) / 1000;
  const stats = {
    states: steps + 1,
    edges: steps,
    depth: steps,
    seconds,
    statesPerSecond: (steps + 1) / Math.max(seconds, 1e-9),
    peakRssBytes: peakRssBytes(),
    store: 'exact',
  } as const;
  const named = [...new Set(indices.map((i) => sys.describe(i).kind))];
  const coverage = sys.coverageOf(sys.countScript(indices.slice(0, steps)), named);
  const traceOf = (n: number) => indices.slice(0, n).map((index) => ({ index, action: sys.describe(index) }));
  const d = run.replay.disabled;
  const failed = (kind: 'kernel-warning' | 'model-error', message: string, n: number): Verdict<Action> => {
    const first = { kind, message, trace: traceOf(n) };
    return verdictOf({ stats, coverage, violations: [], failures: [first], first });
  };
  if (d !== undefined)
    return failed('model-error', `step ${d.step} ${actionLabel(d.action)} is not enabled (${d.code})`, steps);
  if (run.replay.failure !== undefined)
    return failed('kernel-warning', run.replay.failure.why, run.replay.failure.step);
  if (run.violation !== undefined) {
    const first = { invariant: run.violation.invariant, trace: traceOf(steps) };
    return verdictOf({ stats, coverage, violations: [first], failures: [], first });
  }
  return verdictOf({ stats, coverage, violations: [], failures: [] });
}
