// How both browser checks (check-site.mjs, check-explorer.mjs) start Chromium.

/** The browser: `CHROMIUM` from `cargo xtask` (Debian's chromium by default). */
export const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

// Without the background-networking flags Chromium calls Google's hosts on start-up (and the
// checks would report them, or hang on a machine without internet).
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
