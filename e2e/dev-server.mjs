// What the browser tests of `maillage serve` share: the dev server started on a free port with its
// output captured, polling with a deadline, and a clean stop (Ctrl-C, then a kill after 5 s).

import { spawn } from "node:child_process";

// Starts `binary serve --root root --port 0 --today 2026-11-22 ...extra`; `log()` is what it
// printed so far, `stop()` sends Ctrl-C and resolves to its exit `{ code, signal }`.
export function startServer(binary, root, extra = [], env = process.env) {
  const server = spawn(binary, ["serve", "--root", root, "--port", "0", "--today", "2026-11-22", ...extra], {
    stdio: ["ignore", "pipe", "pipe"],
    env,
  });
  let log = "";
  server.stdout.on("data", (d) => (log += d));
  server.stderr.on("data", (d) => (log += d));
  const exited = new Promise((resolve) => server.on("exit", (code, signal) => resolve({ code, signal })));
  return {
    log: () => log,
    async stop() {
      server.kill("SIGINT");
      const timer = setTimeout(() => server.kill("SIGKILL"), 5000);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

// Polls `test` (which may be async) every 50 ms until it gives a true value, which it returns;
// after `ms`, fails with `what` and the server's log.
export async function waitFor(what, test, ms, log) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await test();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out: ${what}\n--- server log ---\n${log()}`);
}
