/**
 * Verdicts as text (at most 100 columns, to paste into a mail) and as JSON.
 */

import { fileURLToPath } from 'node:url';
import type { Stats, TraceStep, Verdict } from '../checker/verdict.js';
import { type Action, actionLabel } from '../model/actions.js';
import type { Config } from '../model/config.js';
import { decisionSources } from '../model/decide.js';
import { schemeSource } from '../model/mapcount/index.js';
import { OP_NAMES } from '../model/steps/index.js';
import type { KernelSystem } from '../spec.js';
import { type Replay, replay, STATE_VARS, stateJson, TraceDoesNotReplay, traceIndices } from '../trace.js';
import { formatCoverage } from './renderCoverage.js';

const WIDTH = 100;

/** Breaks `text` at spaces so that no line exceeds the mail width, indenting continuation lines. */
export function wrap(text: string, indent: string, width = WIDTH): string[] {
  const out: string[] = [];
  let line = indent;
  for (const word of text.split(' ')) {
    if (line.trim() !== '' && line.length + 1 + word.length > width) {
      out.push(line);
      line = `${indent}  ${word}`;
    } else {
      line = line.trim() === '' ? `${indent}${word}` : `${line} ${word}`;
    }
  }
  if (line.trim() !== '') out.push(line);
  return out;
}

/**
 * The bounds as a command line to paste after `foliocheck explore` (or run, simulate): every field, the policy
 * included, so that it reproduces the run whatever the defaults; continued with `\\` past the mail width.
 */
export function formatBounds(cfg: Config): string {
  return boundsFlags(cfg)
    .reduce<string[]>((lines, flag) => {
      const last = lines.at(-1);
      if (last !== undefined && `${last} ${flag}`.length <= WIDTH - 12) lines[lines.length - 1] = `${last} ${flag}`;
      else lines.push(flag);
      return lines;
    }, [])
    .join(' \\\n    ');
}

/** The bounds as command-line flags, one per field; an empty list as `none`. */
export function boundsFlags(cfg: Config): string[] {
  const list = (xs: readonly (string | number)[]): string => (xs.length > 0 ? xs.join(',') : 'none');
  return [
    `--mms ${cfg.mms}`,
    `--va ${cfg.va}`,
    `--pt ${cfg.pt}`,
    `--large ${cfg.large}`,
    `--slots ${cfg.slots}`,
    `--pins ${cfg.pins}`,
    `--map ${cfg.map}`,
    `--swap ${cfg.swap}`,
    ...(cfg.data ? ['--data'] : []),
    `--orders ${list(cfg.orders)}`,
    `--era ${cfg.era}`,
    `--ae ${cfg.ae}`,
    // A scheme loaded from a file is written as its file, so that the line works in a fresh process.
    `--scheme ${list(
      cfg.schemes.map((n) => {
        const f = schemeSource(n);
        return f === undefined ? n : fileURLToPath(f);
      }),
    )}`,
    ...(cfg.decider !== undefined ? [`--decide-with ${cfg.decider}`] : []),
    `--ops ${OP_NAMES.every((op) => cfg.ops.includes(op)) ? 'all' : list(cfg.ops)}`,
  ];
}

/** The era, AnonExclusive granularity and mapcount schemes a run applies. */
export function formatPolicy(cfg: Config): string {
  const decider = cfg.decider !== undefined ? `, decided by ${cfg.decider}` : '';
  return `era ${cfg.era}, ae ${cfg.ae}, schemes ${cfg.schemes.length > 0 ? cfg.schemes.join(', ') : 'none'}${decider}`;
}

const si = (n: number): string => n.toLocaleString('en-US');

export function formatStats(s: Stats): string {
  const mib = (s.peakRssBytes / 2 ** 20).toFixed(0);
  let line =
    `states ${si(s.states)}, edges ${si(s.edges)}, depth ${s.depth}, ${s.seconds.toFixed(2)} s, ` +
    `${si(Math.round(s.statesPerSecond))} states/s, peak RSS ${mib} MiB, ${s.store} store`;
  if (s.collisionProbability !== undefined) {
    line += `, collision probability ${s.collisionProbability.toExponential(1)}`;
  }
  if (s.stolen !== undefined) line += `, ${si(s.stolen)} states expanded by a worker that did not own them`;
  if (s.levels !== undefined) line += `; states per level ${s.levels.map(si).join(' ')}`;
  return line;
}

