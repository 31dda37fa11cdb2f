// The browser check of the "Explore the model" page: `node ci/web/check-explorer.mjs book/html`.
// `cargo xtask test` runs it after the book is built (ci/xtask/src/tasks/book.rs). It opens
// the page from file:// (no server: the page must work from a copy on disk, offline) in
// Debian's Chromium through playwright-core, refuses every request that is not a file, and
// checks what issue 15 asks of the page:
//   - the module and its glue fit in 150 KB gzipped;
//   - MP all Relaxed allows b.r1 = 1, b.r2 = 0 as needing weak memory; Release on the store
//     of y and Acquire on its load forbid it;
//   - rc11 forbids LB's a.r1 = 1, b.r2 = 1, which c++20 allows;
//   - a Graphs button draws SVG execution graphs with a <title> and a <desc>;
//   - a syntax error shows `program:LINE:COLUMN: …` and the page keeps working;
//   - a Release load is refused with Rust's reason and the program is left as it was;
//   - a preset in herd7's C format has a menu per atomic access that writes C's words
//     (`memory_order_acquire`) and changes the outcomes; a C program's refusals give C++'s
//     reason;
//   - the URL fragment round-trips (reload, and Back);
//   - every preset's outcomes under both models equal the native checker's (src/explorer/
//     native.json, written by the build), and the table is on screen within 100 ms of an edit
//     for IRIW and 300 ms for every preset;
//   - every control is reachable and usable from the keyboard.

import { chromium } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CHROMIUM_ARGS, executablePath } from './chromium.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const site = path.resolve(process.argv[2] ?? path.join(repo, 'book', 'html'));
const pageUrl = pathToFileURL(path.join(site, 'appendix', 'explorer.html')).href;


const BUDGET_KB = 150;
const IRIW_MS = 100;
const PRESET_MS = 300;

const problems = [];
const problem = (what) => problems.push(what);
const expect = (ok, what) => {
  if (!ok) problem(what);
  return ok;
};

/** Gzipped sizes of the files the explorer page loads on top of an ordinary page. */
async function sizes() {
  const gz = async (rel) => gzipSync(await readFile(path.join(site, rel)), { level: 9 }).length;
  const code = (await gz('explorer/wasm.js')) + (await gz('explorer/explorer.js')) + (await gz('explorer/explorer.css'));
  return { code, presets: await gz('explorer/presets.js') };
}

/** The table's rows: [state, verdict, reached by, race, satisfies]. */
const rows = (page) =>
  page.$$eval('#ex-outcomes tbody tr', (trs) => trs.map((tr) => [...tr.children].slice(0, 5).map((c) => c.textContent)));

const row = async (page, state) => (await rows(page)).find((r) => r[0] === state);

/** Waits until the table has been rendered after `action`. */
async function rendered(page, action) {
  const before = await page.$eval('#ex', (el) => el.dataset.version ?? '0');
  await action();
  await page.waitForFunction((v) => document.getElementById('ex').dataset.version !== v, before, { timeout: 10_000 });
}

async function open(page, hash) {
  await page.goto(`${pageUrl}${hash}`);
  await page.waitForSelector('#ex[data-ready="true"]', { timeout: 20_000 });
}

/** Selects `mode` in the `index`-th ordering menu. */
const choose = (page, index, mode) =>
  rendered(page, () => page.locator('#ex-gutter select').nth(index).selectOption(mode));

