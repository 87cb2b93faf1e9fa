/**
 * The trace page in a real browser: headless Chromium (the system's, /usr/bin/chromium or $CHROMIUM) driven
 * by playwright-core. The page loads without console errors, → walks every step (and ←, j/k, Home/End move
 * as they say), each step's highlighted fields are the text trace's change lines, and a screenshot is not
 * blank. Without Chromium: one visible SKIP line (.ci/run installs it).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateSync } from 'node:zlib';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SPECS } from '../../specs/index.js';
import { runSteps } from '../app/run.js';
import { renderRun } from '../cli/renderCommands.js';
import { makeConfig } from '../model/configure.js';
import { PRESETS } from '../model/presets.js';
import { traceFromJson } from './fromItf.js';
import { changeKey, pageHtml } from './html.js';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const missing = existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM}`;

/** A script's text trace (the replay's change lines) and its page, written to a file. */
interface Case {
  readonly name: string;
  readonly changes: readonly (readonly string[])[];
  readonly file: string;
}

const dir = mkdtempSync(join(tmpdir(), 'foliocheck-browser-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function scriptCase(name: string, bounds: Parameters<typeof makeConfig>[0], script: string, n: number): Case {
  const cfg = makeConfig(bounds, 'replay');
  const run = runSteps(cfg, script, name);
  const file = join(dir, `trace-${n}.html`);
  writeFileSync(file, pageHtml(traceFromJson(renderRun(run, cfg).json)));
  return { name, changes: run.run.replay.steps.map((s) => s.changes), file };
}

/** A few scripted specs that touch huge PMDs, VMAs and pins; swap and contents; a scheme's words. */
function cases(): Case[] {
  const want = [/PMD-mapped THP/, /mremap/, /dontfork/, /pin/];
  const out = want.map((re, n) => {
    const s = SPECS.find((x) => x.script !== undefined && re.test(`${x.name} ${x.script}`));
    if (s?.script === undefined) throw new Error(`no scripted spec matches ${re}`);
    return scriptCase(s.name, s.bounds, s.script, n);
  });
  const more = [
    ['whole-model', 'write(0,0); fork(0); pageout(0,0,1); read(1,0); write(0,0); mremap(0,0,1,2); exit(1)'],
    ['core-tuple', 'fault(0,0); fork(0); pin(1,0); wp(0,0)'],
  ] as const;
  return [...out, ...more.map(([p, script], n) => scriptCase(`${p}: ${script}`, PRESETS[p], script, 90 + n))];
}

/** The little of the DOM the page functions below use (the project's types have no DOM library). */
interface El {
  readonly hidden: boolean;
  readonly dataset: Record<string, string | undefined>;
  querySelectorAll(selector: string): Iterable<El>;
  querySelector(selector: string): El | null;
  getBoundingClientRect(): { readonly width: number };
}
interface Win {
  readonly document: El;
  getComputedStyle(e: El): { readonly backgroundColor: string };
}

/** The visible step's number and the `data-field` of its highlighted cells. */
async function visible(page: Page): Promise<{ step: number; fields: string[]; shown: number }> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as Win).document;
    const open = [...doc.querySelectorAll('section.step')].filter((s) => !s.hidden);
    const sec = open[0] as El;
    const changed = [...sec.querySelectorAll('.changed')];
    return {
      step: open.length === 1 ? Number(sec.dataset.step) : -1,
      fields: changed.map((c) => c.dataset.field ?? ''),
      shown: changed.filter((c) => c.getBoundingClientRect().width > 0).length,
    };
  });
}

