/**
 * The schemes' checks themselves (`holds`, `explain`): a counter one off from what the page tables say is
 * caught and explained, whatever the scheme, and each clause of mm-id's check catches the word it guards.
 * The laws in index.test.ts run correct schemes over random runs, where a check that always passed would
 * pass too; here the states are desynced on purpose.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { config, fault, fork, kernelAfter, pin, randomRun, zap } from '../../../test/helpers.js';
import type { Folio, Kernel, Page } from '../include/mm_types.js';
import { Truth } from '../recount/truth.js';
import { toPlain } from '../state/plain.js';
import { SCHEME_NAMES, type SchemeSlot, schemeSlots } from './index.js';

const cfg = config({
  mms: 2,
  va: 8,
  pt: 4,
  large: 4,
  slots: 6,
  pins: 1,
  map: 8,
  ops: ['fault', 'zap', 'fork', 'write', 'thp', 'split_pmd', 'pin', 'unpin'],
  era: '6.15',
  schemes: [...SCHEME_NAMES],
});

/**
 * Desyncs of a folio: each of the scheme's counting words one up (mm-id's owner slots and shared bit are
 * hints checked clause by clause below), and each of the kernel's per-page and entire mapcounts one up, which
 * count as a desync for the schemes whose folio_mapcount() reads them.
 */
function perturbations(folio: Folio, s: SchemeSlot): { edit: (f: Folio) => void; always: boolean }[] {
  const o = s.o;
  const words = s.scheme.name === 'mm-id' ? 1 : s.scheme.words.length;
  const out: { edit: (f: Folio) => void; always: boolean }[] = [];
  for (let i = 0; i < words; i++)
    out.push({
      edit: (f) => {
        f.mc[o + i] = (f.mc[o + i] as number) + 1;
      },
      always: true,
    });
  for (let p = 0; p < folio.nr_pages; p++)
    out.push({
      edit: (f) => {
        (f.pages[p] as Page)._mapcount = (f.pages[p] as Page)._mapcount + 1;
      },
      always: false,
    });
  out.push({
    edit: (f) => {
      f._entire_mapcount = f._entire_mapcount + 1;
    },
    always: false,
  });
  return out;
}

function checked(k: Kernel, slot: number, s: SchemeSlot): { holds: boolean; lines: string[] } {
  const t = new Truth(k.cfg);
  t.recount(k);
  return { holds: s.scheme.holds(k, t, slot, s.o), lines: s.scheme.explain(k, t, slot, s.o) };
}

describe("a scheme's check", () => {
  test.prop([fc.array(fc.nat(), { maxLength: 20 })], { numRuns: 25 })(
    'catches a counting word one off, or a page mapcount its folio_mapcount() reads, and explains it folio by folio',
    (choices) => {
      for (const k of randomRun(cfg, choices).states) {
        const t = new Truth(cfg);
        t.recount(k);
        for (let u = 0; u < t.nrUsed; u++) {
          const slot = t.used[u] as number;
          const folio = k.folio[slot] as Folio;
          for (const s of schemeSlots(cfg)) {
            if (folio.nr_pages <= 1 && !s.scheme.smallFolios) continue;
            if (!s.scheme.holds(k, t, slot, s.o)) continue; // an estimate may be off already (tuple-naive)
            for (const { edit, always } of perturbations(folio, s)) {
              const bad = toPlain(k);
              const f = bad.folio[slot] as Folio;
              edit(f);
              if (!always && s.scheme.folio_mapcount(f, s.o) === s.scheme.folio_mapcount(folio, s.o)) continue;
              const got = checked(bad, slot, s);
              expect(got.holds, `${s.scheme.name}: folio ${slot} desynced`).toBe(false);
              expect(got.lines.length, s.scheme.name).toBeGreaterThan(0);
              for (const line of got.lines) expect(line).toMatch(new RegExp(`^folio ${slot}[: ]`));
            }
          }
        }
      }
    },
  );
});

describe("mm-id's check, clause by clause", () => {
  const slotOf = (k: Kernel): number => k.folio.findIndex((f) => f.used && f.nr_pages > 1);
  const mmId = schemeSlots(cfg).find((s) => s.scheme.name === 'mm-id') as SchemeSlot;
  // Words: _large_mapcount, (_mm_id, _mm_id_mapcount) x 2, maybe_mapped_shared.
  const [M, ID0, C0, ID1, C1, S] = [0, 1, 2, 3, 4, 5];
  const shared = kernelAfter(cfg, [fault(0, 0), fork(0)]); // a large folio mapped by two mms
  const unmapped = kernelAfter(cfg, [fault(0, 0), pin(0, 0), zap(0, 0, 4)]); // held by a pin only

  const cases: readonly [string, Kernel, (w: number[]) => void][] = [
    ['holds in the states below as they are', shared, () => {}],
    [
      'an owner with no count',
      shared,
      (w) => {
        w[C0] = 0;
      },
    ],
    [
      'a count with no owner',
      shared,
      (w) => {
        w[ID0] = 0;
      },
    ],
    [
      "a count above the owner's mappings",
      shared,
      (w) => {
        w[C0] = (w[C0] as number) + 1;
      },
    ],
    [
      'the same mm in both slots',
      shared,
      (w) => {
        w[ID1] = w[ID0] as number;
      },
    ],
    [
      'the shared bit clear while two mms map it',
      shared,
      (w) => {
        w[S] = 0;
      },
    ],
    [
      'the shared bit set while nothing maps it',
      unmapped,
      (w) => {
        w[S] = 1;
      },
    ],
  ];
  for (const [what, base, edit] of cases) {
    it(what === cases[0]?.[0] ? what : `catches ${what}`, () => {
      const k = toPlain(base);
      const slot = slotOf(k);
      expect(slot).toBeGreaterThanOrEqual(0);
      const words = (k.folio[slot] as Folio).mc;
      const w = Array.from({ length: 6 }, (_, i) => words[mmId.o + i] as number);
      edit(w);
      w.forEach((v, i) => {
        words[mmId.o + i] = v;
      });
      const got = checked(k, slot, mmId);
      expect(got.holds).toBe(what === cases[0]?.[0]);
      expect(got.lines[0]).toMatch(
        new RegExp(
          `^folio ${slot}: _large_mapcount ${w[M]}, slots \\(${w[ID0]}, ${w[C0]}\\) \\(${w[ID1]}, ${w[C1]}\\), shared bit ${w[S]}$`,
        ),
      );
    });
  }
});