async function mp(page) {
  await open(page, '#preset=MP');
  const weak = 'b.r1 = 1, b.r2 = 0';
  const before = await rows(page);
  const r = await row(page, weak);
  expect(r && r[1] === 'allowed' && r[2] === 'needs weak memory', `MP Relaxed: ${weak} should be allowed, needing weak memory; got ${JSON.stringify(r)}`);
  // The menus follow the program: thread a's two stores, then thread b's two loads.
  const kinds = await page.$$eval('#ex-gutter select', (s) => s.map((e) => e.getAttribute('aria-label')));
  expect(kinds.length === 4 && /store/.test(kinds[1]) && /load/.test(kinds[2]), `MP: unexpected ordering menus ${JSON.stringify(kinds)}`);
  await choose(page, 1, 'Release');
  await choose(page, 2, 'Acquire');
  const text = await page.inputValue('#ex-text');
  expect(/\.store\(1, (Ordering::)?Release\)/.test(text) && /\.load\((Ordering::)?Acquire\)/.test(text), `MP: the menus did not rewrite the program:\n${text}`);
  const after = await rows(page);
  const f = after.find((x) => x[0] === weak);
  expect(f && f[1].startsWith('forbidden'), `MP Release/Acquire: ${weak} should be forbidden; got ${JSON.stringify(f)}`);
  const show = (t) => t.map((x) => `    ${x[0]}: ${[x[1], x[2], x[3]].filter(Boolean).join(', ')}`).join('\n');
  console.log(`MP, all Relaxed:\n${show(before)}\nMP, store of y Release and load of y Acquire:\n${show(after)}`);

  // A Release load: refused with Rust's reason, the program unchanged.
  const unchanged = await page.inputValue('#ex-text');
  await page.locator('#ex-gutter select').nth(2).selectOption('Release');
  const error = await page.textContent('#ex-error');
  expect(/no such thing as a release load/.test(error), `a Release load should be refused with Rust's reason; the page says "${error}"`);
  expect((await page.inputValue('#ex-text')) === unchanged, 'a refused ordering changed the program');
  expect((await page.locator('#ex-gutter select').nth(2).inputValue()) === 'Acquire', 'a refused ordering stayed selected');

  // Graphs of the allowed outcome b.r1 = 1, b.r2 = 1.
  await rendered(page, () => page.getByRole('button', { name: 'Show the execution graphs ending in b.r1 = 1, b.r2 = 1' }).click());
  const svgs = await page.$$eval('#ex-graphs svg', (s) =>
    s.map((svg) => ({ title: svg.querySelector('title')?.textContent ?? '', desc: svg.querySelector('desc')?.textContent ?? '', sw: /sw/.test(svg.textContent) })));
  expect(svgs.length > 0 && svgs.every((s) => s.title && s.desc), `Graphs drew ${svgs.length} SVGs, each needs a <title> and a <desc>`);
  expect(svgs.some((s) => s.sw), 'the Release/Acquire graph shows no sw edge');

  // The fragment: reload reproduces the program, the orderings, the model and the outcome.
  await rendered(page, () => page.check('input[value="rc11"]'));
  await rendered(page, () => page.getByRole('button', { name: 'Show the execution graphs ending in b.r1 = 1, b.r2 = 1' }).click());
  const saved = await snapshot(page);
  await page.reload();
  await page.waitForSelector('#ex[data-ready="true"]');
  const restored = await snapshot(page);
  expect(JSON.stringify(saved) === JSON.stringify(restored), `reload did not reproduce the state:\n  ${JSON.stringify(saved)}\n  ${JSON.stringify(restored)}`);
  // Back undoes the last step (choosing the outcome), then the one before (the model).
  await page.goBack();
  await page.waitForFunction(() => document.querySelectorAll('#ex-graphs svg').length === 0);
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('input[value="c++20"]').checked);
  const back = await snapshot(page);
  expect(back.model === 'c++20' && back.text === saved.text, `Back did not undo the outcome and the model switch: ${JSON.stringify(back)}`);
}

const snapshot = (page) =>
  page.evaluate(() => ({
    text: document.getElementById('ex-text').value,
    model: document.querySelector('input[name="ex-model"]:checked').value,
    current: [...document.querySelectorAll('#ex-outcomes tbody tr')].findIndex((tr) => tr.getAttribute('aria-current') === 'true'),
    graphs: document.querySelectorAll('#ex-graphs svg').length,
  }));

/**
 * A preset in herd7's C format (model/lb, LB all relaxed): one menu per ordering argument,
 * offering C's words; choosing writes C's word, and Release on P0's store of y with Acquire
 * on P1's load of y forbids the load-buffering outcome under c++20 (as the native checker
 * says of the same program); a Release load is refused with C++'s reason.
 */
