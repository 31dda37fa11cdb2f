// The browser check of the built book: `node ci/web/check-site.mjs book/html`.
// `cargo xtask test` runs it after `mdbook build` (see ci/xtask/src/book.rs).
//
// It serves the site the way GitHub Pages will (under the `site-url` prefix from book.toml,
// 404.html for missing paths), opens every HTML page in Debian's Chromium through
// playwright-core, and fails on:
//   - a console error or an uncaught exception;
//   - a failed request (network error, or HTTP status >= 400);
//   - a request to any host but the local server (the book must be self-contained);
//   - a link to a page or `#anchor` that does not exist (mdbook-linkcheck2 checks files, not
//     anchors);
//   - KaTeX output without KaTeX's own stylesheet and fonts, or unrendered `$$` math, or an
//     introduction without rendered math;
//   - a quiz placeholder that mdbook-quiz's script did not render;
//   - a search for "happens-before" with no result;
//   - the reader's side of the page (issue 19, ci/web/reader-checks.mjs), at 1280 px and 390 px
//     and in a light and a dark theme picked from mdBook's theme menu: a cold load over the
//     budget (gzipped, as GitHub Pages serves it), a font file other than KaTeX's, a table or
//     code block wider than the column at 1280 px, one that cannot scroll, a table, formula or
//     diagram that scrolls sideways (by 10 px or more) with no visible cue at its edge, a
//     number broken across lines, a display formula cut off, a diagram label under 11 px or a
//     diagram whose font or background does not follow the page, a skip link that is not
//     first or does not skip, a quiz that loads before it is wanted or not at all, a code
//     block in a language the shipped highlight.js lacks, and a print view that shows the
//     navigation or cuts code.
// It prints one line per page with its gzipped transfer, and the time the check took.

import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import {
  BUDGET,
  CUE_FROM_PX,
  MIN_LABEL_PX,
  THEMES,
  WIDTHS,
  chooseTheme,
  highlightProblems,
  layoutProblems,
  printProblems,
  scrollCueProblems,
  svgMetrics,
} from './reader-checks.mjs';
import { CHROMIUM_ARGS, executablePath } from './chromium.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const site = path.resolve(process.argv[2] ?? path.join(repo, 'book', 'html'));


// A Set: the same failure seen twice on one page (an image loaded twice) is one problem.
const problems = new Set();
const problem = (where, what) => problems.add(`${where}: ${what}`);

/** The path prefix the site is deployed under (`site-url` in book.toml), e.g. "/memory-models-book/". */
async function sitePrefix() {
  const toml = await readFile(path.join(repo, 'book.toml'), 'utf8');
  const match = toml.match(/^\s*site-url\s*=\s*"([^"]*)"/m);
  let prefix = match ? match[1] : '/';
  if (!prefix.startsWith('/')) prefix = `/${prefix}`;
  if (!prefix.endsWith('/')) prefix += '/';
  return prefix;
}

/** Every file under `dir`, as paths relative to it with forward slashes. */
async function listFiles(dir, base = dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full, base)));
    else out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.toml': 'text/plain; charset=utf-8',
};

/** How many pages the check opens at once (CI has 2 cores). */
const PARALLEL = 3;

/** Compressed like GitHub Pages: text types gzipped, fonts and images as they are. */
const GZIPPED = new Set(['.html', '.css', '.js', '.mjs', '.json', '.svg', '.txt', '.toml']);