/**
 * The steps of a replay, each as the kernel call and the fields it changed; the first `prefix` steps are
 * the `--from` set-up, marked as such.
 */
export function formatSteps(r: Replay, prefix = 0): string[] {
  const lines: string[] = [];
  r.steps.forEach((step, i) => {
    const mark = i < prefix ? ' (--from)' : '';
    lines.push(...wrap(`${String(i + 1).padStart(2)}. ${step.call}${mark}`, '  '));
    for (const change of step.changes) lines.push(...wrap(change, '        '));
  });
  return lines;
}

/** Replays a checker trace after the system's prefix (with the failing step, for a kernel warning). */
function replayTrace(sys: KernelSystem, trace: readonly TraceStep<Action>[], failsAtEnd: boolean): Replay {
  return replay(sys, [...sys.prefix, ...traceIndices(trace)], failsAtEnd);
}

/** The whole verdict as text; `coverage`: every coverage count, not only the summary and warnings. */
export function formatVerdict(sys: KernelSystem, v: Verdict<Action>, title: string, coverage = false): string {
  const lines: string[] = [];
  const head = (s: string): void => {
    lines.push(...wrap(s, ''));
  };
  const n = sys.invariantNames.length;
  const checked = `${n} invariant${n === 1 ? '' : 's'}`;
  switch (v.kind) {
    case 'success':
      head(
        v.ended === 'exhausted'
          ? `${title}: pass: holds in the complete state space, every level expanded (${checked} checked)`
          : `${title}: pass: no invariant fails (${checked} checked)`,
      );
      break;
    case 'incomplete': {
      head(`${title}: incomplete (${v.incomplete.reason}): ${v.incomplete.detail}`);
      // A depth bound stops before expanding level `depth`, whose states were all found and checked; any
      // other bound stops part-way through finding level `depth`.
      const complete = v.incomplete.reason === 'depth' ? v.stats.depth : v.stats.depth - 1;
      lines.push(
        v.stats.levels !== undefined && complete >= 0
          ? `  explored so far, with no violation: holds to depth ${complete} (every state that deep checked)`
          : '  explored so far, with no violation:',
      );
      break;
    }
    case 'invariant-violated': {
      const steps = v.trace.length;
      const from = sys.prefix.length > 0 ? ` from the --from state (${sys.prefix.length} steps)` : '';
      head(`${title}: VIOLATION of ${v.invariant} after ${steps} step${steps === 1 ? '' : 's'}${from} (shortest)`);
      const inv = sys.invariants[sys.invariantNames.indexOf(v.invariant)];
      if (inv !== undefined) lines.push(...wrap(inv.description, '  '));
      lines.push('');
      const r = replayTrace(sys, v.trace, false);
      lines.push(...formatSteps(r, sys.prefix.length));
      lines.push('');
      const last = r.steps.at(-1)?.after ?? r.initial;
      lines.push(`  ${v.invariant} fails:`);
      for (const why of sys.explain(sys.invariantNames.indexOf(v.invariant), last)) lines.push(...wrap(why, '    '));
      break;
    }
    case 'kernel-warning':
    case 'model-error': {
      const what = v.kind === 'kernel-warning' ? 'KERNEL WARNING' : 'MODEL ERROR (a bug in foliocheck)';
      head(`${title}: ${what} at step ${v.trace.length}: ${v.message.split('\n')[0]}`);
      lines.push('');
      try {
        const r = replayTrace(sys, v.trace, true);
        lines.push(...formatSteps(r, sys.prefix.length));
        const failing = v.trace.at(-1);
        if (failing !== undefined) lines.push(...wrap(`${v.trace.length}. ${failing.action.kind}: ${v.message}`, '  '));
      } catch (e) {
        if (!(e instanceof TraceDoesNotReplay)) throw e;
        lines.push(`  (the trace does not replay: ${e.message})`);
      }
      break;
    }
    default: {
      const never: never = v;
      return never;
    }
  }
  lines.push(`  bounds: ${formatBounds(sys.cfg)}`);
  lines.push(...formatDecisions(sys.cfg));
  lines.push(...wrap(formatStats(v.stats), '  '));
  lines.push(...formatCoverage(v.coverage, coverage));
  return lines.join('\n');
}

