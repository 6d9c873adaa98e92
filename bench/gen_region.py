#!/usr/bin/env python3
"""Synthetic region (or all of France) for the regional build benchmark: N CPTS over the real
communes of the official commune table the binary carries (data/communes.tsv), with members in
proportion to the communes' legal populations.

Usage: python3 bench/gen_region.py N_CPTS N_MEMBERS OUT_DIR [--departements 83,06,...] [--seed S]

Writes OUT_DIR/region.yaml, OUT_DIR/cpts-NNN/content/ for each CPTS (cpts.yaml, contacts.yaml,
members, two actions with sessions) and OUT_DIR/commun/membres/ (about 1 % of the members,
practising in two neighbouring CPTS of the same département, listed by both).

The CPTS are spread over the départements (all of them, or those given; with fewer CPTS than
départements, the first ones in code order) in proportion to their population, at least one each; a département's current communes (in INSEE order) are cut into
runs of about equal population, one per CPTS. Members are spread over the CPTS by population,
and within a CPTS over its communes by population. Communes get a synthetic centre (a point per
département, plus a little jitter) so that maps and coordinates have something to show; names,
postcodes and populations are the official ones. Deterministic: the same arguments give the same
bytes. OUT_DIR must not exist or be empty.
"""

import os
import random
import sys

import gen_territory as gt  # this folder: member records and their YAML

HERE = os.path.dirname(os.path.abspath(__file__))
TABLE = os.path.join(HERE, "..", "data", "communes.tsv")


