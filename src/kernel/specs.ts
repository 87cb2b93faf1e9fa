/**
 * `foliocheck specs --kernel`: every script spec whose expectation is for the running kernel's era is
 * replayed on the kernel as well: cow.c's specs (what the selftest asserts of every kernel since 5.19) and
 * the history specs of that era with AnonExclusive per page (the kernel has no other granularity).
 * Per spec: conforms, diverges (the first differing step), or refused (why). Exit 0 when none diverges,
 * 1 when one does, 4 when the kernel cannot be observed here.
 */
import { makeConfig } from '../model/configure.js';
import type { Era } from '../model/eras.js';
import type { Spec } from '../spec.js';
import { HelperError } from './helper.js';
import { KernelUnobservable } from './native.js';
import { KernelSession, runningEra, StepRefused } from './replay.js';

/** The script specs whose expectation is for `era`: those naming it (AE per page) and the era-free ones. */
export function specsForEra(specs: readonly Spec[], era: Era): Spec[] {
  return specs.filter(
    (s) => s.script !== undefined && (s.bounds.era ?? era) === era && (s.bounds.ae ?? 'page') === 'page',
  );
}

export interface KernelSpecOutcome {
  readonly name: string;
  readonly outcome: 'conforms' | 'diverges' | 'allowance' | 'refused' | 'incomplete';
  readonly why?: string;
}

/** Replays one spec under the running era, contents tracked; a step the harness cannot perform is 'refused'. */
export async function specOnKernel(session: KernelSession, spec: Spec, era: Era): Promise<KernelSpecOutcome> {
  const cfg = makeConfig({ ...spec.bounds, era, data: true, readAllocates: session.readAllocates }, 'replay');
  try {
    const r = await session.run(cfg, spec.script ?? '', spec.name);
    if (r.verdict === 'conforms') return { name: spec.name, outcome: 'conforms' };
    const bad = r.steps.find((s) => s.differences.length > 0);
    const why = `step ${bad?.step} ${bad?.label}: ${bad?.differences.map((d) => d.what).join('; ')}`;
    return { name: spec.name, outcome: r.verdict, why };
  } catch (e) {
    if (e instanceof StepRefused || e instanceof HelperError)
      return { name: spec.name, outcome: 'refused', why: e.message };
    throw e;
  }
}

export async function cmdSpecsKernel(specs: readonly Spec[], json: boolean): Promise<number> {
  const era = runningEra();
  const selected = specsForEra(specs, era);
  let session: KernelSession;
  try {
    session = KernelSession.open();
  } catch (e) {
    if (!(e instanceof KernelUnobservable)) throw e;
    process.stdout.write(`SKIP: the kernel cannot be observed here: ${e.message}\n`);
    return 4;
  }
  const outcomes: KernelSpecOutcome[] = [];
  try {
    for (const spec of selected) {
      const o = await specOnKernel(session, spec, era);
      outcomes.push(o);
      if (!json) process.stdout.write(`${o.name}: ${o.outcome.toUpperCase()}${o.why ? ` (${o.why})` : ''}\n`);
    }
  } finally {
    session.close();
  }
  const count = (k: KernelSpecOutcome['outcome']): number => outcomes.filter((o) => o.outcome === k).length;
  if (json) process.stdout.write(`${JSON.stringify({ era, outcomes }, null, 2)}\n`);
  else
    process.stdout.write(
      `specs --kernel (era ${era}): ${selected.length} specs: ${count('conforms')} conform, ` +
        `${count('diverges')} diverge, ${count('allowance')} stop at an allowance, ${count('refused')} refused\n`,
    );
  return count('diverges') > 0 ? 1 : 0;
}
