/**
 * `foliocheck view FILE` and `--html OUT`: an ITF trace (a file, or the JSON a command would print) written
 * as one self-contained HTML page (view/html.ts).
 */
import { writeFileSync } from 'node:fs';
import { traceFromItf, traceFromJson } from '../view/fromItf.js';
import { pageHtml } from '../view/html.js';

/** Where `view FILE` writes by default: FILE with its `.json` (or any) extension replaced by `.html`. */
export function defaultHtmlPath(file: string): string {
  const m = /^(.*[^/])\.[^./]*$/.exec(file);
  return `${m?.[1] ?? file}.html`;
}

export interface PageWritten {
  readonly out: string;
  /** Steps after the initial state. */
  readonly steps: number;
}

/** Renders the ITF text `text` to `out`; throws `BadTrace` on a file that is no trace. */
export function viewText(text: string, out: string): PageWritten {
  const t = traceFromItf(text);
  writeFileSync(out, pageHtml(t));
  return { out, steps: t.steps.length };
}

/** Renders a command's JSON output (with its `itf` trace) to `out`. */
export function viewJson(json: unknown, out: string): PageWritten {
  const t = traceFromJson(json);
  writeFileSync(out, pageHtml(t));
  return { out, steps: t.steps.length };
}
