/**
 * Counterexamples as a kernel developer reads them: each step as the kernel call it models and the fields
 * it changed, before -> after.
 *
 * The replay runs `applyAction` on an immer draft of the plain state (`produceWithPatches`), the same code
 * the search ran on its typed-array views; each step's result is re-encoded and compared with the state the
 * search stored, so a trace that does not replay is reported, never printed as if it did.
 */
import { enablePatches, type Patch, produceWithPatches } from 'immer';
import type { TraceStep } from './checker/verdict.js';
import { type Action, actionLabel, applyAction, formatAction } from './model/actions.js';
import type { Folio, Kernel, Pin, Pte } from './model/include/mm_types.js';
import { createKernel } from './model/plain.js';
import type { KernelSystem } from './spec.js';

enablePatches();

export interface ReplayedStep {
  readonly action: Action;
  /** `fault(0,1)`: the step in script syntax. */
  readonly label: string;
  /** The kernel call it models, with its parameters. */
  readonly call: string;
  /** One line per changed entity: `mm0 pte[0x1]: none -> folio 0 page 1 RW`. */
  readonly changes: readonly string[];
  readonly patches: readonly Patch[];
  readonly after: Kernel;
}

export interface Replay {
  readonly initial: Kernel;
  readonly steps: readonly ReplayedStep[];
  /** The step (1-based) whose action was not enabled or threw, if any, and why. */
  readonly failure?: { readonly step: number; readonly why: string };
}

export class TraceDoesNotReplay extends Error {
  override name = 'TraceDoesNotReplay';
}

/**
 * Replays actions from the initial state with immer. `expectFailureAtEnd` accepts a last step that throws
 * (a kernel warning is the finding itself); any other refusal is a `TraceDoesNotReplay`.
 */
export function replay(sys: KernelSystem, indices: readonly number[], expectFailureAtEnd = false): Replay {
  const actions = indices.map((i) => sys.describe(i));
  const initial = createKernel(sys.cfg);
  const steps: ReplayedStep[] = [];
  let cur = initial;
  const mine = new Uint32Array(sys.stateWords);
  const theirs = new Uint32Array(sys.stateWords);
  sys.writeInitial(theirs, 0);
  for (let i = 0; i < actions.length; i++) {
    const action = actions[i] as Action;
    const call = formatAction(action, cur);
    let ret: ReturnType<typeof applyAction> = 0;
    let next: Kernel;
    let patches: Patch[];
    try {
      [next, patches] = produceWithPatches(cur, (d) => {
        ret = applyAction(d as Kernel, action);
      });
    } catch (e) {
      if (expectFailureAtEnd && i === actions.length - 1) {
        return { initial, steps, failure: { step: i + 1, why: e instanceof Error ? e.message : String(e) } };
      }
      throw e;
    }
    if (ret !== 0) {
      throw new TraceDoesNotReplay(`step ${i + 1} ${actionLabel(action)} is not enabled (${ret})`);
    }
    // The search's own successor of the previous state must encode like the immer result.
    sys.load(theirs, 0);
    if (!sys.successor(indices[i] as number, theirs, 0)) {
      throw new TraceDoesNotReplay(`step ${i + 1} ${actionLabel(action)}: the search representation refuses it`);
    }
    sys.encodeKernel(next, mine, 0);
    if (!mine.every((word, j) => word === theirs[j])) {
      throw new TraceDoesNotReplay(`step ${i + 1} ${actionLabel(action)}: plain and search states differ`);
    }
    steps.push({
      action,
      label: actionLabel(action),
      call,
      changes: describeChanges(cur, next, patches),
      patches,
      after: next,
    });
    cur = next;
  }
  return { initial, steps };
}

/** The action indices of a checker trace. */
export function traceIndices(trace: readonly TraceStep<Action>[]): number[] {
  return trace.map((s) => s.index);
}

const hex = (n: number): string => `0x${n.toString(16)}`;