/**
 * While a scheme decides (`--decide-with`): which decision point's queries it answered, and which fell
 * back to the era (decide.ts), one line per source.
 */
export function formatDecisions(cfg: Config): string[] {
  if (cfg.decider === undefined) return [];
  const bySource = new Map<string, string[]>();
  for (const { point, query, from } of decisionSources(cfg)) {
    bySource.set(from, [...(bySource.get(from) ?? []), `${point} ${query}`]);
  }
  return [...bySource].flatMap(([from, asked]) => wrap(`decisions asked of ${from}: ${asked.join(', ')}`, '  '));
}

/** The verdict word of the JSON output. */
export function verdictWord(v: Verdict<Action>): 'pass' | 'violation' | 'incomplete' | 'error' {
  switch (v.kind) {
    case 'success':
      return 'pass';
    case 'invariant-violated':
    case 'kernel-warning':
      return 'violation';
    case 'incomplete':
      return 'incomplete';
    case 'model-error':
      return 'error';
    default: {
      const never: never = v;
      return never;
    }
  }
}

/** An ITF-shaped trace (Apalache ADR-015, as Quint writes it): one state per step with the action taken. */
export function itfTrace(sys: KernelSystem, r: Replay, description: string): unknown {
  const states = [
    { '#meta': { index: 0 }, ...stateJson(r.initial), 'mbt::actionTaken': 'init', 'mbt::nondetPicks': {} },
    ...r.steps.map((s, i) => {
      const { kind, ...picks } = s.action;
      return {
        '#meta': { index: i + 1 },
        ...stateJson(s.after),
        'mbt::actionTaken': kind,
        'mbt::nondetPicks': picks,
      };
    }),
  ];
  return {
    '#meta': { format: 'ITF', source: 'foliocheck', description, bounds: sys.cfg.bounds() },
    vars: [...STATE_VARS],
    states,
  };
}

/** The whole verdict as one JSON object. */
export function verdictJson(sys: KernelSystem, v: Verdict<Action>, title: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: title,
    verdict: verdictWord(v),
    kind: v.kind,
    ...v.stats,
    bounds: sys.cfg.bounds(),
    invariants: sys.invariantNames,
    ...(v.coverage !== undefined ? { coverage: v.coverage } : {}),
    ...(sys.cfg.decider !== undefined ? { decisions: decisionSources(sys.cfg) } : {}),
  };
  if (v.kind === 'incomplete') {
    out.reason = v.incomplete.reason;
    out.detail = v.incomplete.detail;
  }
  if (v.kind === 'invariant-violated') out.invariant = v.invariant;
  if (v.kind === 'kernel-warning' || v.kind === 'model-error') out.message = v.message;
  if (v.kind !== 'success' && v.kind !== 'incomplete') {
    let r: Replay | undefined;
    try {
      r = replayTrace(sys, v.trace, v.kind !== 'invariant-violated');
    } catch (e) {
      if (!(e instanceof TraceDoesNotReplay)) throw e;
      out.replayError = e.message;
    }
    const skip = sys.prefix.length;
    out.prefix = sys.prefix.map((i) => actionLabel(sys.describe(i)));
    out.trace = v.trace.map((s, i) => {
      const { kind, ...params } = s.action;
      const step = r?.steps[skip + i];
      return { step: i + 1, action: kind, params, call: step?.call, changes: step?.changes };
    });
    if (r !== undefined) out.itf = itfTrace(sys, r, title);
  }
  return out;
}
