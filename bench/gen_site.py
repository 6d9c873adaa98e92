#!/usr/bin/env python3
"""Synthetic territory for `maillage serve` benchmarks: the example CPTS of content/, with
generated members added until the site has N members in all.

Usage: python3 bench/gen_site.py N OUT_DIR
Deterministic: the same N gives the same files. OUT_DIR must not exist or be empty.
"""

import os
import re
import shutil
import sys

PROFESSIONS = [
    "medecin-generaliste", "infirmier", "masseur-kinesitherapeute", "pharmacien", "sage-femme",
    "orthophoniste", "chirurgien-dentiste", "psychologue", "dieteticien", "pedicure-podologue",
]
FIRST = ["Claire", "Paul", "Inès", "Hugo", "Léa", "Marc", "Nadia", "Louis", "Sophie", "Karim",
         "Emma", "Jules", "Chloé", "Yanis", "Zoé", "Tom", "Amel", "Théo", "Lina", "Noé"]
LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
        "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
        "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert"]


def luhn_complete(digits):
    """The digit that makes `digits` + it pass the Luhn check."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen_site.py N OUT_DIR")
    n = int(sys.argv[1])
    out = sys.argv[2]
    here = os.path.dirname(os.path.abspath(__file__))
    example = os.path.join(here, "..", "content")
    if os.path.exists(out) and os.listdir(out):
        sys.exit(f"{out} is not empty")
    shutil.copytree(example, os.path.join(out, "content"), dirs_exist_ok=True)
    cpts = open(os.path.join(example, "cpts.yaml"), encoding="utf-8").read()
    # cpts.yaml names communes by INSEE code; their postcodes come from the official table.
    postcodes = {}
    with open(os.path.join(here, "..", "data", "communes.tsv"), encoding="utf-8") as table:
        for line in table:
            cols = line.rstrip("\n").split("\t")
            if len(cols) > 3 and not line.startswith("#"):
                postcodes.setdefault(cols[0], cols[3].split(",")[0])
    communes = [(insee, postcodes[insee]) for insee in re.findall(r'insee: "(\d{5})"', cpts) if insee in postcodes]
    if not communes:
        sys.exit("no commune found in content/cpts.yaml")
    members = os.path.join(out, "content", "membres")
    taken = set()
    for name in os.listdir(members):
        if name.endswith(".yaml"):
            taken.update(re.findall(r'rpps: "(\d{11})"', open(os.path.join(members, name), encoding="utf-8").read()))
    existing = len([f for f in os.listdir(members) if f.endswith(".yaml")])
    for i in range(max(0, n - existing)):
        insee, cp = communes[i % len(communes)]
        profession = PROFESSIONS[(i // 3) % len(PROFESSIONS)]
        rpps = "1" + str(90000000 + i).zfill(9)
        rpps += luhn_complete(rpps)
        if rpps in taken:
            # One of the example's members has it: a duplicate would be an error (M054).
            rpps = "1" + str(190000000 + i).zfill(9)
            rpps += luhn_complete(rpps)
        phone = f"04 65 71 {(i // 100) % 100:02d} {i % 100:02d}"
        text = (
            f"civilite: {'Mme' if i % 2 else 'M.'}\n"
            f"prenom: {FIRST[i % len(FIRST)]}\n"
            f"nom: {LAST[(i * 7) % len(LAST)]}-{i}\n"
            f"profession: {profession}\n"
            f'rpps: "{rpps}"\n'
            "exercice: liberal\n"
            "lieux:\n"
            f"  - adresse: {i % 90 + 1} rue de la République\n"
            f'    code_postal: "{cp}"\n'
            f'    commune: "{insee}"\n'
            f'    telephone: "{phone}"\n'
            f"accepte_nouveaux_patients: {'true' if i % 5 == 0 else 'false'}\n"
            "publie: true\n"
        )
        with open(os.path.join(members, f"synthetique-{i:05d}.yaml"), "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
