/**
 * Running a regression spec: an exhaustive search, or a scripted scenario replayed step by step.
 * (Its own module so that spec.ts, which the script and trace modules use, does not depend on them.)
 */
import { type ExploreOptions, explore } from './checker/explore.js';
import type { Verdict } from './checker/verdict.js';
import { type Action, actionLabel } from './model/actions.js';
import { makeConfig } from './model/configure.js';
import { parseScript, resolveScript } from './script.js';
import { compareWithSpec, KernelSystem, type Spec, type SpecResult } from './spec.js';
import { runScript } from './trace.js';

export async function runSpec(spec: Spec, opts: ExploreOptions = {}): Promise<SpecResult> {
  const sys = new KernelSystem(makeConfig(spec.bounds), spec.name);
  const verdict = spec.script !== undefined ? runScriptSpec(sys, spec.script) : await explore(sys, opts);
  return { spec, sys, verdict, mismatches: compareWithSpec(spec.expect, verdict) };
}

/**
 * A scripted spec as a verdict: `success` when every invariant holds after every step, else the violation
 * with the steps up to it. A step that is not enabled is a broken spec: a `model-error` naming it.
 */
export function runScriptSpec(sys: KernelSystem, script: string): Verdict<Action> {
  const t0 = performance.now();
  const indices = resolveScript(sys, parseScript(script, `spec ${sys.name}`), `spec ${sys.name}`);
  const run = runScript(sys, indices);
  const steps = run.replay.steps.length;
  const seconds = (performance.now() - t0) / 1000;
  const stats = {
    states: steps + 1,
    edges: steps,
    depth: steps,
    seconds,
    statesPerSecond: (steps + 1) / Math.max(seconds, 1e-9),
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    store: 'exact',
  } as const;
  const trace = indices.slice(0, steps).map((index) => ({ index, action: sys.describe(index) }));
  const d = run.replay.disabled;
  if (d !== undefined) {
    return {
      kind: 'model-error',
      message: `step ${d.step} ${actionLabel(d.action)} is not enabled (${d.code})`,
      trace,
      stats,
    };
  }
  if (run.replay.failure !== undefined) {
    return {
      kind: 'kernel-warning',
      message: run.replay.failure.why,
      trace: indices.slice(0, run.replay.failure.step).map((index) => ({ index, action: sys.describe(index) })),
      stats,
    };
  }
  if (run.violation !== undefined)
    return { kind: 'invariant-violated', invariant: run.violation.invariant, trace, stats };
  return { kind: 'success', stats };
}
