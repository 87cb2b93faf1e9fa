/**
 * The trace page without a browser: every scripted regression spec's trace read back from its `--json`
 * output gives the text trace's own change lines, and its page has every step with exactly those fields
 * highlighted; strings are escaped; a file that is no trace is refused.
 */
import { describe, expect, it } from 'vitest';
import { SPECS } from '../../specs/index.js';
import { runSteps } from '../app/run.js';
import { renderRun } from '../cli/renderCommands.js';
import { makeConfig } from '../model/configure.js';
import { PRESETS, type PresetName } from '../model/presets.js';
import type { Spec } from '../spec.js';
import { BadTrace, traceFromItf, traceFromJson } from './fromItf.js';
import { changeKey, esc, pageHtml } from './html.js';

/** Scripts under presets no spec scripts: no VMA tracking, a scheme's words, swap with contents. */
const PRESET_SCRIPTS: readonly (readonly [PresetName, string])[] = [
  ['core-safe', 'fault(0,0); fork(0); pin(1,0); wp(0,0)'],
  ['core-safe', 'fault(0,0); fork(0); pin(0,1); zap(0,2,2); zap(1,0,4); unpin(0); zap(0,0,1)'],
  ['core-tuple', 'fault(0,0); fork(0); pin(1,0); wp(0,0)'],
  ['whole-model', 'write(0,0); fork(0); pageout(0,0,1); read(1,0); write(0,0); mremap(0,0,1,2); exit(1)'],
];

/**
 * Every scripted spec at the search's geometry, and the scripts above. The 2 MiB specs (1,024 PTEs per mm)
 * would make this file the suite's slowest; one of them is viewed in src/cli/traceFile.test.ts.
 */
const SCRIPTED: readonly Pick<Spec, 'name' | 'bounds' | 'script'>[] = [
  ...SPECS.filter((s) => s.script !== undefined && s.bounds.pt <= 64),
  ...PRESET_SCRIPTS.map(([p, script]) => ({ name: `${p}: ${script}`, bounds: PRESETS[p], script })),
];

/** The replay of a spec's script and the `run --json` output of it. */
function scriptRun(spec: Pick<Spec, 'name' | 'bounds' | 'script'>): {
  run: ReturnType<typeof runSteps>;
  json: { itf: unknown };
} {
  const cfg = makeConfig(spec.bounds, 'replay');
  const run = runSteps(cfg, spec.script as string, spec.name);
  return { run, json: renderRun(run, cfg).json as { itf: unknown } };
}

const unesc = (s: string): string =>
  s.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? e,
  );

/** Per step section of a page: the `data-field` of every cell marked `changed`. */
function highlighted(html: string): string[][] {
  return html
    .split('<section class="step"')
    .slice(1)
    .map((sec) =>
      [...sec.matchAll(/<\w+ class="[^"]*\bchanged\b[^"]*" data-field="([^"]*)"/g)].map((m) => unesc(m[1] as string)),
    );
}

const keysOf = (lines: readonly string[]): string[] => lines.map(changeKey).filter((k): k is string => k !== undefined);

describe('view: a trace read back from its ITF states', () => {
  it(`gives the text trace's steps and change lines for each of the ${SCRIPTED.length} scripted specs`, () => {
    expect(SCRIPTED.length).toBeGreaterThan(50);
    for (const spec of SCRIPTED) {
      const { run, json } = scriptRun(spec);
      const t = traceFromJson(json);
      const text = run.run.replay.steps;
      expect(
        t.steps.map((s) => [s.label, s.call, s.changes]),
        spec.name,
      ).toEqual(text.map((s) => [s.label, s.call, s.changes]));
    }
  });

  it('reads a bare ITF object and a --json output holding one alike', () => {
    const spec = SCRIPTED.find((s) => s.bounds.swap !== undefined && s.bounds.swap > 0) ?? (SCRIPTED[0] as Spec);
    const { json } = scriptRun(spec);
    const { note: _, ...bare } = traceFromJson(json);
    expect(pageHtml(traceFromItf(JSON.stringify(json.itf)))).toEqual(pageHtml(bare));
  });

  it('refuses what is no trace, saying why', () => {
    const { json } = scriptRun(SCRIPTED[0] as Spec);
    const itf = json.itf as { '#meta': Record<string, unknown>; states: Record<string, unknown>[] };
    const noBounds = { ...itf, '#meta': { format: 'ITF' } };
    const noVar = { ...itf, states: itf.states.map(({ mm: _, ...rest }) => rest) };
    const badAction = { ...itf, states: itf.states.map((s) => ({ ...s, 'mbt::actionTaken': 'bogus' })) };
    const cases: [string, RegExp][] = [
      ['{"itf": ', /not JSON/],
      ['{}', /expected an ITF trace/],
      [JSON.stringify({ ...itf, states: [] }), /expected an ITF trace/],
      [JSON.stringify(noBounds), /no bounds/],
      [JSON.stringify(noVar), /variable mm missing/],
      [JSON.stringify(badAction), /action bogus/],
    ];
    for (const [text, why] of cases) {
      expect(() => traceFromItf(text)).toThrow(BadTrace);
      expect(() => traceFromItf(text)).toThrow(why);
    }
  });
});

describe('view: the page', () => {
  it('has every step, and highlights exactly the fields each step’s change lines name', () => {
    let cells = 0;
    for (const spec of SCRIPTED) {
      const t = traceFromJson(scriptRun(spec).json);
      const html = pageHtml(t);
      const pages = highlighted(html);
      expect(pages, spec.name).toHaveLength(t.steps.length + 1);
      expect(html.match(/<li data-step="\d+"/g), spec.name).toHaveLength(t.steps.length + 1);
      expect(pages[0], `${spec.name}: the initial state changes nothing`).toEqual([]);
      t.steps.forEach((step, i) => {
        const shown = pages[i + 1] as string[];
        cells += shown.length;
        expect(new Set(shown), `${spec.name} step ${i + 1}`).toEqual(new Set(keysOf(step.changes)));
      });
    }
    expect(cells).toBeGreaterThan(1000);
  });

  it('escapes every string it is given', () => {
    const nasty = `<script>alert("x")</script> & 'q'`;
    const t = traceFromJson(scriptRun(SCRIPTED[0] as Spec).json);
    const step = t.steps[0];
    if (step === undefined) throw new Error('a spec without steps');
    const page = pageHtml({
      ...t,
      title: nasty,
      note: nasty,
      steps: [{ ...step, label: nasty, call: nasty, changes: [...step.changes, `${nasty}: a -> b`] }],
    });
    expect(page.match(/<script>/g)).toHaveLength(1);
    expect(page).not.toContain('alert("x")');
    expect(page).toContain(esc(nasty));
    expect(esc(nasty)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;');
  });

  it('is self-contained: no URL, no external file', () => {
    const html = pageHtml(traceFromJson(scriptRun(SCRIPTED[0] as Spec).json));
    expect(html).not.toMatch(/\b(src|href)=|https?:|@import|url\(/);
  });
});
