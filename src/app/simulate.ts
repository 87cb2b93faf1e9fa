/**
 * `foliocheck simulate`: random walks (fast-check) that stop at a violation and shrink it.
 */
import { type SimulateOptions, simulate } from '../checker/simulate.js';
import type { Verdict } from '../checker/verdict.js';
import type { Action } from '../model/actions.js';
import type { Config } from '../model/config.js';
import { KernelSystem } from '../spec.js';

export async function simulateConfig(
  cfg: Config,
  name: string,
  opts: SimulateOptions,
): Promise<{ readonly sys: KernelSystem; readonly verdict: Verdict<Action> }> {
  const sys = new KernelSystem(cfg, name);
  return { sys, verdict: await simulate(sys, opts) };
}
