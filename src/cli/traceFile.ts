/**
 * `--out FILE`: a run's trace as an ITF JSON file (Apalache ADR-015) that reproduces it. `vars` lists every
 * state variable and each state carries all of them; `#meta` records the full bounds and policy, the
 * invariants checked, the steps in script syntax and the verdict, which `foliocheck replay FILE` re-checks.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Verdict } from '../checker/verdict.js';
import { type Action, actionLabel } from '../model/actions.js';
import { schemeSource } from '../model/mapcount/index.js';
import type { KernelSystem } from '../spec.js';
import { replay, TraceDoesNotReplay } from '../trace.js';
import { boundsFlags, itfTrace } from './render.js';
import { UsageError } from './usageError.js';

/** The steps a verdict's trace takes from the initial state (the `--from` prefix first). */
export function verdictSteps(sys: KernelSystem, v: Verdict<Action>): number[] {
  return [...sys.prefix, ...('trace' in v ? v.trace.map((s) => s.index) : [])];
}

/** The ITF object of a run: `indices` are its steps from the initial state. */
export function traceFileJson(
  sys: KernelSystem,
  v: Verdict<Action>,
  indices: readonly number[],
  command: string,
): unknown {
  const failsAtEnd = v.kind === 'kernel-warning' || v.kind === 'model-error';
  let r: ReturnType<typeof replay>;
  try {
    r = replay(sys, indices, failsAtEnd);
  } catch (e) {
    if (e instanceof TraceDoesNotReplay) throw new UsageError(`--out: the trace does not replay: ${e.message}`);
    throw e;
  }
  const itf = itfTrace(sys, r, sys.name) as { '#meta': Record<string, unknown> };
  const verdict = {
    kind: v.kind,
    ...(v.kind === 'invariant-violated' ? { invariant: v.invariant } : {}),
    ...(v.kind === 'kernel-warning' || v.kind === 'model-error' ? { message: v.message } : {}),
    length: indices.length,
  };
  // Schemes loaded from files: `replay` loads each from its path before it checks the bounds.
  const schemeFiles = Object.fromEntries(
    sys.cfg.schemes.flatMap((n) => {
      const url = schemeSource(n);
      return url === undefined ? [] : [[n, fileURLToPath(url)]];
    }),
  );
  itf['#meta'] = {
    ...itf['#meta'],
    ...(Object.keys(schemeFiles).length > 0 ? { 'scheme-files': schemeFiles } : {}),
    'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html',
    command: [
      `foliocheck ${command}`,
      ...boundsFlags(sys.cfg),
      ...(sys.only !== undefined ? [`--invariant ${sys.only.join(',')}`] : []),
    ].join(' '),
    ...(sys.only !== undefined ? { invariants: [...sys.only] } : {}),
    steps: indices.map((i) => actionLabel(sys.describe(i))),
    verdict,
  };
  return itf;
}

/** Writes the trace file; a file that cannot be written is bad input (exit 2). */
export function writeTraceFile(
  file: string,
  sys: KernelSystem,
  v: Verdict<Action>,
  command: string,
  indices: readonly number[] = verdictSteps(sys, v),
): void {
  const json = traceFileJson(sys, v, indices, command);
  try {
    writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  } catch (e) {
    throw new UsageError(`--out: cannot write ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
