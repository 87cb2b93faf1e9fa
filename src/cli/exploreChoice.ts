/**
 * `explore --invariant a,b` (check only those) and `explore --continue` (go on past violations and report
 * each invariant's shortest counterexample, as the matrix's survey does, for any bounds).
 */
import type { Command } from 'commander';
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

/** `--checkpoint DIR [--every MIN]` and `--resume DIR` on a command (explore). */
export function addCheckpointOptions(cmd: Command): Command {
  return cmd
    .option(
      '--checkpoint <dir>',
      'write checkpoints of the search to this directory (on several workers, between two levels: a ' +
        'SIGKILL loses the level in progress)',
    )
    .option('--every <minutes>', 'with --checkpoint: at most this often (default 5; 0: every slice, or every level)')
    .option(
      '--resume <dir>',
      'continue the search from the checkpoint in this directory (same bounds, options and --workers)',
    );
}

/**
 * The checkpoint settings of `explore`: `--resume DIR` continues from DIR and keeps checkpointing there. Any
 * number of workers (a checkpoint resumes on as many as wrote it: checker/parallelCheckpoint.ts).
 */
export function checkpointOption(o: {
  readonly checkpoint?: string;
  readonly every?: string;
  readonly resume?: string;
}): { dir: string; everyMs: number; resume: boolean } | undefined {
  if (o.checkpoint === undefined && o.resume === undefined) {
    if (o.every !== undefined) throw new UsageError('--every: expected --checkpoint DIR with it, got no --checkpoint');
    return undefined;
  }
  if (o.checkpoint !== undefined && o.resume !== undefined && o.checkpoint !== o.resume) {
    throw new UsageError(`--checkpoint: expected the directory of --resume (${o.resume}) or none, got ${o.checkpoint}`);
  }
  const minutes = o.every === undefined ? 5 : Number(o.every);
  if (!Number.isFinite(minutes) || minutes < 0 || o.every?.trim() === '') {
    throw new UsageError(`--every: expected minutes, a number 0 or more, got ${o.every}`);
  }
  return { dir: (o.resume ?? o.checkpoint) as string, everyMs: minutes * 60_000, resume: o.resume !== undefined };
}
