#!/usr/bin/env python3
"""Save-to-reload latency of `maillage serve` (a benchmark, not a test).

Starts the server on a copy of a site, listens to its live-reload stream like a browser, then
changes one member's phone number RUNS times. For each save it measures the time until the
server tells browsers to reload that member's page, and until the new page is fetched.
Prints the medians, and what the server reported for each rebuild (pages re-rendered, time).

Usage:
  python3 bench/serve_latency.py [--members N] [--runs 20] [--binary target/release/maillage] [--stages]
Without --members the example site of content/ is used; with it, a synthetic territory of N
members made by bench/gen_site.py. With --stages the server runs with --verbose and the median
time of each stage of its rebuilds is printed too.
"""

import argparse
import http.client
import json
import os
import queue
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def sse_events(port, out):
    """Reads the event stream, putting (arrival time, name, data) into `out`."""
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /__maillage/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
    buf = b""
    name, data = None, ""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            line = line.decode("utf-8", "replace").rstrip("\r")
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data += line[5:].strip()
            elif line == "" and name:
                out.put((time.perf_counter(), name, data))
                name, data = None, ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--binary", default=os.path.join(REPO, "target", "release", "maillage"))
    ap.add_argument("--stages", action="store_true", help="print the median time of each rebuild stage")
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="maillage-bench-")
    try:
        if args.members:
            subprocess.run([sys.executable, os.path.join(HERE, "gen_site.py"), str(args.members), tmp], check=True)
            member = "synthetique-00000"
        else:
            shutil.copytree(os.path.join(REPO, "content"), os.path.join(tmp, "content"))
            member = "agnes-coste"
        path = os.path.join(tmp, "content", "membres", member + ".yaml")
        original = open(path, encoding="utf-8").read()
        m = re.search(r'^(\s*telephone: )"(0\d(?: \d\d){4})"$', original, re.M)
        if not m:
            sys.exit(f"no phone number in {path}")

        server = subprocess.Popen(
            [args.binary, "serve", "--root", tmp, "--port", "0", "--today", "2026-11-22"]
            + (["--verbose"] if args.stages else []),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        lines = queue.Queue()
        threading.Thread(target=lambda: [lines.put(l) for l in server.stdout], daemon=True).start()
        port = None
        while port is None:
            line = lines.get(timeout=600)
            print("  server:", line.rstrip())
            found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            port = int(found.group(1)) if found else None

        events = queue.Queue()
        threading.Thread(target=sse_events, args=(port, events), daemon=True).start()
        while events.get(timeout=10)[1] != "hello":
            pass

        page = f"annuaire/{member}/index.html"
        to_event, to_page, reports, stages = [], [], [], []
        for i in range(args.runs):
            phone = f"04 65 70 {i // 100 % 100:02d} {i % 100:02d}"
            tel = "+33" + phone.replace(" ", "")[1:]
            text = original.replace(m.group(0), f'{m.group(1)}"{phone}"')
            t0 = time.perf_counter()
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            while True:
                t, name, data = events.get(timeout=30)
                if name == "reload":
                    pages = json.loads(data).get("pages")
                    if pages is None or page in pages:
                        break
            to_event.append((t - t0) * 1000)
            conn = http.client.HTTPConnection("127.0.0.1", port)
            conn.request("GET", f"/annuaire/{member}/")
            body = conn.getresponse().read().decode("utf-8")
            to_page.append((time.perf_counter() - t0) * 1000)
            if tel not in body:
                sys.exit(f"the page served lacks the new number {phone}")
            while True:
                try:
                    line = lines.get(timeout=2)
                except queue.Empty:
                    break
                if "régénérées" in line:
                    reports.append(line.strip())
                    if not args.stages:
                        break
                elif "(ms)" in line and reports:
                    stages.append(line.strip())
                    break
            time.sleep(0.3)
        server.terminate()
        server.wait(timeout=10)

        print(f"site: {'example' if not args.members else f'{args.members} members'}, {args.runs} saves")
        for r in reports[:3]:
            print("  server:", r)
        rendered = [int(x) for r in reports for x in re.findall(r"(\d+) pages? régénérées", r)]
        # The server writes French decimals (« en 31,5 ms »).
        rebuild = [float(x.replace(",", ".")) for r in reports for x in re.findall(r"en ([\d,]+) ms", r)]
        if rendered:
            print(f"pages rendered again per save (median): {statistics.median(rendered):.0f}")
        if rebuild:
            print(f"rebuild alone (median)                 : {statistics.median(rebuild):.1f} ms")
        by_stage = {}
        for line in stages:
            for name, value in re.findall(r"([a-z]+) (\d+(?:,\d+)?)", line.split("(ms)", 1)[1]):
                by_stage.setdefault(name, []).append(float(value.replace(",", ".")))
        for name, values in by_stage.items():
            print(f"  stage {name:<12} (median): {statistics.median(values):8.1f} ms")
        print(f"save → reload order (median)           : {statistics.median(to_event):.1f} ms")
        print(f"save → new page received (median)      : {statistics.median(to_page):.1f} ms")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
