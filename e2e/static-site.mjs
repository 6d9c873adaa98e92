// What the browser tests of built sites share: the example built by maillage and served as static
// files, as a host would.

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";

const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml" };

// Builds the site at `root` with `binary` as on `today` into a temporary folder named from
// `prefix` and serves it on 127.0.0.1; close `server` and remove `out` when done.
export async function buildAndServe(binary, root, prefix, today = "2026-11-22") {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  execFileSync(binary, ["build", "--root", root, "--output", path.join(out, "public"), "--today", today, "--base-url", "http://127.0.0.1/"], { stdio: "ignore" });
  const pub = path.join(out, "public");
  const server = http.createServer((req, res) => {
    let p = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (p.endsWith("/")) p += "index.html";
    const file = path.join(pub, path.normalize(p));
    if (!file.startsWith(pub) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end("introuvable");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { pub, out, server, url: `http://127.0.0.1:${server.address().port}` };
}
