// Drives the real yaml-language-server over LSP (stdio), as VS Code's YAML extension does, with
// the settings a site's .vscode/settings.json holds. Input (stdin, JSON):
//   { "root": DIR, "settings": { "yaml.schemas": … }, "file": PATH, "text": TEXT,
//     "completions": [{ "line", "character" }], "hovers": [{ "line", "character" }] }
// Output (stdout, JSON): { "completions": [[label…]…], "hovers": [text…],
//   "diagnostics": [{ "line", "character", "message" }] } (positions 0-based, as in LSP).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const input = JSON.parse(readFileSync(0, "utf8"));
const here = dirname(fileURLToPath(import.meta.url));
const server = spawn(process.execPath, [join(here, "node_modules/yaml-language-server/bin/yaml-language-server"), "--stdio"], {
  stdio: ["pipe", "pipe", "inherit"],
});
const deadline = setTimeout(() => {
  console.error("yaml-language-server: no answer within 60 s");
  server.kill();
  process.exit(2);
}, 60_000);

const yamlSettings = {
  schemas: input.settings["yaml.schemas"] || {},
  validate: true,
  hover: true,
  completion: true,
  yamlVersion: "1.2",
  schemaStore: { enable: false },
};

let buffer = Buffer.alloc(0);
let nextId = 1;
const pending = new Map();
const diagnosticsWaiters = [];
const uri = pathToFileURL(input.file).href;

function send(message) {
  const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...message }), "utf8");
  server.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
  server.stdin.write(body);
}
function request(method, params) {
  const id = nextId++;
  send({ id, method, params });
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}
function notify(method, params) {
  send({ method, params });
}
function onMessage(msg) {
  if (msg.id !== undefined && pending.has(msg.id) && msg.method === undefined) {
    const { resolve, reject } = pending.get(msg.id);
    pending.delete(msg.id);
    if (msg.error) reject(new Error(msg.error.message));
    else resolve(msg.result);
  } else if (msg.method === "workspace/configuration") {
    // The server asks for its settings by section.
    const result = msg.params.items.map((item) => (item.section === "yaml" ? yamlSettings : item.section ? null : { yaml: yamlSettings }));
    send({ id: msg.id, result });
  } else if (msg.id !== undefined && msg.method) {
    // Other requests from the server (registration, progress…): acknowledge.
    send({ id: msg.id, result: null });
  } else if (msg.method === "textDocument/publishDiagnostics" && msg.params.uri === uri) {
    for (const waiter of diagnosticsWaiters.splice(0)) waiter(msg.params);
  }
}
server.stdout.on("data", (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const head = buffer.indexOf("\r\n\r\n");
    if (head < 0) return;
    const length = Number(/Content-Length: (\d+)/i.exec(buffer.slice(0, head).toString())[1]);
    if (buffer.length < head + 4 + length) return;
    const body = buffer.slice(head + 4, head + 4 + length).toString("utf8");
    buffer = buffer.slice(head + 4 + length);
    onMessage(JSON.parse(body));
  }
});
const nextDiagnostics = () => new Promise((resolve) => diagnosticsWaiters.push(resolve));

const rootUri = pathToFileURL(input.root).href;
await request("initialize", {
  processId: process.pid,
  locale: "fr",
  rootUri,
  workspaceFolders: [{ uri: rootUri, name: "site" }],
  capabilities: {
    workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
    textDocument: {
      completion: { completionItem: { snippetSupport: true, documentationFormat: ["markdown", "plaintext"] } },
      hover: { contentFormat: ["markdown", "plaintext"] },
      publishDiagnostics: { relatedInformation: false },
      synchronization: { dynamicRegistration: false },
    },
  },
});
notify("initialized", {});
notify("workspace/didChangeConfiguration", { settings: { yaml: yamlSettings } });
// The first diagnostics come once the schema is loaded: only then is completion complete.
const opened = nextDiagnostics();
notify("textDocument/didOpen", { textDocument: { uri, languageId: "yaml", version: 1, text: input.text } });
await opened;

const completions = [];
for (const position of input.completions) {
  const result = await request("textDocument/completion", { textDocument: { uri }, position });
  const items = Array.isArray(result) ? result : (result?.items ?? []);
  completions.push(items.map((i) => i.label).concat(result?.isIncomplete ? ["<incomplete>"] : []));
}
const hovers = [];
for (const position of input.hovers) {
  const result = await request("textDocument/hover", { textDocument: { uri }, position });
  const contents = result?.contents;
  hovers.push(typeof contents === "string" ? contents : Array.isArray(contents) ? contents.map((c) => c.value ?? c).join("\n") : (contents?.value ?? ""));
}
// Diagnostics of the text once the schema is loaded (it is, after completion): change nothing
// but the version, and take what the server publishes next.
const published = nextDiagnostics();
notify("textDocument/didChange", { textDocument: { uri, version: 2 }, contentChanges: [{ text: input.text }] });
const { diagnostics } = await published;

await request("shutdown", null);
notify("exit", null);
clearTimeout(deadline);
process.stdout.write(
  JSON.stringify({
    completions,
    hovers,
    diagnostics: diagnostics.map((d) => ({ line: d.range.start.line, character: d.range.start.character, message: d.message })),
  }),
);
