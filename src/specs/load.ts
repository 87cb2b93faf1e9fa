/**
 * Spec files: regression specs written as YAML (docs/spec-files.md), so that a user adds one without touching
 * TypeScript. A file holds one spec per YAML document; a spec with `policies` stands for one spec per policy
 * (era/AE), each with its own expected verdict. Bounds are checked against the bounds schema
 * (model/bounds.ts); every problem is reported as `FILE:LINE: FIELD: expected ..., got ...`.
 *
 * Longer than 300 lines: the format's checks are read together with the format they check.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type Document, LineCounter, parseAllDocuments } from 'yaml';
import { BOUND_FIELDS, type BoundsUse, checkBounds } from '../model/bounds.js';
import type { Bounds } from '../model/config.js';
import { DECISIONS, FIGURES } from '../model/consequences.js';
import { BRANCH_NAMES } from '../model/coverage.js';
import { INVARIANTS } from '../model/invariants/index.js';
import { SCHEMES } from '../model/mapcount/index.js';
import { type Policy, parsePolicy } from '../model/policies.js';
import { OP_NAMES } from '../model/steps/index.js';
import { isSchemePath, loadedSchemeName, loadSchemeFile } from '../schemeFile.js';
import { parseScript, ScriptError } from '../script.js';
import { defineSpec, type FigureExpectation, type Spec, type SpecExpectation } from '../spec.js';

/** A spec file that is not a valid spec: the file, the line, the field, what was expected and what was given. */
export class SpecFileError extends Error {
  override name = 'SpecFileError';
}

/** Every invariant id, those of schemes loaded from files (loadSpecSchemes) included. */
const invariantIds = (): string[] => [...INVARIANTS.map((i) => i.name), ...SCHEMES.map((s) => s.invariant)];

const TOP_FIELDS = [
  'name',
  'about',
  'bounds',
  'policies',
  'script',
  'invariants',
  'coverage',
  'expect',
  'heavy',
] as const;

interface Problem {
  readonly path: readonly (string | number)[];
  readonly expected: string;
  readonly got: string;
}

