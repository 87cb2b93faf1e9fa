/**
 * The layout is the architecture: import directions, no cycles, and the header of every modelled
 * kernel function.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)))
    .sort();
}

const isTest = (f: string): boolean => f.endsWith('.test.ts');

/** Module specifiers of static imports and re-exports (`import ... from '...'`, `export ... from '...'`). */
function importsOf(source: string): string[] {
  const out: string[] = [];
  const re = /^\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm;
  for (const m of source.matchAll(re)) out.push((m[1] ?? m[2]) as string);
  return out;
}

/** The repository file a relative specifier names (`./x.js` is `./x.ts`); undefined for packages. */
function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return relative(ROOT, resolve(ROOT, dirname(from), spec)).replace(/\.js$/, '.ts');
}

const SOURCES = [...tsFiles('src'), ...tsFiles('specs')];
const GRAPH = new Map(
  SOURCES.map((f) => [
    f,
    importsOf(readFileSync(join(ROOT, f), 'utf8'))
      .map((s) => resolveImport(f, s))
      .filter((x): x is string => x !== undefined),
  ]),
);

/** Every import cycle's files, each cycle once (depth-first search, colouring files on the current path). */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (f: string): void => {
    state.set(f, 'open');
    path.push(f);
    for (const g of graph.get(f) ?? []) {
      if (state.get(g) === 'open') found.push(path.slice(path.indexOf(g)));
      else if (state.get(g) === undefined && graph.has(g)) visit(g);
    }
    path.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) if (state.get(f) === undefined) visit(f);
  return found;
}

/**
 * The layers of src/model, bottom up: a file may import from its own folder and from lower layers. The
 * kernel layer (include/, mm/, kernel/) is one layer, as the kernel's own headers and mm/ are.
 */
const MODEL_LAYERS: readonly (readonly string[])[] = [
  ['eras'],
  ['config'],
  ['state'],
  ['recount', 'debug', 'coverage'],
  ['mapcount'],
  // The decision points' queries (decide.ts) and their counted consequences, which the kernel layer asks.
  ['decide'],
  ['consequences'],
  ['include', 'mm', 'kernel'],
  ['invariants'],
  ['steps'],
  ['policies'],
  ['actions', 'bounds', 'presets'],
  ['configure'],
];
const KERNEL_LAYER = new Set(['include', 'mm', 'kernel']);

/** The folder (or root module) of a file of src/model: `mm` for src/model/mm/memory/x.ts, `config` for config.ts. */
function modelUnit(f: string): string {
  const rest = f.slice('src/model/'.length);
  return rest.includes('/') ? (rest.split('/')[0] as string) : rest.replace(/\.ts$/, '');
}

function rank(unit: string): number {
  const r = MODEL_LAYERS.findIndex((layer) => layer.includes(unit));
  if (r < 0) throw new Error(`src/model/${unit} is in no layer of MODEL_LAYERS: add it where it belongs`);
  return r;
}

