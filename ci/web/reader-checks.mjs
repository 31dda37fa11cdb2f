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

/** Picks a theme from mdBook's own theme menu, as a reader would. */
export async function chooseTheme(page, theme) {
  // mdBook hides its menu bar once the page is scrolled down: back to the top, as a reader would.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.click('#mdbook-theme-toggle');
  await page.click(`#mdbook-theme-${theme}`);
  await page.waitForFunction((t) => document.documentElement.classList.contains(t), theme);
}

/**
 * Runs in the page. `diagrams` maps each SVG's absolute URL to svgMetrics() of its file.
 * Returns a list of problems (strings) for this width and theme.
 */
export function layoutProblems({ diagrams, minLabel, dark }) {
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
    } else if (overflows(box)) {
      if (!scrolls(box)) problems.push(`table ${label(table)} overflows and cannot scroll`);
      if (!/gradient/.test(getComputedStyle(box).backgroundImage)) {
        problems.push(`table ${label(table)} scrolls with no visible cue`);
      }
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
  return problems;
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