/** A static server shaped like GitHub Pages: files under `prefix`, 404.html otherwise, gzip. */
function serve(prefix) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let rel = null;
    if (url.pathname.startsWith(prefix)) {
      rel = decodeURIComponent(url.pathname.slice(prefix.length));
      if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    }
    const file = rel === null ? null : path.join(site, rel);
    try {
      if (file === null || !file.startsWith(site + path.sep)) throw new Error('outside the site');
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      let body = await readFile(file);
      const headers = {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        // Each page is measured with a cold cache in its own context anyway; no-store keeps
        // the numbers honest if that ever changes.
        'cache-control': 'no-store',
      };
      if (GZIPPED.has(path.extname(file)) && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
        body = gzipSync(body);
        headers['content-encoding'] = 'gzip';
      }
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': TYPES['.html'] });
      res.end(await readFile(path.join(site, '404.html')).catch(() => 'not found'));
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/**
 * Loads `url` in a fresh context (cold cache, so the byte count is what a first visit costs)
 * and records every problem. Returns what the page holds for the cross-page checks.
 */
async function visit(browser, origin, name, url, { expectStatus = 200, diagrams = {} } = {}) {
  const context = await browser.newContext({
    serviceWorkers: 'block',
    viewport: { width: WIDTHS.desktop, height: 800 },
    colorScheme: 'light',
  });
  const page = await context.newPage();
  const requests = [];
  await context.route('**/*', (route) => {
    const requestUrl = new URL(route.request().url());
    if (requestUrl.origin === origin || requestUrl.protocol === 'data:' || requestUrl.protocol === 'blob:') {
      return route.continue();
    }
    problem(name, `request to another host: ${route.request().url()}`);
    return route.abort('blockedbyclient');
  });
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // Chromium logs the expected 404 of a deliberately missing page as a console error.
    if (expectStatus === 404 && message.location().url === url) return;
    // Chromium's "Failed to load resource" repeats a request failure reported below, with
    // less detail (no URL).
    if (message.text().startsWith('Failed to load resource')) return;
    problem(name, `console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problem(name, `uncaught exception: ${error.message}`));
  const httpErrors = new Set();
  page.on('requestfailed', (request) => {
    const failure = request.failure()?.errorText ?? 'failed';
    if (failure.includes('ERR_BLOCKED_BY_CLIENT')) return; // reported above as another host
    if (httpErrors.has(request.url())) return; // reported below with its HTTP status
    problem(name, `request failed (${failure}): ${request.url()}`);
  });
  page.on('response', (response) => {
    const isMain = response.request().isNavigationRequest() && response.frame() === page.mainFrame();
    const wanted = isMain ? expectStatus : 200;
    if (response.status() >= 400 && response.status() !== wanted) {
      httpErrors.add(response.url());
      problem(name, `HTTP ${response.status()} for ${response.url()}`);
    }
  });
  page.on('requestfinished', (request) => requests.push(request));

  const response = await page.goto(url, { waitUntil: 'load' });
  if (response?.status() !== expectStatus) {
    problem(name, `expected HTTP ${expectStatus}, got ${response?.status()}`);
  }
  await page.waitForLoadState('networkidle');

  const info = await page.evaluate(async () => {
    await document.fonts.ready;
    const main = document.querySelector('main');
    // Text outside code: `$$` in a code block is code, anywhere else it is unrendered math.
    let prose = '';
    if (main) {
      const copy = main.cloneNode(true);
      copy.querySelectorAll('pre, code, .katex').forEach((el) => el.remove());
      prose = copy.textContent;
    }
    const katex = document.querySelectorAll('.katex');
    const katexSheet = [...document.styleSheets].find((s) => s.href && /\/katex\/katex\.min\.css$/.test(s.href));
    let katexRules = 0;
    try {
      katexRules = katexSheet ? katexSheet.cssRules.length : 0;
    } catch {
      katexRules = -1;
    }
    const loadedFaces = [...document.fonts]
      .filter((face) => face.family.replace(/"/g, '').startsWith('KaTeX_') && face.status === 'loaded')
      .map((face) => face.family.replace(/"/g, ''));
    const ids = [...document.querySelectorAll('[id]')].map((el) => el.id);
    const names = [...document.querySelectorAll('a[name]')].map((el) => el.getAttribute('name'));
    // Resolved URL and the attribute as written: a bare `#x` means "on this page" even where
    // a <base href> (mdBook's 404 page) would resolve it elsewhere.
    const links = [...document.querySelectorAll('a[href]')].map((a) => ({ url: a.href, raw: a.getAttribute('href') }));
    const quizzes = [...document.querySelectorAll('.quiz-placeholder')].map((el) => el.childElementCount);
    const firstQuiz = document.querySelector('.quiz-placeholder');
    return {
      quizTop: firstQuiz ? firstQuiz.getBoundingClientRect().top : null,
      title: document.title,
      katexCount: katex.length,
      katexErrors: document.querySelectorAll('.katex-error').length,
      katexFontFamily: katex.length ? getComputedStyle(katex[0]).fontFamily : '',
      katexSheet: Boolean(katexSheet),
      katexRules,
      katexMainLoaded: loadedFaces.includes('KaTeX_Main'),
      katexFontCheck: document.fonts.check('16px KaTeX_Main'),
      loadedFaces: [...new Set(loadedFaces)],
      rawDisplayMath: prose.includes('$$'),
      ids: [...ids, ...names],
      links,
      quizzes,
    };
  });

  // The cold load: every response body as transferred (gzipped where the server gzips).
  // The explorer's application (the checker as wasm, its glue and presets) has its own budget,
  // 150 KB gzipped, which check-explorer.mjs enforces; the page around it is held to this one.
  let bytes = 0;
  let explorerBytes = 0;
  const coldRequests = [...requests];
  for (const request of coldRequests) {
    const sizes = await request.sizes().catch(() => null);
    const file = new URL(request.url()).pathname;
    if (sizes && /\/explorer\/[^/]+$/.test(file)) explorerBytes += sizes.responseBodySize;
    else if (sizes) bytes += sizes.responseBodySize;
    if (/\.(woff2?|ttf|otf)$/.test(file) && !/\/katex\/fonts\//.test(file)) {
      problem(name, `loads a font file the theme does not use: ${file}`);
    }
    // Loading it at once is right only when the quiz is in view on arrival.
    if (/\/quiz\/[^/]+\.(js|css)$/.test(file) && info.quizTop !== null && info.quizTop > 800 + 250) {
      problem(name, `loads the quiz bundle on arrival (${file}); it must wait until the quiz is wanted`);
    }
  }
  // toc.html is the table of contents that mdBook shows in an <iframe> when JavaScript is off:
  // a list of links, with no text, menu bar or theme of its own.
  const readerPage = expectStatus === 200 && name !== 'toc.html';
  const readerFindings = readerPage ? await checkReader(page, name, diagrams, info.quizzes.length) : {};
  await context.close();
  return { ...info, ...readerFindings, bytes, explorerBytes, requestCount: coldRequests.length };
}

