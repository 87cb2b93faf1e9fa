/**
 * `foliocheck simulate`: random walks (fast-check) under the model's bounds and a search's state, time and
 * memory limits, interruptible like a search; the shrunk walk printed, and written as a trace file or page.
 */
import type { Command } from 'commander';
import { defaultMemoryLimit } from '../app/search.js';
import type { SearchOptions } from '../app/searchOptions.js';
import { exitStatus } from '../checker/verdict.js';
import { interactive } from './interactive.js';
import {
  addBoundOptions,
  addSearchOptions,
  boundsFromOptions,
  parseCount,
  parseSeed,
  type RawBoundOptions,
  type RawSearchOptions,
  searchFromOptions,
} from './options.js';
import { renderSimulate } from './renderCommands.js';
import { writeTraceFile } from './traceFile.js';

export async function cmdSimulate(
  o: RawBoundOptions &
    RawSearchOptions & {
      seed?: string;
      runs?: string;
      steps?: string;
      json?: boolean;
      out?: string;
      html?: string;
      coverage?: boolean;
    },
): Promise<number> {
  const cfg = boundsFromOptions(o);
  const search = searchFromOptions(o);
  const seed = o.seed === undefined ? Date.now() % 2 ** 31 : parseSeed(o.seed);
  const runs = o.runs === undefined ? 1000 : parseCount('runs', o.runs);
  const steps = o.steps === undefined ? 50 : parseCount('steps', o.steps);
  const name = o.preset ?? 'simulate';
  // Loaded here, not with the command line: the random explorer brings fast-check (main.ts, writeHtml).
  const { simulateConfig } = await import('../app/simulate.js');
  const { sys, verdict } = await interactive(name, ({ signal }) =>
    simulateConfig(cfg, name, { seed, runs, steps, limits: { ...walkLimits(search), ...(signal ? { signal } : {}) } }),
  );
  const out = renderSimulate(sys, cfg, verdict, o.coverage === true);
  if (o.out !== undefined) writeTraceFile(o.out, sys, verdict, 'simulate');
  process.stdout.write(o.json === true ? `${JSON.stringify(out.json, null, 2)}\n` : `${out.text}\n`);
  if (o.html !== undefined) (await import('./viewCommand.js')).writeHtml(o.html, out.json);
  return exitStatus(verdict);
}

/** simulate's bounds: the model's, and a search's states (visited), time and memory. */
export function addWalkOptions(cmd: Command): Command {
  return addSearchOptions(addBoundOptions(cmd), ['maxStates', 'maxSeconds', 'maxMemory']);
}

/** The limits of random walks from search settings, with the default memory bound. */
function walkLimits(s: SearchOptions): { maxStates?: number; maxSeconds?: number; maxMemoryBytes: number } {
  return {
    maxMemoryBytes: s.maxMemoryBytes ?? defaultMemoryLimit(),
    ...(s.maxStates !== undefined ? { maxStates: s.maxStates } : {}),
    ...(s.maxSeconds !== undefined ? { maxSeconds: s.maxSeconds } : {}),
  };
}
