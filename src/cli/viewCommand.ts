/**
 * `foliocheck view FILE [--html OUT]`, and the `--html OUT` of run, explore and simulate: the trace a
 * command prints (its `--json` output's `itf`) or an ITF file, written as one HTML page (src/app/view.ts).
 */
import { readFileSync } from 'node:fs';
import { defaultHtmlPath, viewJson, viewText } from '../app/view.js';
import { BoundsRejected } from '../model/config.js';
import { BadTrace } from '../view/fromItf.js';
import { UsageError } from './usageError.js';

/** `--html OUT`: the page of the trace in `json` (the command's --json output), if it has one. */
export function writeHtml(out: string | undefined, json: unknown): void {
  if (out === undefined) return;
  if (typeof json !== 'object' || json === null || !('itf' in json)) {
    process.stderr.write('foliocheck: --html: no trace to show, no page written\n');
    return;
  }
  try {
    viewJson(json, out);
  } catch (e) {
    throw new UsageError(`--html: ${out}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** `view FILE [--html OUT]`: an ITF file (or a --json output holding one) as an HTML page. */
export function cmdView(file: string, o: { html?: string }): number {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${file}: cannot read: ${e instanceof Error ? e.message : String(e)}`);
  }
  const out = o.html ?? defaultHtmlPath(file);
  try {
    const w = viewText(text, out);
    process.stdout.write(`${out}: ${w.steps} step${w.steps === 1 ? '' : 's'}\n`);
    return 0;
  } catch (e) {
    if (e instanceof BadTrace || e instanceof BoundsRejected) throw new UsageError(`${file}: ${e.message}`);
    throw new UsageError(`${out}: cannot write: ${e instanceof Error ? e.message : String(e)}`);
  }
}