async function cForm(page) {
  await open(page, '#preset=model/lb');
  const cycle = '0.r0 = 1, 1.r0 = 1';
  const r = await row(page, cycle);
  expect(r && r[1] === 'allowed', `C-form LB relaxed under c++20: ${cycle} should be allowed; got ${JSON.stringify(r)}`);
  const menus = await page.$$eval('#ex-gutter select', (s) => s.map((e) => ({
    label: e.getAttribute('aria-label'),
    options: [...e.options].map((o) => o.textContent),
  })));
  const calls = menus.map((m) => (/\((atomic_\w+)\)/.exec(m.label) || [])[1]);
  const want = ['atomic_load_explicit', 'atomic_store_explicit', 'atomic_load_explicit', 'atomic_store_explicit'];
  expect(JSON.stringify(calls) === JSON.stringify(want), `C-form LB: expected one menu per access, ${want.join(', ')}; got ${JSON.stringify(menus)}`);
  expect(menus.every((m) => m.options.join() === 'relaxed,acquire,release,acq_rel,seq_cst'), `C-form LB: the menus should offer C's orderings; got ${JSON.stringify(menus.map((m) => m.options))}`);
  // Each choice is checked before the next: a wrong word breaks the program, and the menus
  // after it would no longer be the ones this test means.
  for (const [index, mode, written] of [[1, 'Release', 'atomic_store_explicit(y, 1, memory_order_release)'], [2, 'Acquire', 'atomic_load_explicit(y, memory_order_acquire)']]) {
    await choose(page, index, mode);
    const now = await page.inputValue('#ex-text');
    if (!expect(now.includes(written), `C-form LB: choosing ${mode} in menu ${index} should write ${written}:\n${now}`)) return;
  }
  const text = await page.inputValue('#ex-text');
  const f = await row(page, cycle);
  expect(f && f[1].startsWith('forbidden'), `C-form LB with Release/Acquire on y: ${cycle} should be forbidden; got ${JSON.stringify(f)}`);

  await page.locator('#ex-gutter select').nth(0).selectOption('Release');
  const error = await page.textContent('#ex-error');
  expect(/memory_order_release is not allowed on a load: C\+\+ requires/.test(error), `a C release load should be refused with C++'s reason; the page says "${error}"`);
  expect((await page.inputValue('#ex-text')) === text, 'a refused ordering changed the C program');
}

async function lb(page) {
  await open(page, '#preset=LB');
  const cycle = 'a.r1 = 1, b.r2 = 1';
  const c = await row(page, cycle);
  expect(c && c[1] === 'allowed', `LB Relaxed under c++20: ${cycle} should be allowed; got ${JSON.stringify(c)}`);
  await rendered(page, () => page.check('input[value="rc11"]'));
  const r = await row(page, cycle);
  expect(r && r[1].startsWith('forbidden') && /no-thin-air/.test(r[1]), `LB Relaxed under rc11: ${cycle} should be forbidden by no-thin-air; got ${JSON.stringify(r)}`);
}