/**
 * The reader's side of the page (reader-checks.mjs), after the cold load at 1280 px in the light
 * theme: layout in both themes at both widths, the skip link, highlighting, print, then the quiz
 * brought into view.
 */
async function checkReader(page, name, diagrams, quizCount) {
  const report = (where, list) => list.forEach((p) => problem(name, `${where}: ${p}`));
  const layout = async (where, dark) => {
    const args = { diagrams, minLabel: MIN_LABEL_PX, dark, cueFrom: CUE_FROM_PX };
    const { problems: found, scrollers } = await page.evaluate(layoutProblems, args);
    report(where, found);
    report(where, await scrollCueProblems(page, scrollers));
  };
  await layout(`${WIDTHS.desktop} px, ${THEMES.light}`, false);
  report('highlight.js', await page.evaluate(highlightProblems));

  // Skip link: the first Tab lands on it, and following it puts the next Tab inside the text.
  await page.keyboard.press('Tab');
  const skipFirst = await page.evaluate(() => document.activeElement?.classList.contains('skip-link'));
  if (!skipFirst) problem(name, 'the first Tab does not reach a skip link');
  else {
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    const inText = await page.evaluate(() => Boolean(document.activeElement?.closest('#mdbook-content')));
    if (!inText) problem(name, 'after the skip link, Tab does not continue in the text');
  }

  await page.emulateMedia({ media: 'print' });
  report('print', await page.evaluate(printProblems));
  await page.emulateMedia({ media: 'screen' });

  await chooseTheme(page, THEMES.dark);
  await layout(`${WIDTHS.desktop} px, ${THEMES.dark}`, true);
  // A phone loads the page at its own width (mdBook decides the sidebar at load); the theme
  // chosen above is kept, as for a reader.
  await page.setViewportSize({ width: WIDTHS.phone, height: 844 });
  await page.reload({ waitUntil: 'load' });
  await page.evaluate(() => document.fonts.ready);
  await layout(`${WIDTHS.phone} px, ${THEMES.dark}`, true);
  await chooseTheme(page, THEMES.light);
  await layout(`${WIDTHS.phone} px, ${THEMES.light}`, false);

  // The quiz: loads once scrolled into view, then renders.
  let quizBytes = 0;
  if (quizCount) {
    const loaded = page.waitForResponse((r) => /\/quiz\/[^/]+\.js$/.test(r.url()), { timeout: 15_000 }).catch(() => null);
    await page.locator('.quiz-placeholder').first().scrollIntoViewIfNeeded();
    const response = await loaded;
    if (!response) problem(name, 'the quiz bundle did not load when the quiz came into view');
    else quizBytes = (await response.request().sizes().catch(() => null))?.responseBodySize ?? 0;
    await page
      .waitForFunction(() => [...document.querySelectorAll('.quiz-placeholder')].every((q) => q.childElementCount > 0), null, { timeout: 15_000 })
      .catch(() => {});
  }
  const quizzes = await page.evaluate(() => [...document.querySelectorAll('.quiz-placeholder')].map((el) => el.childElementCount));
  return { quizzes, quizBytes };
}