def read_communes():
    """Current communes (COM, ARM) of the table: (insee, name, first postcode, population, dep)."""
    out, section, header = [], None, None
    with open(TABLE, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            if line.startswith("["):
                section, header = line, None
                continue
            if section != "[communes]":
                continue
            cols = line.split("\t")
            if header is None:
                header = cols
                continue
            row = dict(zip(header, cols))
            # Paris, Lyon and Marseille are listed by arrondissement; their whole commune has no
            # population of its own there.
            if row["type"] not in ("COM", "ARM") or not row["population"] or not row["codes_postaux"]:
                continue
            insee = row["insee"]
            dep = insee[:3] if insee.startswith("97") else insee[:2]
            out.append((insee, row["nom"], row["codes_postaux"].split(",")[0], int(row["population"]), dep))
    return out


def dep_centre(dep):
    """A stable point of mainland France for a département (synthetic: only to place maps)."""
    rnd = random.Random(f"dep-{dep}")
    return 43.0 + rnd.random() * 6.5, -1.0 + rnd.random() * 8.0


def split_runs(communes, parts):
    """`communes` cut into `parts` runs of about equal population (never an empty run)."""
    parts = max(1, min(parts, len(communes)))
    total = sum(c[3] for c in communes)
    runs, current, acc = [], [], 0
    for i, c in enumerate(communes):
        current.append(c)
        acc += c[3]
        left = len(communes) - i - 1
        wanted = parts - len(runs) - 1
        if wanted > 0 and (acc >= total * (len(runs) + 1) / parts or left == wanted):
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


CPTS_YAML = """nom: {nom}
nom_court: {court}
description: Les professionnels de santé de {premiere} et des communes voisines.
association:
  rna: "W{rna:09d}"
  siege: 1 place de la Mairie, {cp} {premiere}
  directeur_publication: Présidente de la CPTS
contact:
  adresse: 1 place de la Mairie, {cp} {premiere}
  telephone: "04 94 00 {a:02d} {b:02d}"
  courriel: contact@{slug}.example.org
territoire:
  departement: "{dep}"
  communes:
{communes}hebergeur:
  nom: Hébergeur de la région
  adresse: 2 rue du Serveur, 75000 Paris
  telephone: "01 45 00 12 34"
accessibilite:
  statut: non-conforme
fraicheur:
  sans_date: a_jour
site:
  url: https://{slug}.example.org
"""

CONTACTS_YAML = """categories:
  - nom: Urgences vitales
    urgent: true
    numeros:
      - nom: SAMU
        numero: "15"
      - nom: Numéro d'urgence européen
        numero: "112"
"""


def action_md(rnd, i, communes):
    seances = []
    for _ in range(rnd.randint(1, 3)):
        c = rnd.choice(communes)
        seances.append(
            f"  - date: 2027-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}\n    debut: \"09:00\"\n"
            f"    fin: \"12:00\"\n    lieu: Salle des fêtes\n    commune: \"{c[0]}\"\n    gratuit: true\n")
    theme = rnd.choice(gt.THEMES)
    return (f"---\ntitre: {gt.yq(f'{theme} : action {i}')}\nresume: Action de prévention ouverte à tous les habitants.\n"
            f"theme: {gt.yq(theme)}\nseances:\n{''.join(seances)}---\n\nStands d'information et ateliers.\n")


def main():
    args = sys.argv[1:]
    opts = {}
    while len(args) > 3 and args[-2].startswith("--"):
        opts[args[-2]] = args[-1]
        args = args[:-2]
    if len(args) != 3:
        sys.exit(__doc__)
    n_cpts, n_members, out = int(args[0]), int(args[1]), args[2]
    if os.path.exists(out) and os.listdir(out):
        sys.exit(f"{out} n'est pas vide")
    rnd = random.Random(int(opts.get("--seed", "1")))
    communes = read_communes()
    only = set(opts["--departements"].split(",")) if "--departements" in opts else None
    by_dep = {}
    for c in communes:
        if only is None or c[4] in only:
            by_dep.setdefault(c[4], []).append(c)
    deps = sorted(by_dep)
    # Fewer CPTS than départements: the first départements (in code order), one CPTS each.
    deps = deps[:n_cpts]
    pop = {d: sum(c[3] for c in by_dep[d]) for d in deps}
    total_pop = sum(pop.values())
    # CPTS per département: at least one, the rest by population (largest remainders).
    shares = {d: max(1.0, n_cpts * pop[d] / total_pop) for d in deps}
    counts = {d: int(shares[d]) for d in deps}
    for d in sorted(deps, key=lambda d: shares[d] - counts[d], reverse=True):
        if sum(counts.values()) >= n_cpts:
            break
        counts[d] += 1
    territories = []
    for d in deps:
        for run in split_runs(by_dep[d], counts[d]):
            territories.append((d, run))
    region_pop = sum(c[3] for _, run in territories for c in run)
    region = ["nom: Région de test", "description: Une région synthétique pour mesurer la construction.",
              "url: https://portail.example.org", "cpts:"]
    member_no = 0
    shared = {}  # territory index -> shared member slugs it lists
    shared_no = 0
    for t, (dep, run) in enumerate(territories):
        slug = f"cpts-{t + 1:03d}"
        lat0, lon0 = dep_centre(dep)
        placed = []
        lines = []
        for c in run:
            lat, lon = lat0 + rnd.uniform(-0.4, 0.4), lon0 + rnd.uniform(-0.5, 0.5)
            placed.append((c[0], c[1], c[2], c[3], lat, lon))
            lines.append(f"    - insee: \"{c[0]}\"\n      centre: [{lat:.4f}, {lon:.4f}]\n")
        root = os.path.join(out, slug, "content")
        first = run[0]
        gt.write(os.path.join(root, "cpts.yaml"), CPTS_YAML.format(
            nom=f"CPTS {t + 1} ({first[1]})", court=f"CPTS {t + 1}", premiere=first[1], rna=831000000 + t,
            cp=first[2], a=(t // 100) % 100, b=t % 100, slug=slug, dep=dep, communes="".join(lines)))
        gt.write(os.path.join(root, "contacts.yaml"), CONTACTS_YAML)
        members = max(1, round(n_members * sum(c[3] for c in run) / region_pop))
        weights = [c[3] for c in placed]
        for _ in range(members):
            member_no += 1
            m = gt.member_record(rnd, member_no, rnd.choices(placed, weights=weights, k=3))
            m.pop("membres", None)
            gt.write(os.path.join(root, "membres", f"{m['slug']}.yaml"), gt.member_yaml(m))
        for a in range(2):
            gt.write(os.path.join(root, "actions", f"action-{a + 1}.md"), action_md(rnd, t * 2 + a, placed))
        # About 1 % of the members practise in this CPTS and in the previous one of the département.
        if t > 0 and territories[t - 1][0] == dep:
            prev_run = territories[t - 1][1]
            for _ in range(max(1, members // 100)):
                shared_no += 1
                a, b = rnd.choice(prev_run), rnd.choice(run)
                name = f"partage-{shared_no:05d}"
                rpps = gt.luhn_complete("2" + str(80000000 + shared_no).zfill(9))
                text = (f"civilite: Mme\ntitre: Dr\nprenom: Claire\nnom: Commune-{shared_no}\n"
                        f"profession: medecin-generaliste\nrpps: \"{rpps}\"\nexercice: liberal\nlieux:\n"
                        f"  - adresse: 1 rue de la Paix\n    code_postal: \"{a[2]}\"\n    commune: \"{a[0]}\"\n"
                        f"    hors_territoire: true\n"
                        f"  - adresse: 2 rue de la Paix\n    code_postal: \"{b[2]}\"\n    commune: \"{b[0]}\"\n"
                        f"    hors_territoire: true\naccepte_nouveaux_patients: true\npublie: true\n")
                gt.write(os.path.join(out, "commun", "membres", f"{name}.yaml"), text)
                shared.setdefault(t - 1, []).append(name)
                shared.setdefault(t, []).append(name)
    for t in range(len(territories)):
        region.append(f"  - dossier: cpts-{t + 1:03d}")
        if shared.get(t):
            region.append("    membres_communs: [" + ", ".join(shared[t]) + "]")
    gt.write(os.path.join(out, "region.yaml"), "\n".join(region) + "\n")
    print(f"{len(territories)} CPTS, {member_no} membres, {shared_no} membres communs, "
          f"{sum(len(r) for _, r in territories)} communes, {len(deps)} départements")


if __name__ == "__main__":
    main()
