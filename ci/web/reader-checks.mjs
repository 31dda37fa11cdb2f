// The reader's side of each page (issue 19), for ci/web/check-site.mjs: what a page must do
// at a desktop width and a phone width, in a light and a dark theme, and in print.

/** The two window widths every page is checked at (CSS px). */
export const WIDTHS = { desktop: 1280, phone: 390 };

/** Transfer budgets, gzipped bytes on a cold load: lessons (pages under phase-*) and the rest. */
export const BUDGET = { lesson: 300_000, other: 200_000 };

/** The smallest a diagram's label may be drawn, in CSS px (ci/xtask/src/tasks/book/pages.rs). */
export const MIN_LABEL_PX = 11;

/** The dark theme the check switches to (mdBook's theme menu), and the light one. */
export const THEMES = { light: 'light', dark: 'navy' };

/**
 * An SVG file's width (viewBox), smallest font-size and root font-family, read from the file
 * itself: the oracle the rendered size is checked against.
 */
export function svgMetrics(svg) {
  const viewBox = svg.match(/viewBox="([^"]*)"/);
  const width = viewBox ? Number(viewBox[1].trim().split(/\s+/)[2]) : NaN;
  const sizes = [...svg.matchAll(/font(?:-size)?(?:="|:\s*)([\d.]+)/g)].map((m) => Number(m[1]));
  const root = svg.match(/<svg\b[^>]*>/)?.[0] ?? '';
  const family = root.match(/font-family="([^"]*)"/)?.[1] ?? '';
  return { width, minFont: sizes.length ? Math.min(...sizes) : NaN, family };
}

/**
 * Picks a theme from mdBook's own theme menu, as a reader would, and waits for the requests the
 * switch makes: mdBook enables the theme's highlighting stylesheet, which the browser fetches
 * again (the check's server says no-store), and a reload before that ends would abort it (a
 * failed request, reported as a problem).
 */
export async function chooseTheme(page, theme) {
  // mdBook hides its menu bar once the page is scrolled down: back to the top, as a reader would.
  await page.evaluate(() => window.scrollTo(0, 0));
  const pending = new Set();
  const start = (request) => pending.add(request);
  const end = (request) => pending.delete(request);
  page.on('request', start);
  page.on('requestfinished', end);
  page.on('requestfailed', end);
  try {
    await page.click('#mdbook-theme-toggle');
    await page.click(`#mdbook-theme-${theme}`);
    await page.waitForFunction((t) => document.documentElement.classList.contains(t), theme);
    // Two frames: the new stylesheet is requested when styles are next computed.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const deadline = Date.now() + 10_000;
    while (pending.size > 0 && Date.now() < deadline) await page.waitForTimeout(20);
  } finally {
    page.off('request', start);
    page.off('requestfinished', end);
    page.off('requestfailed', end);
  }
}

/**
 * Runs in the page. `diagrams` maps each SVG's absolute URL to svgMetrics() of its file.
 * Returns the problems (strings) for this width and theme, and the boxes that scroll sideways
 * (each marked `data-scroll-cue="<index>"`, described by its entry) for scrollCueProblems().
 */
export function layoutProblems({ diagrams, minLabel, dark, cueFrom }) {
  const problems = [];
  const vw = document.documentElement.clientWidth;
  const label = (el) => {
    const heading = [...document.querySelectorAll('main h1, main h2, main h3')]
      .filter((h) => h.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)
      .pop();
    return heading ? `under "${heading.textContent.trim().slice(0, 50)}"` : 'at the top';
  };
  const scrolls = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const overflows = (el) => el.scrollWidth > el.clientWidth + 1;
  const cutByWindow = (el) => el.getBoundingClientRect().right > vw + 1;

  if (document.documentElement.scrollWidth > vw + 1) {
    problems.push(`the page scrolls sideways (${document.documentElement.scrollWidth} px wide in a ${vw} px window)`);
  }
  const desktop = vw >= 1000;

  // Code blocks: none wider than the column on a desktop; on a phone each scrolls in its box.
  // highlight.js makes the <code> inside a <pre> the scrolling box, so either may overflow.
  for (const pre of document.querySelectorAll('main pre')) {
    if (pre.closest('.quiz-placeholder')) continue;
    for (const box of [pre, pre.querySelector(':scope > code')].filter(Boolean)) {
      if (desktop && overflows(box)) {
        problems.push(`code block ${label(pre)} is ${box.scrollWidth - box.clientWidth} px wider than the column`);
      } else if (overflows(box) && !scrolls(box) && !scrolls(pre)) {
        problems.push(`code block ${label(pre)} overflows and cannot scroll`);
      }
    }
    if (cutByWindow(pre)) problems.push(`code block ${label(pre)} is cut by the window`);
  }

  // Tables: none overflowing on a desktop; on a phone a wide one scrolls in its own box with a
  // shadow as the cue; never a number broken across two lines.
  for (const table of document.querySelectorAll('main table')) {
    // mdBook wraps Markdown tables in .table-wrapper; an HTML table's box is its parent.
    const box = table.closest('.table-wrapper') ?? table.parentElement;
    if (desktop && overflows(box)) {
      problems.push(`table ${label(table)} is ${box.scrollWidth - box.clientWidth} px wider than the column`);
    } else if (overflows(box) && !scrolls(box)) {
      problems.push(`table ${label(table)} overflows and cannot scroll`);
    }
    if (cutByWindow(box)) problems.push(`table ${label(table)} is cut by the window`);
    const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      // A figure (digits with their separators): "18.3" must not end up as "18." and "3".
      for (const match of node.data.matchAll(/[-+−]?\d[\d.,:]*\d/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (tops.size > 1) problems.push(`table ${label(table)}: "${match[0]}" is broken across lines`);
      }
    }
  }

  // Display math scrolls inside its own box and is never cut by the window.
  for (const display of document.querySelectorAll('main .katex-display')) {
    if (overflows(display) && !scrolls(display)) problems.push(`display formula ${label(display)} is cut (it cannot scroll)`);
    if (cutByWindow(display)) problems.push(`display formula ${label(display)} is cut by the window`);
  }

  // Diagrams: smallest label >= minLabel px, set in the body's font, colours following the theme.
  const bodyFont = getComputedStyle(document.body).fontFamily;
  const first = (families) => families.split(',')[0].replace(/["']/g, '').trim();
  const luminance = ([r, g, b]) => (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  const probe = document.createElement('div');
  probe.style.background = 'var(--bg)';
  document.body.append(probe);
  const bgRgb = getComputedStyle(probe).backgroundColor.match(/[\d.]+/g).map(Number);
  probe.remove();
  for (const img of document.querySelectorAll('main img')) {
    // An image that loaded (HTTP 200) but cannot be drawn: e.g. an SVG that is not well-formed
    // XML (a `--` inside an XML comment is enough), which browsers show as a broken image.
    if (img.complete && img.naturalWidth === 0 && !img.closest('.img-wrapper')) {
      problems.push(`image ${img.getAttribute('src')} did not decode (not a valid image?)`);
      continue;
    }
    const metrics = diagrams[img.src];
    // mdBook keeps a second copy of each image for its tap-to-zoom view, hidden until tapped.
    if (!metrics || img.closest('.img-wrapper')) continue;
    const name = img.getAttribute('src');
    const drawn = img.getBoundingClientRect().width;
    const smallest = (metrics.minFont * drawn) / metrics.width;
    if (!(smallest >= minLabel - 0.05)) {
      problems.push(`diagram ${name}: smallest label drawn at ${smallest.toFixed(1)} px (< ${minLabel})`);
    }
    // Wider than the column is fine inside a box that scrolls (reader.css: its paragraph).
    const main = document.querySelector('main');
    let scroller = img.parentElement;
    while (scroller && scroller !== main && !scrolls(scroller)) scroller = scroller.parentElement;
    if (drawn > main.clientWidth + 1 && (!scroller || scroller === main)) {
      problems.push(`diagram ${name} is cut (${Math.round(drawn)} px wide in a ${main.clientWidth} px column that cannot scroll)`);
    }
    if (scroller && scroller !== main && cutByWindow(scroller)) problems.push(`diagram ${name} is cut by the window`);
    if (first(metrics.family) !== first(bodyFont)) {
      problems.push(`diagram ${name} is set in "${first(metrics.family)}", the body in "${first(bodyFont)}"`);
    }
    // The diagram's background as drawn (with the page's filter on the <img>) must be close to
    // the page's own: no white panel in a dark theme.
    const canvas = document.createElement('canvas');
    canvas.width = 4;
    canvas.height = 4;
    const context = canvas.getContext('2d');
    context.filter = getComputedStyle(img).filter === 'none' ? 'none' : getComputedStyle(img).filter;
    context.drawImage(img, 0, 0, 4, 4, 0, 0, 4, 4);
    const pixel = [...context.getImageData(1, 1, 1, 1).data];
    const corner = pixel.slice(0, 3);
    // A transparent corner shows the page itself.
    const gap = pixel[3] === 0 ? 0 : Math.abs(luminance(corner) - luminance(bgRgb));
    if (gap > 0.2) {
      problems.push(
        `diagram ${name}: its background (luminance ${luminance(corner).toFixed(2)}) does not follow the ` +
          `${dark ? 'dark' : 'light'} theme's (${luminance(bgRgb).toFixed(2)})`,
      );
    }
  }

  // Every box that scrolls sideways at this width by `cueFrom` px or more, for the cue check.
  // Left out: code blocks (issue 19 asks the cue of tables, formulas and diagrams, and a code
  // block's panel, painted by highlight.js over the box, would need one of its own) and form
  // fields, which show their own scroll bar.
  document.querySelectorAll('[data-scroll-cue]').forEach((el) => el.removeAttribute('data-scroll-cue'));
  const scrollers = [];
  for (const el of document.querySelectorAll('main *')) {
    if (el.closest('pre, textarea, input, select, .quiz-placeholder, .img-wrapper') || !scrolls(el)) continue;
    if (el.scrollWidth - el.clientWidth < cueFrom) continue;
    const img = el.querySelector('img');
    const what = el.matches('.table-wrapper') || el.querySelector(':scope > table') ? 'table'
      : el.matches('.katex-display') ? 'display formula'
      : img ? `diagram ${img.getAttribute('src')}`
      : `<${el.tagName.toLowerCase()} class="${el.className}">`;
    el.dataset.scrollCue = String(scrollers.length);
    scrollers.push(`${what} ${label(el)}`);
  }
  return { problems, scrollers };
}

/**
 * How much of a scrolling box's right edge must show the cue, in CSS px: about a line of text.
 * Not all of it: mdBook paints a table's header and every other row opaque, which hides the
 * shadow there.
 */
export const MIN_CUE_PX = 16;

/**
 * A box that hides less than this (CSS px) needs no cue, and reader.css draws none: the cue
 * grows with what is hidden, its 12 px solid cover keeping the shadow out of sight until then.
 */
export const CUE_FROM_PX = 10;

/**
 * Each box that layoutProblems() found scrolling sideways must show that it does: drawn
 * scrolled to its start, with and without its own background (where reader.css paints the
 * cue), its rightmost pixels must differ along at least MIN_CUE_PX of its height. Otherwise
 * no cue can be seen: none is drawn, or the content hides it (a diagram's opaque panel).
 * Runs in Node; returns the problems.
 */
export async function scrollCueProblems(page, scrollers) {
  if (scrollers.length === 0) return [];
  // The screenshots scroll the page; a quiz placeholder coming into view would load the quiz,
  // which check-site.mjs must see happen only when the reader scrolls to it.
  await page.evaluate(() => document.querySelectorAll('.quiz-placeholder').forEach((q) => { q.style.display = 'none'; }));
  const problems = [];
  for (const [index, what] of scrollers.entries()) {
    const box = page.locator(`[data-scroll-cue="${index}"]`);
    const shot = () => box.screenshot({ animations: 'disabled', caret: 'hide' }).then((png) => png.toString('base64'));
    await box.evaluate((el) => { el.scrollLeft = 0; });
    const withCue = await shot();
    await box.evaluate((el) => el.style.setProperty('background', 'none', 'important'));
    const without = await shot();
    await box.evaluate((el) => el.style.removeProperty('background'));
    const shown = await page.evaluate(edgeDifference, [withCue, without]);
    if (shown < MIN_CUE_PX) {
      problems.push(`${what} scrolls sideways with no visible cue at its edge (${shown} px of it show one)`);
    }
  }
  await page.evaluate(() => {
    document.querySelectorAll('.quiz-placeholder').forEach((q) => { q.style.display = ''; });
    window.scrollTo(0, 0);
  });
  return problems;
}

/**
 * Runs in the page (whose browser decodes the PNGs): how many rows have their pixel 3 px in
 * from the right edge differ between two screenshots of the same box (taken at a device scale
 * of 1, so rows are CSS px).
 */
async function edgeDifference([a, b]) {
  const pixels = async (png) => {
    const img = new Image();
    img.src = `data:image/png;base64,${png}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const context = canvas.getContext('2d');
    context.drawImage(img, 0, 0);
    return context.getImageData(Math.max(0, img.width - 3), 0, 1, img.height).data;
  };
  const [x, y] = [await pixels(a), await pixels(b)];
  let differ = 0;
  for (let i = 0; i < x.length; i += 4) {
    if (x[i] !== y[i] || x[i + 1] !== y[i + 1] || x[i + 2] !== y[i + 2]) differ += 1;
  }
  return differ;
}

/** Runs in the page under `print` media: navigation hidden, code wrapped. */
export function printProblems() {
  const problems = [];
  for (const selector of ['#mdbook-sidebar', '#mdbook-menu-bar', '.nav-wrapper', '.nav-wide-wrapper']) {
    const el = document.querySelector(selector);
    if (el && getComputedStyle(el).display !== 'none') problems.push(`print: ${selector} is shown`);
  }
  for (const box of document.querySelectorAll('main pre, main pre > code')) {
    if (box.scrollWidth > box.clientWidth + 1) problems.push('print: a code block is cut instead of wrapped');
  }
  return problems;
}

/** Runs in the page: every highlighted block's language is one the shipped highlight.js knows. */
export function highlightProblems() {
  const problems = [];
  if (typeof hljs === 'undefined') return ['highlight.js did not load'];
  for (const code of document.querySelectorAll('main pre > code')) {
    const lang = [...code.classList].find((c) => c.startsWith('language-'))?.slice(9);
    if (lang && !hljs.getLanguage(lang)) problems.push(`no highlighting for language "${lang}" (add it to ci/web/build-highlight.mjs)`);
  }
  return problems;
}
