#!/usr/bin/env python3
"""Save-to-reload latency of `maillage serve` (a benchmark, not a test).

Starts the server on a copy of a site, listens to its live-reload stream like a browser, then
changes one member's phone number RUNS times. For each save it measures the time until the
server tells browsers to reload that member's page, and until the new page is fetched.
Prints the medians, and what the server reported for each rebuild (pages re-rendered, time).

Usage:
  python3 bench/serve_latency.py [--members N] [--runs 20] [--binary target/release/maillage] [--stages]
  python3 bench/serve_latency.py --region DIR [--output OUT] [--cpts cpts-001] [--runs 9]
Without --members the example site of content/ is used; with it, a synthetic territory of N
members made by bench/gen_site.py. With --stages the server runs with --verbose and the median
time of each stage of its rebuilds is printed too.

With --region, a region's tree (bench/gen_region.py) is served in place (the member's file is
restored at the end; --output keeps the output between runs, so that a second run starts from
an up-to-date build). The first published member of one CPTS changes its phone number RUNS
times; each save is timed until both new pages are served: the member's page on its CPTS's
site and the portal's page of its commune that lists it (polled every 5 ms, so that a server without live
reload is measured the same way). The first save in a CPTS also builds that CPTS's incremental session:
it is reported apart, and the medians are over the saves after it.
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


def new_phone(prefix, i):
    """The i-th phone number of a run, as written in the member's file and as a tel: link."""
    phone = f"{prefix} {i // 100 % 100:02d} {i % 100:02d}"
    return phone, "+33" + phone.replace(" ", "")[1:]


def fetch(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    conn.request("GET", path)
    resp = conn.getresponse()
    return resp.status, resp.read().decode("utf-8", "replace")


def region_mode(args):
    root = os.path.abspath(args.region)
    out = os.path.abspath(args.output) if args.output else tempfile.mkdtemp(prefix="maillage-region-bench-")
    folder = os.path.join(root, args.cpts, "content", "membres")
    names = sorted(f for f in os.listdir(folder) if f.endswith(".yaml"))
    # The first member the site publishes: an unpublished one has no page to wait for.
    published = (
        f for f in names
        if re.search(r"^publie: true$", open(os.path.join(folder, f), encoding="utf-8").read(), re.M)
    )
    member = next(published, names[0])[:-5]
    path = os.path.join(folder, member + ".yaml")
    original = open(path, encoding="utf-8").read()
    m = re.search(r'^(\s*telephone: )"(0\d(?: \d\d){4})"$', original, re.M)
    insee = re.search(r'^\s*commune: "(\w+)"$', original, re.M)
    if not m or not insee:
        sys.exit(f"no phone number or commune in {path}")
    started = time.perf_counter()
    server = subprocess.Popen(
        [args.binary, "serve", "--root", root, "--output", out, "--port", "0", "--today", "2026-11-22"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(l) for l in server.stdout], daemon=True).start()
    try:
        port = None
        while port is None:
            line = lines.get(timeout=1800)
            print("  server:", line.rstrip()[:200])
            found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            port = int(found.group(1)) if found else None
        print(f"server ready after {time.perf_counter() - started:.1f} s")
        communes = os.path.join(out, "communes")
        commune = next(d for d in os.listdir(communes) if d.endswith("-" + insee.group(1).lower()))
        # The page of the commune's list that holds the member (a big town's list has several).
        listed = f'href="/{args.cpts}/annuaire/{member}/"'
        commune_page = f"/communes/{commune}/"
        for folder, _, files in sorted(os.walk(os.path.join(communes, commune))):
            if "index.html" in files and listed in open(os.path.join(folder, "index.html"), encoding="utf-8").read():
                commune_page = "/" + os.path.relpath(folder, out).replace(os.sep, "/") + "/"
                break
        pages = [f"/{args.cpts}/annuaire/{member}/", commune_page]
        times, first = [], None
        for i in range(args.runs):
            phone, tel = new_phone("04 65 71", i)
            text = original.replace(m.group(0), f'{m.group(1)}"{phone}"')
            t0 = time.perf_counter()
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            waiting = list(pages)
            while waiting:
                status, body = fetch(port, waiting[0])
                if status == 200 and tel in body:
                    waiting.pop(0)
                else:
                    time.sleep(0.005)
                if time.perf_counter() - t0 > 1800:
                    sys.exit(f"save {i}: {waiting[0]} never showed {phone}")
            ms = (time.perf_counter() - t0) * 1000
            if first is None:
                first = ms
            else:
                times.append(ms)
            print(f"  save {i}: {ms:.0f} ms")
            time.sleep(0.5)
        while True:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                break
            if "→" in line:
                print("  server:", line.rstrip()[:200])
        print(f"region: {root}, CPTS {args.cpts}, member {member}, {args.runs} saves")
        print(f"first save (session made)              : {first:.0f} ms")
        if times:
            print(f"save → both new pages served (median)  : {statistics.median(times):.1f} ms"
                  f" (min {min(times):.1f}, max {max(times):.1f}, n={len(times)})")
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        time.sleep(1)
        server.terminate()
        server.wait(timeout=30)
        if not args.output:
            shutil.rmtree(out, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--region")
    ap.add_argument("--output")
    ap.add_argument("--cpts", default="cpts-001")
    ap.add_argument("--members", type=int)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--binary", default=os.path.join(REPO, "target", "release", "maillage"))
    ap.add_argument("--stages", action="store_true", help="print the median time of each rebuild stage")
    args = ap.parse_args()
    if args.region:
        if args.runs == 20:
            args.runs = 9
        return region_mode(args)

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
            phone, tel = new_phone("04 65 70", i)
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