describe('architecture: the layout is the architecture', () => {
  it('the import parser sees imports, re-exports and multi-line import lists', () => {
    const src = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      'import {',
      '  c,',
      '  d,',
      "} from './c.js';",
      "export { e } from './e.js';",
      "import './side-effect.js';",
      "import fc from 'fast-check';",
    ].join('\n');
    expect(importsOf(src)).toEqual(['./a.js', '../b.js', './c.js', './e.js', './side-effect.js', 'fast-check']);
  });

  it('every relative import names a file of the repository', () => {
    for (const [f, deps] of GRAPH)
      for (const d of deps) expect(GRAPH.has(d) || d.startsWith('test/'), `${f} -> ${d}`).toBe(true);
  });

  it('src/checker imports nothing from the model, spec.ts or the CLI', () => {
    const checker = SOURCES.filter((f) => f.startsWith('src/checker/'));
    expect(checker.length).toBeGreaterThan(0);
    for (const f of checker) {
      for (const d of GRAPH.get(f) ?? []) {
        expect(d.startsWith('src/checker/'), `${f} imports ${d}`).toBe(true);
      }
    }
  });

  it('src/model imports neither the checker, spec.ts nor the CLI', () => {
    for (const f of SOURCES.filter((x) => x.startsWith('src/model/') && !isTest(x))) {
      for (const d of GRAPH.get(f) ?? []) expect(d.startsWith('src/model/'), `${f} imports ${d}`).toBe(true);
    }
  });

  it('src/model/state (the state layer, below include/) imports only config.ts, eras.ts and its own files', () => {
    const allowed = new Set(['src/model/config.ts', 'src/model/eras.ts']);
    const layer = SOURCES.filter((f) => f.startsWith('src/model/state/') && !isTest(f));
    expect(layer).toContain('src/model/state/schema.ts');
    for (const f of layer) {
      for (const d of GRAPH.get(f) ?? []) {
        expect(d.startsWith('src/model/state/') || allowed.has(d), `${f} imports ${d}`).toBe(true);
      }
    }
  });

  it('src/app (the use cases) imports nothing from the CLI, and the CLI runs no search itself', () => {
    const app = SOURCES.filter((f) => f.startsWith('src/app/'));
    expect(app.length).toBeGreaterThan(0);
    for (const f of app)
      for (const d of GRAPH.get(f) ?? []) expect(d.startsWith('src/cli/'), `${f} imports ${d}`).toBe(false);
    const drivers = ['src/checker/explore.ts', 'src/checker/simulate.ts'];
    for (const f of SOURCES.filter((x) => x.startsWith('src/cli/') && !isTest(x))) {
      for (const d of GRAPH.get(f) ?? []) expect(drivers.includes(d), `${f} imports ${d}`).toBe(false);
    }
  });

  it('src/model is layered: each folder imports only from the layers below it (the kernel layer excepted)', () => {
    const broken: string[] = [];
    for (const [f, deps] of GRAPH) {
      if (!f.startsWith('src/model/') || isTest(f)) continue;
      const from = modelUnit(f);
      for (const d of deps) {
        if (!d.startsWith('src/model/')) continue;
        const to = modelUnit(d);
        if (from === to) continue;
        const ok = rank(to) < rank(from) || (rank(to) === rank(from) && KERNEL_LAYER.has(from));
        if (!ok) broken.push(`${f} (${from}) imports ${d} (${to})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("no folder-level import cycle in src/model but the kernel's own include/mm pair", () => {
    const folders = new Map<string, string[]>();
    for (const [f, deps] of GRAPH) {
      if (!f.startsWith('src/model/') || isTest(f)) continue;
      const from = modelUnit(f);
      const to = deps.filter((d) => d.startsWith('src/model/')).map(modelUnit);
      folders.set(from, [...new Set([...(folders.get(from) ?? []), ...to.filter((u) => u !== from)])]);
    }
    const found = cycles(folders).map((c) => [...c].sort().join(' <-> '));
    expect(found.filter((c) => c !== 'include <-> mm')).toEqual([]);
  });

  it('there is no import cycle among src/ and specs/', () => {
    expect(cycles(GRAPH).map((c) => c.join(' -> '))).toEqual([]);
  });

  it('the cycle finder finds a cycle', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cycles(g)).toEqual([['a', 'b', 'c']]);
  });

  it('every file under src/model/mm/ and src/model/kernel/ opens with a header comment that says what it Models:', () => {
    const modelled = [...tsFiles('src/model/mm'), ...tsFiles('src/model/kernel')].filter((f) => !isTest(f));
    expect(modelled.length).toBeGreaterThan(0);
    for (const f of modelled) {
      const header = /^\/\*\*?([\s\S]*?)\*\//.exec(readFileSync(join(ROOT, f), 'utf8'));
      expect(header?.[1], `${f} does not open with a comment`).toBeDefined();
      expect(header?.[1] ?? '', `${f}: header without Models:`).toMatch(/^\s*\*\s*Models:/m);
    }
  });
});