/** The distinct colours of a PNG (8-bit RGB or RGBA, not interlaced, as Chromium writes screenshots). */
function pngColours(png: Buffer): number {
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const bpp = png[25] === 6 ? 4 : 3;
  expect(png[24]).toBe(8);
  const idat: Buffer[] = [];
  for (let o = 8; o < png.length; ) {
    const len = png.readUInt32BE(o);
    if (png.toString('ascii', o + 4, o + 8) === 'IDAT') idat.push(png.subarray(o + 8, o + 8 + len));
    o += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  let prev = Buffer.alloc(stride);
  const colours = new Set<number>();
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)] as number;
    const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? (line[x - bpp] as number) : 0;
      const b = prev[x] as number;
      const c = x >= bpp ? (prev[x - bpp] as number) : 0;
      const p = a + b - c;
      const pa = Math.abs(p - a);
      const pb = Math.abs(p - b);
      const pc = Math.abs(p - c);
      const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      const add = [0, a, b, (a + b) >> 1, paeth][filter] as number;
      line[x] = ((line[x] as number) + add) & 0xff;
    }
    for (let x = 0; x < stride; x += bpp) colours.add(line.readUIntBE(x, 3));
    prev = line;
  }
  return colours.size;
}

// Declared only where it applies, so that a machine with Chromium reports no skipped test.
if (missing !== undefined) {
  describe('the trace page in Chromium (not available here)', () => {
    test('SKIP: browser test of the trace page', () => {
      process.stdout.write(`SKIP: browser test of foliocheck view: ${missing} (apt-get install chromium)\n`);
      expect(missing).toMatch(/./);
    });
  });
}

describe.runIf(missing === undefined)('the trace page in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM });
  });
  afterAll(async () => browser?.close());

  test('loads without console errors; → walks every step, highlighting the text trace’s changes', async () => {
    const all = cases();
    expect(all.length).toBeGreaterThan(4);
    for (const c of all) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(c.file).href);
      for (let n = 0; n <= c.changes.length; n++) {
        const v = await visible(page);
        expect(v.step, `${c.name}: step ${n}`).toBe(n);
        const keys = n === 0 ? [] : (c.changes[n - 1] ?? []).map(changeKey).filter((k) => k !== undefined);
        expect(new Set(v.fields), `${c.name}: step ${n}`).toEqual(new Set(keys));
        expect(v.shown).toBe(v.fields.length);
        await page.keyboard.press('ArrowRight');
      }
      const last = c.changes.length;
      expect((await visible(page)).step, '→ at the last step stays there').toBe(last);
      const moves: [string, number][] = [
        ['Home', 0],
        ['ArrowLeft', 0],
        ['j', Math.min(1, last)],
        ['End', last],
        ['k', Math.max(0, last - 1)],
      ];
      for (const [key, step] of moves) {
        await page.keyboard.press(key);
        expect((await visible(page)).step, `${c.name}: ${key}`).toBe(step);
      }
      expect(errors, c.name).toEqual([]);
      await page.close();
    }
  });

  test('the address names the step: #N opens step N, and moving updates it', async () => {
    const c = cases()[0] as Case;
    expect(c.changes.length).toBeGreaterThan(2);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${pathToFileURL(c.file).href}#2`);
    expect((await visible(page)).step).toBe(2);
    await page.keyboard.press('ArrowRight');
    // The page's replaceState reaches Playwright's idea of the URL a moment later (a same-document
    // navigation event): read at once, it was still #2 once in CI.
    await expect.poll(() => new URL(page.url()).hash, { timeout: 5000 }).toBe('#3');
    await page.goto(`${pathToFileURL(c.file).href}#999`);
    expect((await visible(page)).step, 'past the end: the last step').toBe(c.changes.length);
    await page.close();
  });

  test('a highlighted cell stands out, and a screenshot is not blank', async () => {
    const c = cases().at(-1) as Case;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(pathToFileURL(c.file).href);
    await page.keyboard.press('End');
    const colours = await page.evaluate(() => {
      const win = globalThis as unknown as Win;
      const sec = [...win.document.querySelectorAll('section.step')].find((s) => !s.hidden);
      const changed = sec?.querySelector('.changed');
      const plain = sec?.querySelector('td:not(.changed)');
      return [changed, plain].map((e) => (e ? win.getComputedStyle(e).backgroundColor : ''));
    });
    expect(colours[0]).not.toBe(colours[1]);
    const png = await page.screenshot();
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(pngColours(png)).toBeGreaterThan(8);
    await page.close();
  });
});
