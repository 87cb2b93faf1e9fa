/**
 * `foliocheck run`: a script of steps replayed on a plain kernel, every invariant checked after each step.
 */
import type { Verdict } from '../checker/verdict.js';
import type { Action } from '../model/actions.js';
import type { Config } from '../model/config.js';
import { scriptVerdict } from '../runSpec.js';
import { KernelSystem } from '../spec.js';
import { runScript, type ScriptRun } from '../trace.js';
import { stepIndices } from './explore.js';

export interface StepsRun {
  readonly sys: KernelSystem;
  readonly indices: readonly number[];
  /** The replay (for the step-by-step output) and the first violation. */
  readonly run: ScriptRun;
  /** A step that is not enabled is a `model-error`; the caller may rather call it bad input. */
  readonly verdict: Verdict<Action>;
}

/** Replays `text` under `cfg`, checking every invariant after every step, or only those `only` names. */
export function runSteps(cfg: Config, text: string, source: string, only?: readonly string[]): StepsRun {
  const t0 = performance.now();
  const sys = new KernelSystem(cfg, 'run', [], only);
  const indices = stepIndices(sys, text, source);
  const run = runScript(sys, indices);
  return { sys, indices, run, verdict: scriptVerdict(sys, indices, run, t0) };
}
