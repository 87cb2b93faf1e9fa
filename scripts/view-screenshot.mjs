// Regenerates docs/view.png, the README's picture of `foliocheck view`: a script's trace written with
// --html and photographed at its last step in headless Chromium (playwright-core driving the system's
// chromium). Run after `npm run build`: node scripts/view-screenshot.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const STEPS = 'fault(0,0); fork(0); pin(1,0); wp(0,0)';
const page = join(mkdtempSync(join(tmpdir(), 'foliocheck-view-')), 'trace.html');
execFileSync('node', ['dist/src/cli/bin.js', 'run', '--steps', STEPS, '--large', '2', '--html', page]);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium' });
try {
  const tab = await browser.newPage({ viewport: { width: 1280, height: 760 } });
  await tab.goto(pathToFileURL(page).href);
  await tab.keyboard.press('ArrowRight');
  await tab.keyboard.press('ArrowRight');
  await tab.keyboard.press('ArrowRight');
  await tab.screenshot({ path: 'docs/view.png' });
} finally {
  await browser.close();
}
process.stdout.write('docs/view.png written\n');