/** Types "happens-before" into mdBook's search box and counts the results. */
async function checkSearch(browser, url) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'load' });
  await page.click('#mdbook-search-toggle');
  // mdBook searches on keyup, so type the query key by key rather than setting the value.
  await page.locator('#mdbook-searchbar').pressSequentially('happens-before');
  let count = 0;
  try {
    await page.waitForSelector('#mdbook-searchresults li', { timeout: 10_000 });
    count = await page.locator('#mdbook-searchresults li').count();
  } catch {
    count = 0;
  }
  await context.close();
  return count;
}

async function main() {
  const prefix = await sitePrefix();
  const files = await listFiles(site).catch(() => {
    throw new Error(`no built site at ${site}: run \`cargo xtask build\` first`);
  });
  const pages = files.filter((f) => f.endsWith('.html')).sort();
  const server = await serve(prefix);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });

  // Each diagram's size and font, read from its file: what the rendered page is held to.
  const diagrams = {};
  for (const rel of files.filter((f) => f.endsWith('.svg'))) {
    diagrams[`${origin}${prefix}${rel}`] = svgMetrics(await readFile(path.join(site, rel), 'utf8'));
  }

  const started = Date.now();
  const results = new Map();
  try {
    // A few pages at a time: most of a visit is waiting (for the network to go idle, for a
    // reload), which the other visits fill. The results keep the pages' order.
    const queue = [...pages];
    const worker = async () => {
      for (let rel = queue.shift(); rel !== undefined; rel = queue.shift()) {
        results.set(rel, await visit(browser, origin, rel, `${origin}${prefix}${rel}`, { diagrams }));
      }
    };
    for (const rel of pages) results.set(rel, null);
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    // A path that does not exist: GitHub Pages answers 404 with 404.html, whose links are
    // absolute (site-url), so its stylesheets and scripts must load from any depth.
    results.set(
      '(missing page)',
      await visit(browser, origin, '(missing page)', `${origin}${prefix}no/such/page.html`, { expectStatus: 404 }),
    );
    const hits = await checkSearch(browser, `${origin}${prefix}index.html`);
    if (hits < 1) problem('search', 'searching for "happens-before" found nothing');
    console.log(`search "happens-before": ${hits} result(s)`);
  } finally {
    await browser.close();
    server.close();
  }

  // Links and anchors: every same-site link must reach a page that exists and, if it names a
  // fragment, an element with that id (or an <a name>) on that page.
  const idsByPage = new Map();
  for (const [rel, info] of results) idsByPage.set(rel, new Set(info.ids));
  const fileSet = new Set(files);
  for (const [rel, info] of results) {
    if (rel === '(missing page)') continue;
    for (const { url: href, raw } of info.links) {
      if (raw.startsWith('#')) {
        const fragment = decodeURIComponent(raw.slice(1));
        if (fragment && !idsByPage.get(rel).has(fragment)) problem(rel, `broken anchor: ${raw}`);
        continue;
      }
      const url = new URL(href);
      if (url.origin !== origin) continue;
      if (!url.pathname.startsWith(prefix)) {
        problem(rel, `link outside the site's path ${prefix}: ${url.pathname}`);
        continue;
      }
      let target = decodeURIComponent(url.pathname.slice(prefix.length));
      if (target === '' || target.endsWith('/')) target += 'index.html';
      if (!fileSet.has(target)) {
        problem(rel, `broken link: ${url.pathname}${url.hash}`);
        continue;
      }
      const fragment = decodeURIComponent(url.hash.slice(1));
      if (fragment && target.endsWith('.html') && !idsByPage.get(target)?.has(fragment)) {
        problem(rel, `broken anchor: ${target}#${fragment}`);
      }
    }
  }

  // KaTeX: wherever the HTML holds KaTeX output, its stylesheet and fonts must have loaded.
  for (const [rel, info] of results) {
    if (rel === '(missing page)') continue;
    const html = await readFile(path.join(site, rel), 'utf8');
    if (info.rawDisplayMath) problem(rel, 'unrendered $$ math in the page text');
    if (info.katexErrors) problem(rel, `${info.katexErrors} KaTeX error(s)`);
    if (!html.includes('class="katex"')) continue;
    if (!info.katexSheet || info.katexRules <= 0) problem(rel, 'KaTeX output but katex/katex.min.css did not load');
    if (!info.katexMainLoaded || !info.katexFontCheck) {
      problem(rel, `KaTeX_Main font not loaded (loaded: ${info.loadedFaces.join(', ') || 'none'})`);
    }
    if (!/KaTeX_Main/.test(info.katexFontFamily)) {
      problem(rel, `KaTeX output is not set in KaTeX_Main (font-family: ${info.katexFontFamily})`);
    }
  }
  const intro = results.get('introduction.html');
  if (!intro) problem('introduction.html', 'missing from the built site');
  else if (intro.katexCount === 0) problem('introduction.html', 'no rendered KaTeX (it must show the math preview)');

  for (const [rel, info] of results) {
    const empty = info.quizzes.filter((children) => children === 0).length;
    if (empty) problem(rel, `${empty} quiz placeholder(s) not rendered by mdbook-quiz's script`);
  }

  // Budgets: a cold load, gzipped, quiz excluded (it loads only when wanted).
  const isLesson = (rel) => /^phase-[^/]+\//.test(rel);
  for (const [rel, info] of results) {
    if (rel === '(missing page)') continue;
    const budget = isLesson(rel) ? BUDGET.lesson : BUDGET.other;
    if (info.bytes > budget) {
      problem(rel, `${info.bytes} bytes transferred gzipped on a cold load, over the ${budget}-byte budget`);
    }
  }

  // Report.
  const kb = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
  for (const [rel, info] of results) {
    const mine = [...problems].filter((p) => p.startsWith(`${rel}:`)).length;
    const extras = [
      info.katexCount ? `${info.katexCount} formulas` : '',
      info.quizzes.length ? `${info.quizzes.length} quiz(zes), +${kb(info.quizBytes ?? 0)} when opened` : '',
      info.explorerBytes ? `+${kb(info.explorerBytes)} explorer application, its own budget` : '',
    ].filter(Boolean);
    console.log(
      `${mine ? 'FAIL' : 'ok  '} ${rel.padEnd(36)} ${String(info.requestCount).padStart(3)} requests ` +
        `${kb(info.bytes).padStart(11)}${extras.length ? `  (${extras.join(', ')})` : ''}`,
    );
  }
  const lessons = [...results].filter(([rel]) => /^phase-[^/]+\//.test(rel));
  if (lessons.length) {
    const [rel, info] = lessons.reduce((a, b) => (b[1].bytes > a[1].bytes ? b : a));
    console.log(`heaviest lesson page: ${rel}: ${info.bytes} bytes (${kb(info.bytes)}) in ${info.requestCount} requests`);
  } else {
    console.log('heaviest lesson page: none (no page under a phase-* directory yet)');
  }

  console.log(`browser check: ${((Date.now() - started) / 1000).toFixed(0)} s for ${results.size} pages (gzipped bytes; budgets ${BUDGET.lesson} per lesson, ${BUDGET.other} otherwise)`);
  if (problems.size) {
    console.error(`\n${problems.size} problem(s) in the built site:`);
    for (const p of problems) console.error(`  - ${p}`);
    process.exit(1);
  }
  console.log(`\n${results.size} pages checked in Chromium at ${WIDTHS.desktop} and ${WIDTHS.phone} px, ${THEMES.light} and ${THEMES.dark} themes: no problems`);
}

main().catch((error) => {
  console.error(`check-site: ${error.stack ?? error}`);
  process.exit(1);
});
