/**
 * Mapcount schemes from files outside the repository: `--scheme ./my-scheme.js` (and a spec file's
 * `schemes:`) imports the file, checks that it exports a `MapcountScheme` (default export, or one named
 * `scheme`), and registers it (model/mapcount/index.ts): from then on its name works like a project
 * scheme's. Worker threads (parallel search, matrix) load the same files by URL before they build a system.
 * The contract a scheme must keep is docs/schemes.md.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { INVARIANTS } from './model/invariants/index.js';
import { type MapcountScheme, registerScheme, SCHEMES, schemeSource } from './model/mapcount/index.js';

/** A scheme file that cannot be loaded: one line naming the file and what was expected. */
export class SchemeFileError extends Error {
  override name = 'SchemeFileError';
}

/** Whether a `--scheme` item is a file rather than a scheme name: it has a `/` or ends in .js or .mjs. */
export function isSchemePath(item: string): boolean {
  return item.includes('/') || /\.m?js$/.test(item);
}

const FUNCTIONS = ['add', 'remove', 'folio_mapcount', 'holds', 'explain'] as const;
const OPTIONAL = ['folio_maybe_mapped_shared', 'observe', 'report', 'figure'] as const;
const NAME = /^[a-z][a-z0-9_-]*$/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

const shown = (x: unknown): string => {
  if (typeof x === 'function') return 'a function';
  if (x === undefined) return 'nothing';
  const s = JSON.stringify(x) ?? String(x);
  return s.length > 60 ? `${s.slice(0, 60)}...` : s;
};

/** What is wrong with an export as a scheme (the first problem), or undefined if nothing is. */
export function schemeProblem(x: unknown): string | undefined {
  if (typeof x !== 'object' || x === null) return `expected an object (a MapcountScheme), got ${shown(x)}`;
  const s = x as Record<string, unknown>;
  if (typeof s.name !== 'string' || !NAME.test(s.name))
    return `name: expected a scheme name (lower case, digits, - or _), got ${shown(s.name)}`;
  if (typeof s.summary !== 'string' || s.summary.trim() === '')
    return `summary: expected a non-empty string, got ${shown(s.summary)}`;
  if (typeof s.invariant !== 'string' || !IDENT.test(s.invariant))
    return `invariant: expected an invariant name (an identifier), got ${shown(s.invariant)}`;
  if (typeof s.smallFolios !== 'boolean') return `smallFolios: expected true or false, got ${shown(s.smallFolios)}`;
  if (!Array.isArray(s.words) || s.words.length === 0)
    return `words: expected a non-empty list of { name, min(cfg), max(cfg) }, got ${shown(s.words)}`;
  for (const [i, w] of (s.words as unknown[]).entries()) {
    const word = w as Record<string, unknown> | null;
    if (typeof word !== 'object' || word === null || typeof word.name !== 'string' || word.name === '')
      return `words[${i}]: expected { name, min(cfg), max(cfg) } with a non-empty name, got ${shown(w)}`;
    if (typeof word.min !== 'function' || typeof word.max !== 'function')
      return `words[${i}] (${word.name}): expected min and max as functions of the bounds, got ${shown(word.min)} and ${shown(word.max)}`;
  }
  for (const f of FUNCTIONS) if (typeof s[f] !== 'function') return `${f}: expected a function, got ${shown(s[f])}`;
  for (const f of OPTIONAL)
    if (s[f] !== undefined && typeof s[f] !== 'function')
      return `${f}: expected a function or nothing, got ${shown(s[f])}`;
  return undefined;
}

/**
 * Loads a scheme file (a path, relative to `base`) and registers its scheme; returns the scheme's name.
 * Loading the same file again returns the name it registered. Throws SchemeFileError, naming the file.
 */
export async function loadSchemeFile(path: string, base = process.cwd(), flag = '--scheme'): Promise<string> {
  const file = resolve(base, path);
  const where = `${flag}: ${path}`;
  let isFile = false;
  try {
    isFile = statSync(file).isFile();
  } catch {
    throw new SchemeFileError(`${where}: expected a scheme file (.js or .mjs), got no such file`);
  }
  if (!isFile) throw new SchemeFileError(`${where}: expected a scheme file (.js or .mjs), got not a regular file`);
  const url = pathToFileURL(file).href;
  const known = SCHEMES.find((s) => schemeSource(s.name) === url);
  if (known !== undefined) return known.name;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new SchemeFileError(
      `${where}: expected a JavaScript module exporting a MapcountScheme, got an error: ${why}`,
    );
  }
  const scheme = mod.default ?? mod.scheme;
  if (scheme === undefined) {
    throw new SchemeFileError(
      `${where}: expected a MapcountScheme as the default export or an export named scheme, got neither`,
    );
  }
  const problem = schemeProblem(scheme);
  if (problem !== undefined) throw new SchemeFileError(`${where}: ${problem}`);
  const s = scheme as MapcountScheme;
  if (SCHEMES.some((x) => x.name === s.name)) {
    throw new SchemeFileError(`${where}: name: expected a name no other scheme has, got ${JSON.stringify(s.name)}`);
  }
  const invariants = [...INVARIANTS.map((i) => i.name), ...SCHEMES.map((x) => x.invariant)];
  if (invariants.includes(s.invariant)) {
    throw new SchemeFileError(
      `${where}: invariant: expected a name no other invariant has, got ${JSON.stringify(s.invariant)}`,
    );
  }
  registerScheme(s, url);
  return s.name;
}

/** The name of the scheme loaded from `path` (relative to `base`), or undefined if none was. */
export function loadedSchemeName(path: string, base: string): string | undefined {
  const url = pathToFileURL(resolve(base, path)).href;
  return SCHEMES.find((s) => schemeSource(s.name) === url)?.name;
}

/** `--scheme` list text with each file item loaded and replaced by its scheme's name. */
export async function resolveSchemeList(list: string, base = process.cwd()): Promise<string> {
  const items = list.split(',').map((x) => x.trim());
  const out: string[] = [];
  for (const item of items) out.push(isSchemePath(item) ? await loadSchemeFile(item, base) : item);
  return out.join(',');
}

/**
 * Command-line arguments with every file item of `--scheme` loaded and replaced by its scheme's name, so
 * that every command (explore, run, simulate, matrix) takes it as a name.
 */
export async function loadSchemeArgs(argv: readonly string[]): Promise<string[]> {
  const out = [...argv];
  for (let i = 0; i < out.length; i++) {
    const a = out[i] as string;
    if (a === '--') break;
    if (a === '--scheme' && i + 1 < out.length) {
      out[i + 1] = await resolveSchemeList(out[i + 1] as string);
      i += 1;
    } else if (a.startsWith('--scheme=')) out[i] = `--scheme=${await resolveSchemeList(a.slice('--scheme='.length))}`;
  }
  return out;
}

/** The files (URLs) of the loaded schemes among `names`: what a worker thread must load too. */
export function schemeFilesOf(names: readonly string[]): string[] {
  return names.flatMap((n) => schemeSource(n) ?? []);
}

/** Loads scheme files by URL (a worker thread, before it builds its system). */
export async function loadSchemeUrls(urls: readonly string[] = []): Promise<void> {
  for (const url of urls) {
    if (SCHEMES.some((s) => schemeSource(s.name) === url)) continue;
    const mod = (await import(url)) as Record<string, unknown>;
    registerScheme((mod.default ?? mod.scheme) as MapcountScheme, url);
  }
}
