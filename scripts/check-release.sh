#!/usr/bin/env bash
# Proves that the release binary stands alone (run by .ci/run):
#  0. the release workflow is the one dist generates from dist-workspace.toml (dist is installed
#     from PyPI into the target folder when missing: a prebuilt binary, nothing to compile);
#  1. the binary is built as the release workflow builds it (scripts/build-release.sh);
#  2. it needs no shared library at all, not even the C library (statically linked);
#  3. a copy of it, alone in an empty folder, run with a minimal environment while the source
#     tree and the system's time zone files are hidden (private mount namespace), creates a site
#     with `init` (from an EPCI, then the plain model) and builds it, then builds a copy of the
#     repository's example content;
#  4. what it wrote is a site: French pages, the embedded theme's stylesheet, a sitemap, every
#     published member of the example with its page.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

fail() {
  echo "check-release : ÉCHEC : $*" >&2
  exit 1
}

# --- 0. The committed workflow is dist's own output ---------------------------------------------
dist_version=$(sed -n 's/^cargo-dist-version = "\(.*\)"$/\1/p' dist-workspace.toml)
tools="${CARGO_TARGET_DIR:-target}/tools/dist-$dist_version"
if [ "$("$tools/bin/dist" --version 2>/dev/null)" != "cargo-dist $dist_version" ]; then
  echo "Installation de dist $dist_version (PyPI)…"
  rm -rf "$tools"
  python3 -m venv "$tools"
  "$tools/bin/pip" install --quiet --disable-pip-version-check "astral-dev-toolchain-cargo-dist==$dist_version"
fi
"$tools/bin/dist" generate --check >/dev/null \
  || fail ".github/workflows/release.yml ne correspond plus à dist-workspace.toml : lancez « dist generate »"
echo "Workflow de publication : à jour avec dist-workspace.toml (dist $dist_version)"

# --- 1. The release build ------------------------------------------------------------------------
bin=$(scripts/build-release.sh --quiet | tail -n 1)
[ -x "$bin" ] || fail "pas de binaire à $bin"
echo "Binaire : $bin ($(stat -c %s "$bin") octets)"

# --- 2. Linkage --------------------------------------------------------------------------------
# Fully static: no shared library, not even the C library, and no program interpreter (so the
# glibc version of the machine it runs on does not matter).
needed=$(readelf --dynamic "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | xargs)
[ -z "$needed" ] || fail "dépend de bibliothèques partagées : $needed"
! readelf --program-headers "$bin" | grep -q INTERP || fail "demande un chargeur dynamique (INTERP)"
echo "Édition de liens : statique, aucune bibliothèque partagée — ldd : $(ldd "$bin" 2>&1 | xargs)"

# --- 3. Alone, in an empty folder, minimal environment, sources hidden ------------------------
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
case "$tmp/" in "$repo"/*) fail "le dossier temporaire $tmp est dans le dépôt" ;; esac
mkdir "$tmp/bin" "$tmp/exemple"
cp "$bin" "$tmp/bin/maillage"
cp -r "$repo/content" "$tmp/exemple/content"

# Inside a private mount namespace, empty folders are mounted over the source tree (where a debug
# build would read the theme from) and over the system's time zone database (the binary carries
# its own), then the binary runs with nothing but PATH and HOME in its environment.
unshare_args=(--mount)
if [ "$(id -u)" -ne 0 ]; then unshare_args+=(--map-root-user); fi
hide="mount -t tmpfs tmpfs '$repo'"
if [ -d /usr/share/zoneinfo ]; then hide="$hide && mount -t tmpfs tmpfs /usr/share/zoneinfo"; fi
alone() {
  unshare "${unshare_args[@]}" sh -c "$hide && cd '$tmp' && exec env -i PATH=/usr/bin:/bin HOME='$tmp' ./bin/maillage \"\$@\"" \
    maillage "$@" </dev/null
}
# `alone`, whose output is shown only when it fails.
quietly_alone() {
  local out
  out=$(alone "$@" 2>&1) || { echo "$out" >&2; return 1; }
}

version=$(alone --version) || fail "--version"
[[ "$version" == "maillage "[0-9]* ]] || fail "--version : $version"
unshare "${unshare_args[@]}" sh -c "$hide && [ ! -e '$repo/themes' ] && [ ! -e /usr/share/zoneinfo/Europe ]" \
  || fail "les sources ou les fuseaux horaires du système restent visibles"
# A newcomer's site, from the official commune table inside the binary (an EPCI's 11 communes),
# then the plain model site that `init` writes without flags or terminal.
quietly_alone init site --nom "CPTS Cœur du Var" --epci 248300550 || fail "init --nom --epci"
quietly_alone build --root site || fail "build du site créé par init --nom --epci"
quietly_alone init modele || fail "init"
quietly_alone build --root modele || fail "build du site modèle d’init"
quietly_alone build --root exemple --today 2026-11-22 || fail "build de l’exemple"

# --- 4. What was written ------------------------------------------------------------------------
# A style sheet's rules without comments nor white space, to compare a published sheet with its source.
css_text() { perl -0777 -pe 's{/\*.*?\*/}{}gs; s/\s+//g'; }
check_site() {
  local public=$1
  [ -f "$public/index.html" ] || fail "$public/index.html manque"
  grep -q '<html lang="fr">' "$public/index.html" || fail "$public/index.html n’est pas une page en français"
  tail -c 20 "$public/index.html" | grep -q '</html>' || fail "$public/index.html est tronquée"
  # The theme's sheet is published without comments and with its white space reduced.
  [ "$(css_text < "$public/style.css")" = "$(css_text < "$repo/themes/default/static/style.css")" ] \
    || fail "$public/style.css n’est pas la feuille de style du thème intégré"
  grep -q '<loc>' "$public/sitemap.xml" || fail "$public/sitemap.xml est vide"
  [ -f "$public/404.html" ] || fail "$public/404.html manque"
}
check_site "$tmp/site/public"
grep -q 'CPTS Cœur du Var' "$tmp/site/public/index.html" || fail "le site créé ne porte pas le nom donné"
[ "$(grep -c -- '- insee:' "$tmp/site/content/cpts.yaml")" -eq 11 ] || fail "l’EPCI ne donne pas ses 11 communes"
check_site "$tmp/modele/public"
check_site "$tmp/exemple/public"

# Every published member of the example has its page in the directory, and no other does.
published=0
for member in "$repo"/content/membres/*.yaml; do
  slug=$(basename "$member" .yaml)
  page="$tmp/exemple/public/annuaire/$slug/index.html"
  if grep -q '^publie: *true' "$member"; then
    published=$((published + 1))
    grep -q '<html lang="fr">' "$page" 2>/dev/null || fail "pas de page pour le membre publié $slug"
  else
    [ ! -e "$page" ] || fail "le membre non publié $slug a une page"
  fi
done
[ "$published" -gt 0 ] || fail "aucun membre publié dans l’exemple"
echo "check-release : le binaire seul a créé et construit un site, et construit l’exemple ($published membres publiés, $(find "$tmp/exemple/public" -name '*.html' | wc -l) pages HTML)."