async function syntaxError(page) {
  await open(page, '#preset=SB');
  const good = await page.inputValue('#ex-text');
  const bad = good.replace(/\.store\((\d+),/, '.store($1');
  await rendered(page, () => page.fill('#ex-text', bad));
  const error = await page.textContent('#ex-error');
  expect(/^program:\d+:\d+: /.test(error), `a syntax error should show program:LINE:COLUMN; the page says "${error}"`);
  await rendered(page, () => page.fill('#ex-text', good));
  expect((await page.textContent('#ex-error')) === '' && (await rows(page)).length > 0, 'the page did not recover after the error was fixed');
}

/** Every preset, both models: the browser's table equals the native answers; edit timings. */
async function presets(page) {
  const native = JSON.parse(await readFile(path.join(site, 'explorer', 'native.json'), 'utf8'));
  await open(page, '#preset=MP');
  const names = await page.$$eval('#ex-preset option', (o) => o.map((x) => x.value).filter(Boolean));
  expect(names.length === Object.keys(native).length, `${names.length} presets in the page, ${Object.keys(native).length} native answers`);
  const timings = [];
  for (const name of names) {
    await page.evaluate((n) => { location.hash = `preset=${encodeURIComponent(n)}`; }, name);
    await page.waitForFunction((n) => document.getElementById('ex-preset').value === n, name);
    for (const model of ['c++20', 'rc11']) {
      if ((await page.$eval(`input[value="${model}"]`, (e) => e.checked)) === false) {
        await rendered(page, () => page.check(`input[value="${model}"]`));
      }
      const seen = (await rows(page)).map((r) => `${r[0]}|${r[1].split(' ')[0]}|${r[2]}|${r[3]}`);
      const want = native[name][model].map((o) =>
        `${o.state || '(no variables)'}|${o.allowed ? 'allowed' : 'forbidden'}|${o.allowed ? (o.sc ? 'also under SC' : o.thinAir ? 'needs weak memory (load buffering)' : 'needs weak memory') : ''}|${o.allowed && o.racy ? 'data race' : ''}`);
      expect(JSON.stringify(seen) === JSON.stringify(want), `${name} under ${model}: the browser's outcomes differ from the native checker's:\n    browser ${JSON.stringify(seen)}\n    native  ${JSON.stringify(want)}`);
    }
    // An edit (a space at the end): from the input event to the table laid out on screen.
    const ms = await page.evaluate(() => new Promise((resolve) => {
      const text = document.getElementById('ex-text');
      const t0 = performance.now();
      text.value += ' ';
      text.dispatchEvent(new Event('input', { bubbles: true }));
      void document.getElementById('ex-outcomes').offsetHeight;
      requestAnimationFrame(() => resolve(performance.now() - t0));
    }));
    timings.push([name, ms]);
  }
  timings.sort((a, b) => b[1] - a[1]);
  const iriw = timings.find(([n]) => n === 'IRIW');
  console.log(`edit to table on screen: IRIW ${iriw?.[1].toFixed(1)} ms; slowest ${timings.slice(0, 3).map(([n, ms]) => `${n} ${ms.toFixed(1)} ms`).join(', ')} (${timings.length} presets)`);
  expect(iriw && iriw[1] <= IRIW_MS, `IRIW took ${iriw?.[1].toFixed(1)} ms after an edit (budget ${IRIW_MS} ms)`);
  for (const [name, ms] of timings) expect(ms <= PRESET_MS, `${name} took ${ms.toFixed(1)} ms after an edit (budget ${PRESET_MS} ms)`);
}

/** Keyboard only: Tab reaches every control, and each does its job from the keyboard. */
async function keyboard(page) {
  await open(page, '#preset=MP');
  // Start just before the explorer: Shift+Tab from its first control.
  await page.focus('#ex-preset');
  await page.keyboard.press('Shift+Tab');
  const order = [];
  for (let i = 0; i < 60 && !order.includes('ex-index'); i++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || !el.closest('#ex')) return null;
      if (el.closest('#ex-gutter')) return 'ordering';
      if (el.closest('#ex-outcomes')) return 'graphs-button';
      if (el.closest('#ex-index') || el.tagName === 'SUMMARY') return 'ex-index';
      return el.id || el.getAttribute('name') || el.tagName;
    });
    if (id && order.at(-1) !== id) order.push(id);
  }
  for (const want of ['ex-preset', 'ex-model', 'ex-text', 'ordering', 'graphs-button', 'ex-index']) {
    expect(order.includes(want), `Tab never reached ${want} (reached: ${order.join(', ')})`);
  }
  // Use them: the preset menu, the model radios, an ordering menu, a Graphs button.
  await page.focus('#ex-preset');
  await rendered(page, () => page.keyboard.press('ArrowDown'));
  expect((await page.inputValue('#ex-preset')) !== 'MP', 'ArrowDown on the preset menu did not change the program');
  await page.focus('input[value="c++20"]');
  await rendered(page, () => page.keyboard.press('ArrowRight'));
  expect(await page.$eval('input[value="rc11"]', (e) => e.checked), 'ArrowRight in the model group did not choose rc11');
  await page.locator('#ex-gutter select').first().focus();
  const was = await page.locator('#ex-gutter select').first().inputValue();
  await rendered(page, () => page.keyboard.press('ArrowDown'));
  const now = await page.evaluate(() => document.activeElement.value);
  expect(now && now !== was, `ArrowDown on an ordering menu did not change the ordering (${was} -> ${now})`);
  await page.locator('#ex-outcomes button').first().focus();
  await rendered(page, () => page.keyboard.press('Enter'));
  expect((await page.locator('#ex-graphs svg').count()) > 0, 'Enter on a Graphs button drew no graph');
  expect((await page.locator('table#ex-outcomes th[scope="row"]').count()) > 0, 'the outcome table has no row headers');
}

async function main() {
  const { code, presets: presetBytes } = await sizes();
  console.log(`explorer module and glue: ${(code / 1024).toFixed(1)} KB gzipped (budget ${BUDGET_KB} KB); presets: ${(presetBytes / 1024).toFixed(1)} KB gzipped`);
  expect(code <= BUDGET_KB * 1024, `the explorer's module and glue are ${(code / 1024).toFixed(1)} KB gzipped (budget ${BUDGET_KB} KB)`);

  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext();
    // Offline and self-contained: nothing but the book's own files.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
      problem(`request to another host: ${url}`);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && problem(`console error: ${m.text()}`));
    page.on('pageerror', (e) => problem(`uncaught exception: ${e.message}`));
    for (const [name, test] of [['MP', mp], ['C form', cForm], ['LB', lb], ['syntax error', syntaxError], ['presets', presets], ['keyboard', keyboard]]) {
      try {
        await test(page);
        console.log(`ok: ${name}`);
      } catch (error) {
        problem(`${name}: ${error.message.split('\n')[0]}`);
      }
    }
  } finally {
    await browser.close();
  }
  if (problems.length) {
    console.error(`\nexplorer check: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log('explorer check: every check passed');
}

await main();