/** A value as a user wrote it, for `got ...`. */
function shown(v: unknown): string {
  if (v instanceof Worded) return v.text;
  if (v === undefined || v === null) return 'nothing';
  if (Array.isArray(v)) return v.length === 0 ? 'an empty list' : v.map((x) => shown(x)).join(',');
  if (typeof v === 'object') return 'a mapping';
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Checks one document's value; the problems, and the specs when there are none. */
function checkSpec(doc: unknown, file?: string): { problems: Problem[]; specs: Spec[] } {
  const problems: Problem[] = [];
  const bad = (path: readonly (string | number)[], expected: string, got: unknown): void => {
    problems.push({ path, expected, got: shown(got) });
  };
  if (!isRecord(doc)) {
    bad([], `a mapping with the fields ${TOP_FIELDS.join(', ')}`, doc);
    return { problems, specs: [] };
  }
  for (const key of Object.keys(doc)) {
    if (!(TOP_FIELDS as readonly string[]).includes(key)) {
      bad([key], `no such field (the fields are ${TOP_FIELDS.join(', ')})`, doc[key]);
    }
  }
  const text = (key: 'name' | 'about', required: boolean): string | undefined => {
    const v = doc[key];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    if (required || v !== undefined) bad([key], 'a non-empty string', v);
    return undefined;
  };
  const name = text('name', true);
  const about = text('about', true);
  const script = doc.script === undefined ? undefined : typeof doc.script === 'string' ? doc.script : undefined;
  if (doc.script !== undefined && script === undefined)
    bad(['script'], 'a script, e.g. "write(0,0); fork(0)"', doc.script);
  if (script !== undefined) checkScriptSyntax(script, bad);
  if (doc.heavy !== undefined && typeof doc.heavy !== 'boolean') bad(['heavy'], 'true or false', doc.heavy);

  // A script spec replays one script, so it may take the kernel's geometry (--pt 512), as `run` does.
  const use = script !== undefined ? 'replay' : 'search';
  const bounds = checkSpecBounds(doc.bounds, bad, file, use);
  const invariants = checkInvariantList(doc.invariants, bad);
  const coverage = checkCoverageList(doc.coverage, bad);
  const policyOf = new Map<string, Policy>();
  const policies = checkPolicies(doc.policies, bad, policyOf);
  const expects = checkExpectations(doc.expect, policies, bad);
  if (problems.length > 0 || bounds === undefined || expects === undefined) return { problems, specs: [] };

  const base = {
    name: name as string,
    about: about as string,
    ...(script !== undefined ? { script } : {}),
    ...(invariants !== undefined ? { invariants } : {}),
    ...(coverage !== undefined ? { coverage } : {}),
    ...(doc.heavy === true ? { heavy: true } : {}),
  };
  if (policies === undefined) {
    return { problems, specs: [defineSpec({ ...base, bounds, expect: expects.get('') as SpecExpectation })] };
  }
  const specs = policies.map((p) => {
    const { era, ae, decider } = policyOf.get(p) as Policy;
    const pb: Bounds = { ...bounds, era, ae, ...(decider !== undefined ? { decider } : {}) };
    const pe = checkBounds(pb, use);
    for (const e of pe) bad(['policies'], `${p}: ${e.field} ${e.expected}`, p);
    return defineSpec({ ...base, name: `${base.name} [${p}]`, bounds: pb, expect: expects.get(p) as SpecExpectation });
  });
  return { problems, specs: problems.length > 0 ? [] : specs };
}

/** The script's syntax (whether its steps fit the bounds is checked when it runs, naming the spec). */
function checkScriptSyntax(script: string, bad: Bad): void {
  try {
    if (parseScript(script, 'script').length === 0) bad(['script'], 'at least one step', script);
  } catch (e) {
    if (!(e instanceof ScriptError)) throw e;
    // "script: step 2 "x(": expected ..., got ..." as this file's format words it.
    const m = /^script: (step \d+ .*?): expected (.*?)(?:, got (.*))?$/.exec(e.message);
    bad(['script'], m !== null ? `${m[1]}: ${m[2]}` : e.message, new Worded(m?.[3] ?? JSON.stringify(script)));
  }
}

type Bad = (path: readonly (string | number)[], expected: string, got: unknown) => void;

/** The bounds mapping, checked against the bounds schema; `ops: all` stands for every step. */
function checkSpecBounds(raw: unknown, bad: Bad, file?: string, use: BoundsUse = 'search'): Bounds | undefined {
  if (!isRecord(raw)) {
    bad(['bounds'], `a mapping of bounds (${BOUND_FIELDS.map((f) => f.key).join(', ')})`, raw);
    return undefined;
  }
  const b: Record<string, unknown> = { ...raw };
  if (b.ops === 'all') b.ops = [...OP_NAMES];
  // A flag written as one of its words (`symmetry: mms`) stands for that word's value, as on the command line.
  for (const f of BOUND_FIELDS) {
    const v = b[f.key];
    if (f.words !== undefined && typeof v === 'string' && Object.hasOwn(f.words, v)) b[f.key] = f.words[v];
  }
  // A scheme file (loaded by loadSpecSchemes) by the name it registered.
  if (Array.isArray(b.schemes) && file !== undefined)
    b.schemes = b.schemes.map((x) =>
      typeof x === 'string' && isSchemePath(x) ? (loadedSchemeName(x, dirname(file)) ?? x) : x,
    );
  const errors = checkBounds(b, use);
  for (const e of errors) problemsFromField(bad, ['bounds', e.field], e.expected, e.got);
  return errors.length === 0 ? (b as unknown as Bounds) : undefined;
}

/** A bounds error, whose `got` the schema has already worded. */
function problemsFromField(bad: Bad, path: readonly (string | number)[], expected: string, got: string): void {
  bad(path, expected, new Worded(got));
}

/** A value already worded as `got ...` says it. */
class Worded {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

/** `coverage`: branch names (model/coverage.ts) or step kinds, each of which must fire. */
function checkCoverageList(raw: unknown, bad: Bad): string[] | undefined {
  if (raw === undefined) return undefined;
  const names = [...BRANCH_NAMES, ...OP_NAMES];
  if (!Array.isArray(raw) || raw.length === 0) {
    bad(['coverage'], 'a list of branch names (e.g. do_wp_page:copy) or step kinds', raw);
    return undefined;
  }
  raw.forEach((x, i) => {
    if (typeof x !== 'string' || !names.includes(x)) bad(['coverage', i], `one of ${names.join(', ')}`, x);
  });
  return raw as string[];
}

function checkInvariantList(raw: unknown, bad: Bad): string[] | undefined {
  if (raw === undefined) return undefined;
  const ids = invariantIds();
  const expected = `a list of invariant ids (${ids.join(', ')})`;
  if (!Array.isArray(raw) || raw.length === 0) {
    bad(['invariants'], expected, raw);
    return undefined;
  }
  raw.forEach((x, i) => {
    if (typeof x !== 'string' || !ids.includes(x)) bad(['invariants', i], `one of ${ids.join(', ')}`, x);
  });
  return raw as string[];
}

/**
 * A spec's policies, each written `era/ae`, `era/ae@decider`, a named bundle (`jan-2023`), or a bundle of
 * its own: a mapping `{ name, era, ae, decider }`. Returns their keys (what `expect` names them by); the
 * policy each stands for is recorded in `policyOf`.
 */
function checkPolicies(raw: unknown, bad: Bad, policyOf: Map<string, Policy>): string[] | undefined {
  if (raw === undefined) return undefined;
  const expected = 'a list of policies, e.g. [5.7/page, 5.19/folio, 6.15/page@tuple-naive, jan-2023]';
  if (!Array.isArray(raw) || raw.length === 0) {
    bad(['policies'], expected, raw);
    return undefined;
  }
  const out: string[] = [];
  raw.forEach((x, i) => {
    let key: string;
    let text: string;
    if (isRecord(x)) {
      // A bundle of the spec's own: its name keys the expectations.
      const extra = Object.keys(x).filter((f) => !['name', 'era', 'ae', 'decider'].includes(f));
      if (typeof x.name !== 'string' || x.name === '' || extra.length > 0) {
        bad(['policies', i], 'a mapping with name, era, ae and optionally decider', x);
        return;
      }
      key = x.name;
      text = `${String(x.era)}/${String(x.ae)}${x.decider !== undefined ? `@${String(x.decider)}` : ''}`;
    } else {
      key = String(x);
      text = key;
    }
    const p = parsePolicy(text);
    if ('error' in p) bad(['policies', i], p.error, x);
    else if (out.includes(key)) bad(['policies', i], 'each policy once', x);
    else {
      out.push(key);
      policyOf.set(key, p);
    }
  });
  return out;
}

/**
 * The expectation of each policy (`''` when the spec has none): one expectation for all, or a mapping of
 * policy -> expectation with `otherwise` for the rest.
 */
function checkExpectations(
  raw: unknown,
  policies: readonly string[] | undefined,
  bad: Bad,
): Map<string, SpecExpectation> | undefined {
  const single = typeof raw === 'string' || (isRecord(raw) && 'verdict' in raw);
  if (policies === undefined || single) {
    const e = checkExpectation(raw, ['expect'], bad);
    if (e === undefined) return undefined;
    return new Map((policies ?? ['']).map((p) => [p, e]));
  }
  if (!isRecord(raw)) {
    bad(['expect'], 'an expectation, or a mapping of policy (and otherwise) to expectation', raw);
    return undefined;
  }
  const out = new Map<string, SpecExpectation>();
  for (const [key, v] of Object.entries(raw)) {
    if (key !== 'otherwise' && !policies.includes(key)) {
      bad(['expect', key], `one of the policies (${policies.join(', ')}) or otherwise`, key);
      continue;
    }
    const e = checkExpectation(v, ['expect', key], bad);
    if (e !== undefined) out.set(key, e);
  }
  const rest = out.get('otherwise');
  for (const p of policies) {
    if (!out.has(p)) {
      if (rest !== undefined) out.set(p, rest);
      else if (!(p in raw)) bad(['expect', p], 'an expectation for every policy (or an otherwise)', undefined);
    }
  }
  return out;
}

/**
 * A pass's expected figures: `group/counter: count`, the group `decisions` (a deciding scheme's consequences,
 * consequences.ts) or a scheme's name (its own counters). Undefined when absent, null when wrong.
 */
function checkFigures(
  raw: unknown,
  path: readonly (string | number)[],
  bad: Bad,
): Record<string, FigureExpectation> | undefined | null {
  if (raw === undefined) return undefined;
  const groups = [DECISIONS, ...SCHEMES.map((s) => s.name)];
  const what = `a mapping of group/counter to a whole number, groups ${groups.join(', ')}`;
  if (!isRecord(raw)) {
    bad(path, what, raw);
    return null;
  }
  let ok = true;
  const out: Record<string, FigureExpectation> = {};
  for (const [key, v] of Object.entries(raw)) {
    const [group, counter, ...rest] = key.split('/');
    const known =
      group !== undefined && groups.includes(group) && counter !== undefined && counter !== '' && rest.length === 0;
    if (!known || (group === DECISIONS && !(counter in FIGURES))) {
      bad([...path, key], group === DECISIONS ? `decisions/ and one of ${Object.keys(FIGURES).join(', ')}` : what, key);
      ok = false;
    } else if (isCount(v)) out[key] = v;
    else if (isRecord(v) && Object.keys(v).length === 1 && isCount(v['at-least']))
      out[key] = { atLeast: v['at-least'] };
    else if (isRecord(v) && Object.keys(v).length === 1 && isCount(v['at-most'])) out[key] = { atMost: v['at-most'] };
    else {
      bad([...path, key], 'a whole number, {at-least: n} or {at-most: n}', v);
      ok = false;
    }
  }
  return ok ? out : null;
}

/** `pass`, `{verdict: pass, states, edges, depth, source, figures}` or `{verdict: violation, invariant, length}`. */
function checkExpectation(raw: unknown, path: readonly (string | number)[], bad: Bad): SpecExpectation | undefined {
  if (raw === 'pass') return { verdict: 'success' };
  const what = 'pass, {verdict: pass, states, edges, depth, source} or {verdict: violation, invariant, length}';
  if (!isRecord(raw)) {
    bad(path, what, raw);
    return undefined;
  }
  const fields =
    raw.verdict === 'pass'
      ? ['verdict', 'states', 'edges', 'depth', 'source', 'figures']
      : raw.verdict === 'violation'
        ? ['verdict', 'invariant', 'length']
        : undefined;
  if (fields === undefined) {
    bad([...path, 'verdict'], 'pass or violation', raw.verdict);
    return undefined;
  }
  let ok = true;
  for (const key of Object.keys(raw)) {
    if (!fields.includes(key)) {
      bad([...path, key], `no such field (the fields are ${fields.join(', ')})`, raw[key]);
      ok = false;
    }
  }
  const count = (key: string, required: boolean): number | undefined => {
    const v = raw[key];
    if (v === undefined && !required) return undefined;
    if (!isCount(v)) {
      bad([...path, key], 'a whole number', v);
      ok = false;
      return undefined;
    }
    return v;
  };
  if (raw.verdict === 'pass') {
    const states = count('states', false);
    const edges = count('edges', false);
    const depth = count('depth', false);
    if (raw.source !== undefined && typeof raw.source !== 'string') {
      bad([...path, 'source'], 'a string: where the figures come from', raw.source);
      ok = false;
    }
    const figures = checkFigures(raw.figures, [...path, 'figures'], bad);
    if (figures === null) ok = false;
    if (!ok) return undefined;
    return {
      verdict: 'success',
      ...(figures ? { figures } : {}),
      ...(states !== undefined ? { states } : {}),
      ...(edges !== undefined ? { edges } : {}),
      ...(depth !== undefined ? { depth } : {}),
      ...(typeof raw.source === 'string' ? { source: raw.source } : {}),
    };
  }
  const invariant = raw.invariant;
  const ids = invariantIds();
  if (typeof invariant !== 'string' || !ids.includes(invariant)) {
    bad([...path, 'invariant'], `one of ${ids.join(', ')}`, invariant);
    ok = false;
  }
  const length = count('length', true);
  if (!ok || length === undefined) return undefined;
  return { verdict: 'invariant-violated', invariant: invariant as string, traceLength: length };
}

/** The line (1-based) of the node at `path` in `doc`, or of its nearest ancestor that exists. */
function lineOf(doc: Document, lines: LineCounter, path: readonly (string | number)[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range !== undefined) return lines.linePos(node.range[0]).line;
    if (n === 0 && doc.contents !== null) {
      const r = (doc.contents as { range?: [number, number, number] }).range;
      if (r !== undefined) return lines.linePos(r[0]).line;
    }
  }
  return undefined;
}

/** The specs a YAML text holds (`file` names it in errors). Throws `SpecFileError` naming the first problems. */
export function parseSpecFile(text: string, file: string): Spec[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
  if (!Array.isArray(docs)) throw new SpecFileError(`${file}: expected YAML spec documents, got an empty stream`);
  const specs: Spec[] = [];
  const messages: string[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      const e = doc.errors[0] as { message: string; pos: [number, number] };
      const at = lines.linePos(e.pos[0]).line;
      messages.push(
        `${file}${at !== undefined ? `:${at}` : ''}: YAML: expected valid YAML, got ${e.message.split('\n')[0]}`,
      );
      continue;
    }
    if (doc.contents === null) continue; // an empty document (a trailing ---)
    const r = checkSpec(doc.toJS(), file);
    for (const p of r.problems) {
      const at = lineOf(doc, lines, p.path);
      const field = p.path.length === 0 ? 'spec' : p.path.map((x) => String(x)).join('.');
      messages.push(`${file}${at !== undefined ? `:${at}` : ''}: ${field}: expected ${p.expected}, got ${p.got}`);
    }
    specs.push(...r.specs);
  }
  if (messages.length > 0) throw new SpecFileError(messages.join('\n'));
  if (specs.length === 0) throw new SpecFileError(`${file}: spec: expected at least one spec, got nothing`);
  return specs;
}

