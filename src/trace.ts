/**
 * Counterexamples as a kernel developer reads them: each step as the kernel call it models and the fields
 * it changed, before -> after.
 *
 * The replay runs `applyAction` on an immer draft of the plain state (`produceWithPatches`), the same code
 * the search ran on its typed-array views; each step's result is re-encoded and compared with the state the
 * search stored, so a trace that does not replay is reported, never printed as if it did.
 * The order and names of the fields come from the state schema (model/state/schema.ts).
 *
 * Longer than 300 lines: the replay and the change lines it prints are read together.
 */
import { enablePatches, type Patch, produceWithPatches } from 'immer';
import type { TraceStep } from './checker/verdict.js';
import { type Action, type ActionError, actionLabel, applyAction, formatAction } from './model/actions.js';
import type { Config } from './model/config.js';
import type { Folio, Kernel, Pin, Pmd, Pte, SwapSlot, Vm } from './model/include/mm_types.js';
import { schemeSlots } from './model/mapcount/index.js';
import { createKernel } from './model/state/plain.js';
import { FOLIO, KERNEL, MM, PAGE } from './model/state/schema.js';
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
  /** The step (1-based) whose action threw (a kernel warning), if any, and why. */
  readonly failure?: { readonly step: number; readonly why: string };
  /** Lenient replays only: the step (1-based) that was not enabled, and the error code it returned. */
  readonly disabled?: { readonly step: number; readonly action: Action; readonly code: ActionError };
}

/** The change line of a script's load or store that needs no fault. */
export const NOTHING_CHANGES = '(no fault needed: nothing changes)';

export class TraceDoesNotReplay extends Error {
  override name = 'TraceDoesNotReplay';
}

/**
 * Replays actions from the initial state with immer. `expectFailureAtEnd` accepts a last step that throws
 * (a kernel warning is the finding itself); any other refusal is a `TraceDoesNotReplay`.
 */
