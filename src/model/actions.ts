/**
 * The model's steps as actions: what a user or the kernel can do next, with every parameter spelled out.
 *
 * An action is deterministic and carries all its parameters, so a trace is a list of actions that replays
 * from the initial state. `applyAction` is the one entry point to the kernel rules: the exhaustive search,
 * the random explorer and the trace printer all call it. Each step is described once, in its file under
 * `steps/`; these functions dispatch to it.
 */
import type { Config } from './config.js';
import type { Kernel } from './include/mm_types.js';
import type { Action, ActionError, Step } from './steps/index.js';
import { instancesOf, STEPS } from './steps/index.js';

export type { Action, ActionError } from './steps/index.js';

const STEP_OF: { readonly [name: string]: Step } = Object.freeze(Object.fromEntries(STEPS.map((s) => [s.name, s])));

/** A step's kernel call on an action of that step. */
export type Apply = (k: Kernel, a: Action) => 0 | ActionError;

/** The step an action is an instance of. */
export function stepOf(a: Action): Step {
  return STEP_OF[a.kind] as Step;
}

/** Every action instance of a configuration, in bench-core's order of exploration (steps/index.ts). */
export function enumerateActions(cfg: Config): Action[] {
  return instancesOf(cfg);
}

/** Applies `a` to `k` in place. Returns 0, or why the action is not enabled (then `k` must be discarded). */
export function applyAction(k: Kernel, a: Action): 0 | ActionError {
  return (STEP_OF[a.kind] as Step).apply(k, a);
}

/**
 * `applyAction` looked up once per action instance: `appliers(actions)[i](k, actions[i])` is
 * `applyAction(k, actions[i])`. The search calls it once per transition, so it skips the lookup by name
 * (bench core-safe-s5 as fast as with the switch it replaces).
 */
export function appliers(actions: readonly Action[]): Apply[] {
  return actions.map((a) => stepOf(a).apply);
}

/**
 * The action as the kernel call it models, as a kernel developer would write it in a mail. `k` is the
 * state the action applies to (it names the fork child and the pinned address).
 */
export function formatAction(a: Action, k?: Kernel): string {
  return stepOf(a).format(a, k);
}

/** The action's name and parameters, as in `--json` traces and scripts: `zap(0,1,1)`. */
export function actionLabel(a: Action): string {
  return stepOf(a).label(a);
}