/** Reads and parses one spec file. */
export function loadSpecFile(file: string): Spec[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new SpecFileError(
      `${file}: expected a readable spec file, got ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  return parseSpecFile(text, file);
}

/** The spec files under a directory (`.yaml`, `.yml`), sorted by path. */
export function specFilesIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Whether `arg` names a file or directory (else it is a spec name). */
export function isPath(arg: string): boolean {
  try {
    statSync(arg);
    return true;
  } catch {
    return false;
  }
}

/**
 * Loads the scheme files the spec files under `paths` name in `bounds.schemes` (paths relative to the spec
 * file), so that parsing them (sync) finds the schemes registered. A file that does not parse is left for
 * the parser to report.
 */
export async function loadSpecSchemes(paths: readonly string[]): Promise<void> {
  const files = paths.flatMap((p) => (statSync(p).isDirectory() ? specFilesIn(p) : [p]));
  for (const file of files) {
    let docs: unknown[];
    try {
      docs = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => (d as Document).toJS());
    } catch {
      continue;
    }
    for (const doc of docs) {
      const schemes = isRecord(doc) && isRecord(doc.bounds) ? doc.bounds.schemes : undefined;
      if (!Array.isArray(schemes)) continue;
      for (const x of schemes) {
        if (typeof x === 'string' && isSchemePath(x)) await loadSchemeFile(x, dirname(file), `${file}: bounds.schemes`);
      }
    }
  }
}

/** The specs of files and directories (every spec file under a directory), in the order given. */
export function loadSpecPaths(paths: readonly string[]): Spec[] {
  return paths.flatMap((p) => (statSync(p).isDirectory() ? specFilesIn(p).flatMap(loadSpecFile) : loadSpecFile(p)));
}
