// Validates content files against the schemas `maillage schema` wrote, with a validator that owes
// nothing to Maillage: ajv (JSON Schema 2020-12, formats from ajv-formats), files read as YAML 1.2
// by the `yaml` package (as editors read them: 2026-10-03 and 09:30 stay text).
// Input (stdin, JSON): [{ "schema": PATH, "file": PATH, "frontMatter": BOOL }, …]
// Output (stdout, JSON): [{ "file": PATH, "valid": BOOL, "errors": [{ "path", "keyword", "message" }] }, …]
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { parse } from "yaml";

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
// Maillage's annotations (labels of enum values, Markdown text, references to records).
ajv.addVocabulary(["enumDescriptions", "x-maillage-markdown", "x-maillage-reference", "x-maillage-file"]);
// Numeric formats schemars writes as annotations; the type and bounds say the same.
for (const f of ["double", "float", "int16", "uint16", "int32", "uint32", "int64", "uint64", "uint8", "uint"]) {
  ajv.addFormat(f, true);
}

const compiled = new Map();
function validator(path) {
  if (!compiled.has(path)) compiled.set(path, ajv.compile(JSON.parse(readFileSync(path, "utf8"))));
  return compiled.get(path);
}

function header(text, file) {
  const lines = text.split(/\r?\n/);
  if (lines[0].trim() !== "---") throw new Error(`${file}: no front matter`);
  const end = lines.findIndex((l, i) => i > 0 && l.trim() === "---");
  if (end < 0) throw new Error(`${file}: front matter not closed`);
  return lines.slice(1, end).join("\n");
}

const jobs = JSON.parse(readFileSync(0, "utf8"));
const results = jobs.map(({ schema, file, frontMatter }) => {
  const text = readFileSync(file, "utf8");
  let data;
  try {
    data = parse(frontMatter ? header(text, file) : text);
  } catch (e) {
    return { file, valid: false, errors: [{ path: "", keyword: "yaml", message: String(e.message) }] };
  }
  const validate = validator(schema);
  const valid = validate(data);
  const errors = (validate.errors || []).map((e) => ({ path: e.instancePath, keyword: e.keyword, message: e.message }));
  return { file, valid, errors };
});
process.stdout.write(JSON.stringify(results));
