// The "Explore the model" page: the model checker (exercises/explorer, compiled to
// WebAssembly by `cargo xtask build`) run on the program in the editor, in the reader's
// browser. wasm.js holds the module gzipped in base64 (a page opened from file:// may not
// fetch a file), presets.js the programs of the lessons. The whole state (program, model,
// chosen outcome) lives in the URL fragment, so a link reproduces it and Back undoes a step.
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const root = $('ex');
  if (!root) return;
  const presets = window.EXPLORER_PRESETS || [];
  const byName = new Map(presets.map((p) => [p.name, p]));
  const ui = {
    preset: $('ex-preset'),
    text: $('ex-text'),
    lines: $('ex-lines'),
    gutter: $('ex-gutter'),
    status: $('ex-status'),
    error: $('ex-error'),
    table: $('ex-outcomes'),
    body: $('ex-outcomes').querySelector('tbody'),
    summary: $('ex-summary'),
    graphs: $('ex-graphs'),
    index: $('ex-index'),
  };
  const models = [...root.querySelectorAll('input[name="ex-model"]')];
  const state = { preset: '', text: '', model: 0, outcome: -1 };
  let wasm = null;
  let last = null; // the last answer of `explore`
  let version = 0; // bumped on every table render (the browser check waits for it)

  // The preset menu and the index of every preset: links whose ids are the fragments the
  // lessons' "Open in the explorer" links use. Built before the module loads.
  const groups = new Map();
  for (const p of presets) {
    const group = p.name.includes('/') ? `Lessons: ${p.name.split('/')[0]}` : 'Classic shapes';
    if (!groups.has(group)) groups.set(group, []);
    groups.get(group).push(p);
  }
  for (const [label, list] of groups) {
    const optgroup = document.createElement('optgroup');
    optgroup.label = label;
    const li = document.createElement('li');
    li.textContent = `${label}: `;
    list.forEach((p, i) => {
      optgroup.append(new Option(p.name, p.name));
      const a = document.createElement('a');
      a.id = `preset=${p.name}`;
      a.href = `#preset=${encodeURIComponent(p.name)}`;
      a.textContent = p.name;
      a.title = p.file;
      li.append(i ? ', ' : '', a);
    });
    ui.preset.append(optgroup);
    ui.index.append(li);
  }
  ui.preset.append(new Option('(edited)', ''));

  /** Parses the fragment: `preset=NAME`, `program=TEXT`, `model=rc11`, `outcome=N`. */
  function fromHash() {
    const params = new URLSearchParams(location.hash.slice(1));
    const preset = params.get('preset') || '';
    const program = params.get('program');
    state.preset = byName.has(preset) ? preset : '';
    state.text = program ?? (byName.get(preset) || byName.get('MP') || presets[0] || { text: '' }).text;
    if (program === null && !state.preset && presets.length) state.preset = byName.has('MP') ? 'MP' : presets[0].name;
    state.model = params.get('model') === 'rc11' ? 1 : 0;
    const outcome = Number.parseInt(params.get('outcome') ?? '', 10);
    state.outcome = Number.isInteger(outcome) && outcome >= 0 ? outcome : -1;
  }

  /** The fragment for the current state: the preset's name while its text is unchanged. */
  function toHash() {
    const params = new URLSearchParams();
    const preset = byName.get(state.preset);
    if (preset && preset.text === state.text) params.set('preset', state.preset);
    else params.set('program', state.text);
    if (state.model === 1) params.set('model', 'rc11');
    if (state.outcome >= 0) params.set('outcome', String(state.outcome));
    return `#${params.toString()}`;
  }

  /** Records the state in the URL: a new history entry for a step Back should undo. */
  function remember(push) {
    const hash = toHash();
    if (hash === location.hash) return;
    if (push) history.pushState(null, '', hash);
    else history.replaceState(null, '', hash);
    shown = location.hash;
  }

  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  /** Calls an exported function with the program's bytes; returns its parsed JSON answer. */
  function call(name, text, ...args) {
    const bytes = encoder.encode(text);
    const ptr = wasm.alloc(bytes.length);
    new Uint8Array(wasm.memory.buffer, ptr, bytes.length).set(bytes);
    const len = wasm[name](ptr, bytes.length, ...args);
    return JSON.parse(decoder.decode(new Uint8Array(wasm.memory.buffer, wasm.answer(), len)));
  }

  function showLines() {
    const count = state.text.split('\n').length;
    let numbers = '';
    for (let i = 1; i <= count; i++) numbers += `${i}\n`;
    ui.lines.textContent = numbers;
    ui.lines.scrollTop = ui.text.scrollTop;
  }

  /** Checks the program and renders the table, the ordering selectors and the graphs. */
  function update() {
    if (!wasm) return;
    const started = performance.now();
    last = call('explore', state.text, state.model);
    const took = performance.now() - started;
    renderSites(last.sites);
    if (last.ok) {
      ui.error.textContent = '';
      ui.text.removeAttribute('aria-invalid');
      renderTable(last);
      ui.status.textContent = `${last.name} under ${last.model}: ${last.candidates} candidate executions, ${last.consistent} consistent; checked in ${took.toFixed(1)} ms.`;
    } else {
      ui.error.textContent = last.error;
      ui.text.setAttribute('aria-invalid', 'true');
      ui.body.replaceChildren();
      ui.summary.textContent = 'No outcomes: the program does not parse.';
      ui.status.textContent = '';
    }
    root.dataset.ms = took.toFixed(2);
    root.dataset.version = String(++version);
    renderGraphs();
  }

  function cell(row, text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    row.append(td);
    return td;
  }

  function renderTable(answer) {
    const rows = answer.outcomes.map((o, i) => {
      const tr = document.createElement('tr');
      tr.className = o.allowed ? 'ex-allowed' : 'ex-forbidden';
      if (i === state.outcome) tr.setAttribute('aria-current', 'true');
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = o.state || '(no variables)';
      tr.append(th);
      cell(tr, o.allowed ? 'allowed' : `forbidden (${o.axioms.join(', ')})`);
      cell(tr, o.allowed ? (o.sc ? 'also under SC' : (o.thinAir ? 'needs weak memory (load buffering)' : 'needs weak memory')) : '');
      cell(tr, o.allowed && o.racy ? 'data race' : '', o.racy ? 'ex-race' : '');
      cell(tr, o.allowed && o.satisfies && answer.condition ? 'yes' : '');
      const td = cell(tr, '');
      if (o.allowed) {
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = `Graphs (${o.executions})`;
        button.setAttribute('aria-label', `Show the execution graphs ending in ${o.state}`);
        button.addEventListener('click', () => {
          state.outcome = i;
          remember(true);
          update();
          ui.graphs.focus();
        });
        td.append(button);
      }
      return tr;
    });
    ui.body.replaceChildren(...rows);
    const allowed = answer.outcomes.filter((o) => o.allowed).length;
    const races = answer.races.length ? ` Data races: ${answer.races.join('; ')}.` : '';
    const question = answer.condition ? ` The condition ${answer.condition} is observed: ${answer.observation}.` : '';
    ui.summary.textContent = `${allowed} allowed and ${answer.outcomes.length - allowed} forbidden final states.${question}${races}`;
  }

  function renderGraphs() {
    const o = last && last.ok ? last.outcomes[state.outcome] : undefined;
    if (!o || !o.allowed) {
      ui.graphs.replaceChildren();
      return;
    }
    const answer = call('graphs', state.text, state.model, state.outcome);
    const heading = document.createElement('h3');
    heading.textContent = `Executions ending in ${o.state} (${last.model})`;
    const figures = answer.svgs.map((svg, n) => {
      const figure = document.createElement('figure');
      // Each SVG names its title, description and arrow markers by id: make them unique.
      figure.innerHTML = svg
        .replace(/\bid="([^"]+)"/g, `id="ex-g${n}-$1"`)
        .replace(/url\(#/g, `url(#ex-g${n}-`)
        .replace(/aria-labelledby="title desc"/, `aria-labelledby="ex-g${n}-title ex-g${n}-desc"`);
      return figure;
    });
    ui.graphs.replaceChildren(heading, ...figures);
  }

  const WHAT = { load: 'load', store: 'store', rmw: 'read-modify-write', failure: 'compare-exchange failure', fence: 'fence' };

  /**
   * One selector per ordering, beside its line; choosing rewrites that word. The checker
   * says what each menu offers and the word to write for it (`Acquire` in a Rust program,
   * `memory_order_acquire` in a C one), so the page never guesses the spelling.
   */
  function renderSites(sites) {
    const lineHeight = parseFloat(getComputedStyle(ui.text).lineHeight) || 20;
    const padding = parseFloat(getComputedStyle(ui.text).paddingTop) || 0;
    const perLine = new Map();
    const selects = sites.map((site) => {
      const select = document.createElement('select');
      const before = perLine.get(site.line) || 0;
      perLine.set(site.line, before + 1);
      select.style.top = `${padding + (site.line - 1) * lineHeight}px`;
      select.style.left = `${before * 7.5}em`;
      select.setAttribute('aria-label', `Ordering of the ${WHAT[site.kind]} (${site.call}) on line ${site.line}, column ${site.column}`);
      for (const c of site.choices) select.append(new Option(c.label, c.mode, false, c.mode === site.mode));
      select.addEventListener('change', () => {
        const choice = site.choices.find((c) => c.mode === select.value);
        const refusal = site.refusals[choice.mode];
        if (refusal) {
          // The parser would reject it: say why, and keep the program as it was.
          select.value = site.mode;
          ui.error.textContent = `Refused: ${refusal}.`;
          return;
        }
        state.text = state.text.slice(0, site.start) + choice.word + state.text.slice(site.end);
        ui.text.value = state.text;
        state.outcome = -1;
        syncPreset();
        showLines();
        remember(true);
        update();
        focusSite(site.start);
      });
      return select;
    });
    ui.gutter.replaceChildren(...selects);
    ui.gutter.scrollTop = ui.text.scrollTop;
  }

  /** After a rewrite the selectors are new elements: focus the one that was used. */
  function focusSite(start) {
    const i = (last.sites || []).findIndex((s) => s.start === start);
    if (i >= 0) ui.gutter.children[i]?.focus();
  }

  function syncPreset() {
    const preset = byName.get(state.preset);
    ui.preset.value = preset && preset.text === state.text ? state.preset : '';
  }

  function showState() {
    ui.text.value = state.text;
    syncPreset();
    models.forEach((m, i) => { m.checked = i === state.model; });
    showLines();
    update();
  }

  ui.preset.addEventListener('change', () => {
    const preset = byName.get(ui.preset.value);
    if (!preset) return;
    state.preset = preset.name;
    state.text = preset.text;
    state.outcome = -1;
    remember(true);
    showState();
  });
  models.forEach((m, i) => m.addEventListener('change', () => {
    state.model = i;
    state.outcome = -1;
    remember(true);
    update();
  }));
  let typing = null;
  ui.text.addEventListener('input', () => {
    state.text = ui.text.value;
    state.outcome = -1;
    syncPreset();
    showLines();
    update();
    // One history entry per burst of typing, not per key.
    if (typing === null) remember(true);
    else remember(false);
    clearTimeout(typing);
    typing = setTimeout(() => { typing = null; }, 1000);
  });
  ui.text.addEventListener('scroll', () => {
    ui.lines.scrollTop = ui.text.scrollTop;
    ui.gutter.scrollTop = ui.text.scrollTop;
  });
  // Back and Forward (popstate) and a followed `#preset=` link (hashchange) both land here;
  // a fragment already shown is not checked twice.
  let shown = null;
  const restore = () => {
    if (location.hash === shown) return;
    shown = location.hash;
    fromHash();
    showState();
  };
  window.addEventListener('hashchange', restore);
  window.addEventListener('popstate', restore);

  fromHash();
  ui.text.value = state.text;
  syncPreset();
  showLines();

  async function load() {
    const packed = Uint8Array.from(atob(window.EXPLORER_WASM_GZIP_BASE64), (c) => c.charCodeAt(0));
    const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream('gzip'));
    const bytes = await new Response(stream).arrayBuffer();
    const { instance } = await WebAssembly.instantiate(bytes, {});
    return instance.exports;
  }
  load().then((exports) => {
    wasm = exports;
    shown = location.hash;
    showState();
    root.dataset.ready = 'true';
    // A fragment naming a preset also names the index entry: stay at the editor.
    if (location.hash) root.scrollIntoView();
  }, (error) => {
    ui.error.textContent = `The checker could not be loaded: ${error}`;
  });
})();
