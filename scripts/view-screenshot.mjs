// Regenerates docs/view.png, the README's picture of `foliocheck view`: a script's trace written with
// --html and photographed at its last step in headless Chromium (playwright-core driving the system's
// chromium). Run after `npm run build`: node scripts/view-screenshot.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const STEPS = 'write(0,0); fork(0); pageout(0,0,1); read(1,0); write(0,0); mremap(0,0,1,2)';
const page = join(mkdtempSync(join(tmpdir(), 'foliocheck-view-')), 'trace.html');
execFileSync('node', ['dist/src/cli/bin.js', 'run', '--steps', STEPS, '--preset', 'whole-model', '--html', page]);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium' });
try {
  const tab = await browser.newPage({ viewport: { width: 1200, height: 720 } });
  await tab.goto(pathToFileURL(page).href);
  // Step 3, MADV_PAGEOUT: PTEs become swap entries, a folio is freed, a swap slot filled.
  for (let i = 0; i < 3; i++) await tab.keyboard.press('ArrowRight');
  await tab.screenshot({ path: 'docs/view.png' });
} finally {
  await browser.close();
}
process.stdout.write('docs/view.png written\n');