export function replay(
  sys: KernelSystem,
  indices: readonly number[],
  expectFailureAtEnd = false,
  lenient = false,
): Replay {
  const actions = indices.map((i) => sys.describe(i));
  const initial = createKernel(sys.cfg);
  const steps: ReplayedStep[] = [];
  let cur = initial;
  const mine = new Uint32Array(sys.stateWords);
  const theirs = new Uint32Array(sys.stateWords);
  sys.encodeKernel(initial, theirs, 0);
  for (let i = 0; i < actions.length; i++) {
    const action = actions[i] as Action;
    const call = formatAction(action, cur);
    let ret = 0 as 0 | ActionError;
    let next: Kernel;
    let patches: Patch[];
    try {
      [next, patches] = produceWithPatches(cur, (d) => {
        ret = applyAction(d as Kernel, action);
      });
    } catch (e) {
      if (lenient || (expectFailureAtEnd && i === actions.length - 1)) {
        return { initial, steps, failure: { step: i + 1, why: e instanceof Error ? e.message : String(e) } };
      }
      throw e;
    }
    if (ret === 'NOP' && lenient) {
      // A load or store that needs no fault: allowed in a script, nothing changes.
      steps.push({
        action,
        label: actionLabel(action),
        call,
        changes: [NOTHING_CHANGES],
        patches,
        after: next,
      });
      cur = next;
      sys.encodeKernel(next, theirs, 0);
      continue;
    }
    if (ret !== 0 && lenient) return { initial, steps, disabled: { step: i + 1, action, code: ret } };
    if (ret !== 0) {
      throw new TraceDoesNotReplay(`step ${i + 1} ${actionLabel(action)} is not enabled (${ret})`);
    }
    // The search's own successor of the previous state must encode like the immer result. With symmetry
    // the stored state is a renaming of `cur`, so the step starts from `cur` itself (encodeKernel loads it).
    if (sys.cfg.symmetry) sys.encodeKernel(cur, theirs, 0);
    else sys.load(theirs, 0);
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
  if (pte.present) return `folio ${pte.folio} page ${pte.page} ${pte.write ? 'RW' : 'RO'}`;
  if (pte.zero) return 'zero page RO';
  if (pte.swp) return `swap entry ${pte.swap}${pte.swp_exclusive ? ' exclusive' : ''}`;
  return 'none';
}

function formatVm(vm: Vm): string {
  if (!vm.mapped) return 'unmapped';
  return `${vm.write ? 'RW' : 'RO'}${vm.dontcopy ? ' DONTFORK' : ''} pgoff ${vm.pgoff}`;
}

function formatPmd(pmd: Pmd): string {
  return pmd.huge ? `huge folio ${pmd.folio} ${pmd.write ? 'RW' : 'RO'}` : 'table';
}

function formatSwap(slot: SwapSlot): string {
  return slot.used ? `count ${slot.count}, data ${slot.data}` : 'free';
}

export function formatPin(pin: Pin): string {
  if (!pin.live) return 'empty';
  const where = `mm${pin.mm} ${hex(pin.addr)} pins folio ${pin.folio} page ${pin.page}`;
  return pin.attached ? where : `${where} (address unmapped since)`;
}

function formatFolioField(folio: Folio, field: string): string {
  const v = (folio as unknown as Record<string, unknown>)[field];
  return String(v);
}

/** The state variables: the kernel's arrays (derived fields are not state). */
export const STATE_VARS: readonly string[] = KERNEL.arrays.map((a) => a.name);
/** Fields recomputed from the rest: a step's patches to them are not changes worth a line. */
const DERIVED: ReadonlySet<unknown> = new Set(KERNEL.fields.filter((f) => f.code === 'derived').map((f) => f.name));
/** An mm's parts, a folio's fields and a page's fields, in the schema's order. */
const MM_PARTS: readonly string[] = [...MM.fields.map((f) => f.name), ...MM.arrays.map((a) => a.name)];
const FOLIO_FIELDS: readonly string[] = FOLIO.fields.map((f) => f.name);
const PAGE_FIELDS: readonly string[] = PAGE.fields.map((f) => f.name);

/**
 * Where an entity sorts in a step's list of changes: the kernel's arrays in the schema's order (mms, folios,
 * pins, swap slots), by index within each, then an mm's parts and a folio's fields in the schema's order
 * (a folio's allocation and size first, then its counters, its schemes' words, its pages).
 */
function entityOrder(path: readonly (string | number)[]): number[] {
  const [root, i, sub, j, field] = path;
  const n = (x: unknown): number => (typeof x === 'number' ? x : 0);
  const top = STATE_VARS.indexOf(String(root));
  if (root === 'mm') return [top, n(i), MM_PARTS.indexOf(String(sub)), n(j)];
  if (root === 'folio') {
    if (sub === 'pages') return [top, n(i), 2, PAGE_FIELDS.indexOf(String(field)), n(j)];
    if (sub === 'mc') return [top, n(i), 1, FOLIO_FIELDS.length, n(j)];
    const head = FOLIO_FIELDS.indexOf(String(sub));
    return [top, n(i), head < 2 ? 0 : 1, head];
  }
  if (top >= 0) return [top, n(i)];
  return [STATE_VARS.length];
}

function compareOrder(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The fields a step changed, from its immer patches: one line per PTE, pin and folio field, and one line
 * for a run of consecutive pages whose field changed the same way (`folio 0 pages 0-3 _mapcount: 0 -> 1`).
 */
export function describeChanges(before: Kernel, after: Kernel, patches: readonly Patch[]): string[] {
  const entities = new Map<string, (string | number)[]>();
  for (const p of patches) {
    const [root, i, sub, j, field] = p.path;
    let path: (string | number)[];
    if (DERIVED.has(root)) continue;
    if (root === 'mm' && (sub === 'pte' || sub === 'vm' || sub === 'pmd' || sub === 'expect')) {
      path = ['mm', i as number, sub, j as number];
    } else if (root === 'swap') path = ['swap', i as number];
    else if (root === 'folio' && sub === 'pages') path = ['folio', i as number, 'pages', j as number, field as string];
    else if (root === 'folio' && sub === 'mc') path = ['folio', i as number, 'mc', j as number];
    else if (root === 'folio' || root === 'mm') path = [root, i as number, sub as string];
    else if (root === 'pin') path = ['pin', i as number];
    else path = [...p.path];
    entities.set(path.join('|'), path);
  }
  const sorted = [...entities.values()].sort((x, y) => compareOrder(entityOrder(x), entityOrder(y)));
  const lines: string[] = [];
  let run: { folio: number; field: string; first: number; last: number; text: string } | undefined;
  const endRun = (): void => {
    if (run === undefined) return;
    const pages = run.first === run.last ? `page ${run.first}` : `pages ${run.first}-${run.last}`;
    lines.push(`folio ${run.folio} ${pages} ${run.field}: ${run.text}`);
    run = undefined;
  };
  for (const path of sorted) {
    const [root, i, sub, j, field] = path;
    const idx = i as number;
    if (root === 'folio' && sub === 'pages') {
      const fb = before.folio[idx] as Folio;
      const fa = after.folio[idx] as Folio;
      if (!fa.used && fb.used) continue; // freed: said once below
      const f = field as '_mapcount' | 'anon_exclusive';
      const text = `${fmt(fb.pages[j as number]?.[f])} -> ${fmt(fa.pages[j as number]?.[f])}`;
      const name = f === 'anon_exclusive' ? 'PG_anon_exclusive' : f;
      const page = j as number;
      if (run !== undefined && run.folio === idx && run.field === name && run.text === text && run.last === page - 1) {
        run.last = page;
        continue;
      }
      endRun();
      run = { folio: idx, field: name, first: page, last: page, text };
      continue;
    }
    endRun();
    if (root === 'mm' && sub === 'pte') {
      const a = j as number;
      const b = before.mm[idx]?.pte[a] as Pte;
      const c = after.mm[idx]?.pte[a] as Pte;
      lines.push(`mm${idx} pte[${hex(a)}]: ${formatPte(b)} -> ${formatPte(c)}`);
    } else if (root === 'mm' && sub === 'vm') {
      const a = j as number;
      const b = before.mm[idx]?.vm[a] as Vm;
      const c = after.mm[idx]?.vm[a] as Vm;
      lines.push(`mm${idx} vma page ${hex(a)}: ${formatVm(b)} -> ${formatVm(c)}`);
    } else if (root === 'mm' && sub === 'pmd') {
      const t = j as number;
      const b = before.mm[idx]?.pmd[t] as Pmd;
      const c = after.mm[idx]?.pmd[t] as Pmd;
      lines.push(`mm${idx} pmd[${t}]: ${formatPmd(b)} -> ${formatPmd(c)}`);
    } else if (root === 'mm' && sub === 'expect') {
      const a = j as number;
      lines.push(`mm${idx} data at ${hex(a)}: ${before.mm[idx]?.expect[a]} -> ${after.mm[idx]?.expect[a]}`);
    } else if (root === 'mm') {
      lines.push(`mm${idx}: ${after.mm[idx]?.live ? 'created' : 'gone'}`);
    } else if (root === 'swap') {
      lines.push(
        `swap ${idx}: ${formatSwap(before.swap[idx] as SwapSlot)} -> ${formatSwap(after.swap[idx] as SwapSlot)}`,
      );
    } else if (root === 'folio') {
      const fb = before.folio[idx] as Folio;
      const fa = after.folio[idx] as Folio;
      if (sub === 'used')
        lines.push(fa.used ? `folio ${idx}: allocated, nr_pages ${fa.nr_pages}` : `folio ${idx}: freed`);
      else if (sub === 'nr_pages' || !fa.used) continue;
      else if (sub === 'mc') {
        const w = j as number;
        const [name, scheme] = schemeWordName(after.cfg, w);
        lines.push(`folio ${idx} ${name}: ${fb.mc[w]} -> ${fa.mc[w]} [${scheme}]`);
      } else
        lines.push(
          `folio ${idx} ${String(sub)}: ${formatFolioField(fb, String(sub))} -> ${formatFolioField(fa, String(sub))}`,
        );
    } else if (root === 'pin') {
      lines.push(`pin ${idx}: ${formatPin(before.pin[idx] as Pin)} -> ${formatPin(after.pin[idx] as Pin)}`);
    } else {
      lines.push(path.join('.'));
    }
  }
  endRun();
  return lines;
}

/** The name of word `w` of `folio.mc` (the scheme's own field name) and its scheme's. */
function schemeWordName(cfg: Config, w: number): [string, string] {
  for (const { scheme, o } of schemeSlots(cfg)) {
    const word = scheme.words[w - o];
    if (w >= o && word !== undefined) return [word.name, scheme.name];
  }
  return [`mc[${w}]`, 'unknown scheme'];
}

function fmt(v: unknown): string {
  if (v === true) return 'set';
  if (v === false) return 'clear';
  return String(v);
}

/** The plain state without its configuration, for JSON (ITF) output: every state variable. */
export function stateJson(k: Kernel): Record<string, unknown> {
  const record = k as unknown as Record<string, unknown>;
  return Object.fromEntries(STATE_VARS.map((name) => [name, record[name]]));
}

/** A script run: the replay, and the first step after which an invariant failed, if any. */
export interface ScriptRun {
  readonly replay: Replay;
  readonly violation?: { readonly step: number; readonly invariant: string; readonly why: readonly string[] };
}

/**
 * Replays a script step by step, checking every invariant after every step (and in the initial state);
 * stops at the first violation, at a step that is not enabled, or at a kernel warning.
 */
export function runScript(sys: KernelSystem, indices: readonly number[]): ScriptRun {
  const r = replay(sys, indices, false, true);
  const states = [r.initial, ...r.steps.map((s) => s.after)];
  for (const [n, k] of states.entries()) {
    const v = sys.checkKernel(k);
    if (v >= 0) {
      const invariant = sys.invariantNames[v] as string;
      return {
        replay: { initial: r.initial, steps: r.steps.slice(0, n) },
        violation: { step: n, invariant, why: sys.explain(v, k) },
      };
    }
  }
  return { replay: r };
}
