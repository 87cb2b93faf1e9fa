// mapping-mms: a mapcount scheme kept outside foliocheck, loaded with `--scheme ./mapping-mms.mjs`.
//
// One counter per large folio: how many mms map it (what folio_maybe_mapped_shared() wants to know, kept
// exactly instead of MM-ID's two owner slots). The rmap hooks scan the calling mm's page tables, which hold
// what the kernel's hold at that call (docs/schemes.md, "The hook contract"): a fault's new PTEs are set
// before its add, but fork's are written after; a removal's PTEs are already cleared. So each hook looks
// only outside the call's own entries: an mm starts mapping the folio at an add when it maps nothing else
// of it, and stops at a remove when nothing else of it is left.
//
// Try it:  foliocheck explore --scheme ./mapping-mms.mjs --ops fault,fork,zap,wp,mremap,thp,split_pmd \
//            --pt 2 --va 4 --large 2
//          foliocheck matrix --scheme ./mapping-mms.mjs

/** The counter: 0..mms. A value outside the range cannot be stored, so `add` clamps (docs/schemes.md). */
const MMS = { name: '_mapping_mms', min: () => 0, max: (cfg) => cfg.mms };

const clamp = (cfg, v) => Math.min(MMS.max(cfg), Math.max(MMS.min(cfg), v));

/**
 * Whether mm `c.m` maps folio slot `slot` anywhere but where the rmap call `c` maps: `c.nr` PTEs from
 * `c.addr`, or the huge PMD of the page table at `c.addr`. Leaving the call's own entries out makes the
 * answer the same whether the kernel wrote them before the call or writes them after (fork does the latter).
 */
function mapsElsewhere(k, c, slot) {
  const mm = k.mm[c.m];
  const pt = k.cfg.pt;
  const callTable = Math.floor(c.addr / pt);
  for (let t = 0; t * pt < mm.pte.length; t++) {
    const pmd = mm.pmd[t];
    if (pmd.huge) {
      if (pmd.folio === slot && !(c.level === 'pmd' && t === callTable)) return true;
      continue;
    }
    for (let a = t * pt; a < (t + 1) * pt; a++) {
      if (c.level === 'pte' && a >= c.addr && a < c.addr + c.nr) continue;
      const pte = mm.pte[a];
      if (pte.present && pte.folio === slot) return true;
    }
  }
  return false;
}

export default {
  name: 'mapping-mms',
  summary: 'the number of mms that map the folio, kept by scanning the calling mm (example scheme)',
  invariant: 'mappingMmsMatchesPageTables',
  smallFolios: false,
  words: [MMS],
  add(k, folio, o, c) {
    // Nothing else of the folio in this mm: the mm starts mapping it.
    if (!mapsElsewhere(k, c, k.folio.indexOf(folio))) folio.mc[o] = clamp(k.cfg, folio.mc[o] + 1);
  },
  remove(k, folio, o, c) {
    // Nothing else of the folio left in this mm: the mm stops mapping it.
    if (!mapsElsewhere(k, c, k.folio.indexOf(folio))) folio.mc[o] = clamp(k.cfg, folio.mc[o] - 1);
  },
  // Queries, from the words alone, as kernel code would read them.
  folio_mapcount: (folio, o) => folio.mc[o],
  folio_maybe_mapped_shared: (folio, o) => folio.mc[o] > 1,
  // Checked after every step against the recount of the page tables (no allocation: hot path).
  holds: (k, t, slot, o) => k.folio[slot].mc[o] === t.mmsMapping(slot),
  explain: (k, t, slot, o) => [
    `folio ${slot}: _mapping_mms ${k.folio[slot].mc[o]}, but ${t.mmsMapping(slot)} mms map it`,
  ],
};