export function formatPte(pte: Pte): string {
  return pte.present ? `folio ${pte.folio} page ${pte.page} ${pte.write ? 'RW' : 'RO'}` : 'none';
}

export function formatPin(pin: Pin): string {
  if (!pin.live) return 'empty';
  const where = `mm${pin.mm} ${hex(pin.addr)} -> folio ${pin.folio} page ${pin.page}`;
  return pin.attached ? where : `${where} (address unmapped since)`;
}

function formatFolioField(folio: Folio, field: string): string {
  const v = (folio as unknown as Record<string, unknown>)[field];
  return String(v);
}

/** Groups patch paths into entities (a PTE, a page, a pin, a folio field) and prints each once. */
export function describeChanges(before: Kernel, after: Kernel, patches: readonly Patch[]): string[] {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const p of patches) {
    const [root, i, sub, j] = p.path;
    let key: string;
    if (root === 'mm' && sub === 'pte') key = `mm|${i}|pte|${j}`;
    else if (root === 'mm') key = `mm|${i}|live`;
    else if (root === 'folio' && sub === 'pages') key = `folio|${i}|page|${j}|${p.path[4]}`;
    else if (root === 'folio') key = `folio|${i}|${sub}`;
    else if (root === 'pin') key = `pin|${i}`;
    else key = p.path.join('|');
    if (!seen.has(key)) {
      seen.add(key);
      keys.push(key);
    }
  }
  const lines: string[] = [];
  const folioFreedOrAllocated = new Set<string>();
  for (const key of keys) {
    const part = key.split('|');
    const i = Number(part[1]);
    if (part[0] === 'mm' && part[2] === 'pte') {
      const a = Number(part[3]);
      const b = before.mm[i]?.pte[a] as Pte;
      const c = after.mm[i]?.pte[a] as Pte;
      lines.push(`mm${i} pte[${hex(a)}]: ${formatPte(b)} -> ${formatPte(c)}`);
    } else if (part[0] === 'mm') {
      lines.push(`mm${i}: ${after.mm[i]?.live ? 'created' : 'gone'}`);
    } else if (part[0] === 'folio') {
      const fb = before.folio[i] as Folio;
      const fa = after.folio[i] as Folio;
      if (fb.used !== fa.used) {
        if (!folioFreedOrAllocated.has(String(i))) {
          folioFreedOrAllocated.add(String(i));
          lines.push(fa.used ? `folio ${i}: allocated, nr_pages ${fa.nr_pages}` : `folio ${i}: freed`);
        }
        if (!fa.used || part[2] === 'used' || part[2] === 'nr_pages') continue;
      }
      if (part[2] === 'page') {
        const j = Number(part[3]);
        const field = part[4] as 'anon_exclusive' | '_mapcount';
        const vb = fb.pages[j]?.[field];
        const va = fa.pages[j]?.[field];
        const name = field === 'anon_exclusive' ? 'PG_anon_exclusive' : field;
        lines.push(`folio ${i} page ${j} ${name}: ${fmt(vb)} -> ${fmt(va)}`);
      } else if (part[2] !== 'used') {
        const field = part[2] as string;
        lines.push(`folio ${i} ${field}: ${formatFolioField(fb, field)} -> ${formatFolioField(fa, field)}`);
      }
    } else if (part[0] === 'pin') {
      lines.push(`pin ${i}: ${formatPin(before.pin[i] as Pin)} -> ${formatPin(after.pin[i] as Pin)}`);
    } else {
      lines.push(key);
    }
  }
  return lines;
}

function fmt(v: unknown): string {
  if (v === true) return 'set';
  if (v === false) return 'clear';
  return String(v);
}

/** The plain state without its configuration, for JSON (ITF) output. */
export function stateJson(k: Kernel): Record<string, unknown> {
  return { mm: k.mm, folio: k.folio, pin: k.pin };
}
