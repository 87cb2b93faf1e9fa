/**
 * `explore --invariant a,b` (check only those) and `explore --continue` (go on past violations and report
 * each invariant's shortest counterexample, as the matrix's survey does, for any bounds).
 */
import { invariantIds } from '../app/explore.js';
import type { Verdict } from '../checker/verdict.js';
import { type Action, actionLabel } from '../model/actions.js';
import type { Config } from '../model/config.js';
import type { KernelSystem } from '../spec.js';
import { wrap } from './render.js';
import { UsageError } from './usageError.js';

/** The ids of `--invariant`, each one these bounds check; an unknown one is bad input listing the known ones. */
export function parseInvariantChoice(cfg: Config, raw: string): string[] {
  const known = invariantIds(cfg);
  const ids = raw
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
  const unknown = ids.filter((id) => !known.includes(id));
  if (ids.length === 0 || unknown.length > 0) {
    throw new UsageError(
      `--invariant: expected ids of invariants these bounds check (${known.join(', ')}), ` +
        `got ${ids.length === 0 ? 'nothing' : unknown.join(', ')}`,
    );
  }
  return ids;
}

const stepsOf = (sys: KernelSystem, trace: readonly { index: number }[]): string[] =>
  trace.map((s) => actionLabel(sys.describe(s.index)));

/** `--continue`'s summary: each invariant's shortest counterexample in one line, and those that held. */
export function continueLines(sys: KernelSystem, v: Verdict<Action>): string[] {
  const lines = ['', "  every invariant (going on past violations; each one's shortest counterexample):"];
  for (const name of sys.invariantNames) {
    const found = v.violations.find((x) => x.invariant === name);
    const text =
      found === undefined
        ? `${name}: ${v.kind === 'incomplete' ? 'not violated so far' : 'holds'}`
        : `${name}: violated after ${found.trace.length} steps: ${stepsOf(sys, found.trace).join('; ')}`;
    lines.push(...wrap(text, '    '));
  }
  for (const f of v.failures) {
    lines.push(...wrap(`${f.kind} after ${f.trace.length} steps: ${stepsOf(sys, f.trace).join('; ')}`, '    '));
  }
  return lines;
}

/** `--continue`'s JSON: every violated invariant with its shortest counterexample's steps. */
export function continueJson(sys: KernelSystem, v: Verdict<Action>): Record<string, unknown> {
  return {
    violations: v.violations.map((x) => ({
      invariant: x.invariant,
      length: x.trace.length,
      steps: stepsOf(sys, x.trace),
    })),
    holds: sys.invariantNames.filter((n) => !v.violations.some((x) => x.invariant === n)),
  };
}
