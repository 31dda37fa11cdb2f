// A highlight.js for the languages the book shows: `node ci/web/build-highlight.mjs OUT`.
// `cargo xtask build`, `serve` and `test` run it before mdBook (ci/xtask/src/tasks/book.rs)
// and write src/theme/highlight.js (gitignored), which replaces mdBook's 137 KB build of 45
// languages (mdBook takes a theme's highlight.js in place of its own).
//
// The source is npm highlight.js, pinned in package-lock.json: the 10.x line, whose API is the
// one mdBook 0.5's book.js calls (`hljs.configure({ tabReplace })`, `hljs.highlightBlock`).
// Each CommonJS file is wrapped in a function in place; nothing else is changed, so the
// output is the pinned package's code, byte for byte, plus the wrappers. It is not minified:
// no minifier is among the pinned packages (package.json), and gzip, as GitHub Pages serves
// it, already takes it to under a third (the browser check counts the gzipped bytes).
//
// The languages: every `language-*` class a page of the book uses must be one of these names
// or their aliases (`sh`, `console`, `toml`, `text`, `yml`); ci/web/check-site.mjs fails on a
// code block whose language this build does not know.

import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const lib = path.join(here, 'node_modules', 'highlight.js', 'lib');

// Name → why the book needs it. Aliases come with each definition (bash: sh; shell: console;
// ini: toml; plaintext: text; yaml: yml; c: h).
export const LANGUAGES = {
  rust: 'the listings',
  bash: 'shell commands, and the `console` blocks highlight their commands with it',
  shell: '`console` blocks: a command line and its output',
  ini: '`toml` blocks (highlight.js 10 highlights TOML as INI)',
  yaml: 'the CI workflow excerpts',
  plaintext: '`text` blocks',
  c: 'herd7 litmus tests',
};

const out = process.argv[2];
if (!out) {
  console.error('usage: node ci/web/build-highlight.mjs OUTPUT.js');
  process.exit(2);
}

const pkg = JSON.parse(await readFile(path.join(here, 'node_modules', 'highlight.js', 'package.json'), 'utf8').catch(() => {
  console.error('build-highlight: ci/web/node_modules/highlight.js is missing: run `cargo xtask install`');
  process.exit(1);
}));
const wrap = (source) => `(function () {\nvar module = { exports: {} }, exports = module.exports;\n${source}\nreturn module.exports;\n})()`;

let bundle = `/*! highlight.js ${pkg.version} (BSD-3-Clause, https://highlightjs.org/), from npm, pinned in
    ci/web/package-lock.json; bundled by ci/web/build-highlight.mjs with the languages
    ${Object.keys(LANGUAGES).join(', ')}. Generated: do not edit. */\n`;
bundle += `var hljs = ${wrap(await readFile(path.join(lib, 'core.js'), 'utf8'))};\n`;
for (const name of Object.keys(LANGUAGES)) {
  const source = await readFile(path.join(lib, 'languages', `${name}.js`), 'utf8');
  bundle += `hljs.registerLanguage(${JSON.stringify(name)}, ${wrap(source)});\n`;
}

// Write only on change: `mdbook serve` rebuilds on every write under src/.
const old = await readFile(out, 'utf8').catch(() => null);
if (old !== bundle) await writeFile(out, bundle);
