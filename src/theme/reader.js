// The reader's side of the page (issue 19): loaded at the end of every page through
// `additional-js` in book.toml. ci/web/check-site.mjs tests each part.
(function () {
  'use strict';

  // A skip link, first in the tab order: mdBook puts the whole table of contents before the
  // text, so without it a keyboard reader tabs through every chapter title first.
  const content = document.getElementById('mdbook-content');
  if (content) {
    const skip = document.createElement('a');
    skip.className = 'skip-link';
    skip.href = '#mdbook-content';
    skip.textContent = 'Skip to the text';
    // The content box must take focus for the next Tab to continue inside it.
    content.setAttribute('tabindex', '-1');
    skip.addEventListener('click', (event) => {
      event.preventDefault();
      content.focus();
      content.scrollIntoView();
    });
    document.body.prepend(skip);
  }

  // Tables too wide for the column (the generated instruction tables: six columns of
  // assembly whose lines must not break) reflow into one card per row, each cell under its
  // column's name, on a desktop window, or on any window when the table is more than twice as
  // wide as its box; narrower overflows scroll in their box (reader.css draws the cue).
  const tables = [...document.querySelectorAll('main table')];
  for (const table of tables) {
    // mdBook wraps Markdown tables in a scrolling box; an HTML table in a page gets one too.
    if (!table.parentElement.classList.contains('table-wrapper')) {
      const box = document.createElement('div');
      box.className = 'table-wrapper';
      table.replaceWith(box);
      box.append(table);
    }
    const names = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim());
    for (const row of table.querySelectorAll('tbody tr')) {
      [...row.children].forEach((cell, i) => { if (names[i]) cell.dataset.label = names[i]; });
    }
  }
  const reflow = () => {
    for (const table of tables) {
      table.classList.remove('reflow');
      const box = table.parentElement;
      const overflow = table.scrollWidth > box.clientWidth + 1;
      if (overflow && (window.innerWidth >= 1000 || table.scrollWidth > 2 * box.clientWidth)) {
        table.classList.add('reflow');
      }
    }
  };
  reflow();
  let pending = 0;
  window.addEventListener('resize', () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(reflow);
  });

  // mdbook-quiz's bundle (about 1.4 MB) loads only when a quiz is about to be seen or on
  // "Start the quiz". The build (`cargo xtask build`, ci/xtask/src/tasks/book.rs) renames the
  // quiz's <script src> and <link href> to data-lazy-src / data-lazy-href; this puts them back.
  const lazy = [...document.querySelectorAll('script[data-lazy-src], link[data-lazy-href]')];
  const placeholders = [...document.querySelectorAll('.quiz-placeholder')];
  if (lazy.length === 0 || placeholders.length === 0) return;
  let loaded = false;
  const load = () => {
    if (loaded) return;
    loaded = true;
    for (const element of lazy) {
      if (element.tagName === 'LINK') {
        element.href = element.dataset.lazyHref;
      } else {
        const script = document.createElement('script');
        script.src = element.dataset.lazySrc;
        // mdbook-quiz renders its placeholders on `DOMContentLoaded`, which has long fired:
        // replay it for the script (on window, where it listens; mdBook listens on document).
        script.addEventListener('load', () => window.dispatchEvent(new Event('DOMContentLoaded')));
        element.replaceWith(script);
      }
    }
    document.querySelectorAll('.quiz-start').forEach((button) => button.remove());
  };
  for (const placeholder of placeholders) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'quiz-start';
    button.textContent = 'Start the quiz';
    button.addEventListener('click', load);
    placeholder.before(button);
  }
  if ('IntersectionObserver' in window) {
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        observer.disconnect();
        load();
      }
    }, { rootMargin: '200px 0px' });
    placeholders.forEach((placeholder) => observer.observe(placeholder));
  }
})();
