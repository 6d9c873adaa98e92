#!/usr/bin/env python3
"""Generates data/communes.tsv, the official commune table carried by the `maillage` binary.

Source: the npm package @etalab/decoupage-administratif (data under the Licence Ouverte / Open
Licence 2.0 of Etalab), fetched with the ordinary npm client at the pinned version and checked
against its pinned integrity hash. Same package, same bytes out: rows are sorted, nothing depends
on the time, the machine or the order of the package's JSON.

    python3 scripts/communes.py            # rewrites data/communes.tsv
    python3 scripts/communes.py --check    # exit 1 if data/communes.tsv is not what it would write

To move to a new vintage, change the constants below (version, integrity from
`npm view @etalab/decoupage-administratif@VERSION dist.integrity`, and the years its README
states), run the script and review the diff.

What the table keeps, and why:
- every commune of the 101 départements (metropolitan France, Corsica 2A/2B, and the overseas
  départements 971 Guadeloupe, 972 Martinique, 973 Guyane, 974 La Réunion, 976 Mayotte), and
  Saint-Barthélemy (977) and Saint-Martin (978), which the ARS de Guadeloupe, Saint-Martin et
  Saint-Barthélemy and the Assurance Maladie (CGSS de Guadeloupe) cover, so a CPTS can exist there;
- the 45 arrondissements municipaux of Paris, Lyon and Marseille (type ARM, attached to their
  commune): a CPTS of a city often covers some arrondissements only, and health directories
  (Annuaire Santé) give their codes;
- communes déléguées (COMD) and associées (COMA), the former communes merged into a commune
  nouvelle, with no population nor postcode of their own, attached to their commune: a
  coordinator may still know the old name or code, and is told which commune it belongs to.
What it leaves out: Saint-Pierre-et-Miquelon (975), the TAAF (984), Wallis-et-Futuna (986),
French Polynesia (987), New Caledonia (988) and Clipperton (989): their health insurance is their
own and the ACI that defines CPTS does not apply there.
The package carries no coordinates: the table has none (no commune centre).
"""

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "@etalab/decoupage-administratif"
VERSION = "6.0.0"
INTEGRITY = "sha512-XavYsFlbcM/prKr8hNHPKER94IHw/dsxNM4nxjWMYk6PLFACpEedvn/7wK8Baozm0dCYhWWcf+7bcWpA5pmCaQ=="
# Years as the package's README states them for this version.
COG_YEAR = 2026
EPCI_YEAR = 2026
POPULATION_YEAR = 2023  # populations légales 2023, in force on 1 January 2026
MAYOTTE_POPULATION_YEAR = 2017

TYPES = {
    "commune-actuelle": "COM",
    "arrondissement-municipal": "ARM",
    "commune-deleguee": "COMD",
    "commune-associee": "COMA",
}
TYPE_ORDER = {"COM": 0, "ARM": 1, "COMD": 2, "COMA": 3}

OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "communes.tsv")


def fetch(workdir):
    """Fetches the pinned package with npm and returns its JSON files by name."""
    out = subprocess.run(
        ["npm", "pack", "--json", "--pack-destination", workdir, f"{PACKAGE}@{VERSION}"],
        check=True,
        capture_output=True,
        text=True,
    )
    info = json.loads(out.stdout)[0]
    if info["integrity"] != INTEGRITY:
        sys.exit(f"integrity mismatch for {PACKAGE}@{VERSION}: {info['integrity']}")
    files = {}
    with tarfile.open(os.path.join(workdir, info["filename"])) as tar:
        for name in ("communes", "epci", "departements"):
            member = tar.extractfile(f"package/data/{name}.json")
            files[name] = json.load(member)
    return files


def clean(text):
    """A field as written in the table: no tab nor line break may hide in it."""
    if any(c in text for c in "\t\r\n"):
        raise ValueError(f"separator inside a field: {text!r}")
    return text


def kept(departement):
    """Départements (2A and 2B included), the overseas ones, Saint-Barthélemy and Saint-Martin."""
    return len(departement) == 2 or (departement.startswith("97") and departement != "975")


def render(data):
    """The table's text."""
    departements = sorted((d for d in data["departements"] if kept(d["code"])), key=lambda d: d["code"])
    kept_codes = {d["code"] for d in departements}

    epci_of = {}
    epcis = []
    for e in data["epci"]:
        members = [m["code"] for m in e["membres"]]
        for code in members:
            if code in epci_of:
                raise ValueError(f"commune {code} in two EPCI")
            epci_of[code] = e["code"]
        epcis.append((e["code"], e["type"], e["nom"]))
    epcis.sort()

    rows = []
    for c in data["communes"]:
        if c["departement"] not in kept_codes:
            continue
        kind = TYPES[c["type"]]
        parent = c.get("commune", "") if kind == "ARM" else c.get("chefLieu", "") if kind in ("COMD", "COMA") else ""
        population = c.get("population")
        rows.append(
            (
                c["code"],
                TYPE_ORDER[kind],
                c["nom"],
                kind,
                ",".join(sorted(c.get("codesPostaux", []))),
                "" if population is None else str(population),
                epci_of.get(c["code"], "") if kind == "COM" else "",
                parent,
            )
        )
    rows.sort()
    used_epci = {r[6] for r in rows if r[6]}
    epcis = [e for e in epcis if e[0] in used_epci]

    out = io.StringIO()
    w = out.write
    w("# Table officielle des communes françaises pour Maillage. Fichier généré : ne pas le modifier à la main.\n")
    w("# Regénérer : python3 scripts/communes.py (le script dit ce que la table garde et pourquoi).\n")
    w(f"# Source : paquet npm {PACKAGE} {VERSION} ({INTEGRITY}),\n")
    w(f"# d'après le Code officiel géographique {COG_YEAR} de l'INSEE, la liste des EPCI à fiscalité propre {EPCI_YEAR} (DGCL),\n")
    w(f"# les populations légales {POPULATION_YEAR} de l'INSEE (population municipale ; Mayotte : {MAYOTTE_POPULATION_YEAR})\n")
    w("# et la base officielle des codes postaux (La Poste).\n")
    w("# Licence : Licence Ouverte / Open Licence 2.0 (Etalab), https://www.etalab.gouv.fr/licence-ouverte-open-licence\n")
    w("# Types : COM commune, ARM arrondissement municipal, COMD commune déléguée, COMA commune associée\n")
    w("# (rattachement : la commune dont ils font partie).\n")
    w("[millesime]\n")
    w("cle\tvaleur\n")
    w(f"paquet\t{PACKAGE} {VERSION}\n")
    w(f"cog\t{COG_YEAR}\n")
    w(f"epci\t{EPCI_YEAR}\n")
    w(f"population\t{POPULATION_YEAR}\n")
    w(f"population_mayotte\t{MAYOTTE_POPULATION_YEAR}\n")
    w("licence\tLicence Ouverte / Open Licence 2.0 (Etalab)\n")
    w("[departements]\n")
    w("code\tnom\n")
    for d in departements:
        w(f"{clean(d['code'])}\t{clean(d['nom'])}\n")
    w("[epci]\n")
    w("siren\ttype\tnom\n")
    for code, kind, name in epcis:
        w(f"{clean(code)}\t{clean(kind)}\t{clean(name)}\n")
    w("[communes]\n")
    w("insee\tnom\ttype\tcodes_postaux\tpopulation\tepci\trattachement\n")
    for code, _, name, kind, postcodes, population, epci, parent in rows:
        w("\t".join(clean(x) for x in (code, name, kind, postcodes, population, epci, parent)) + "\n")
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed file instead of writing it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        text = render(fetch(workdir))
    data = text.encode("utf-8")
    if args.check:
        with open(OUTPUT, "rb") as f:
            same = f.read() == data
        print("data/communes.tsv is up to date" if same else "data/communes.tsv differs from the package")
        sys.exit(0 if same else 1)
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "wb") as f:
        f.write(data)
    print(f"data/communes.tsv: {len(data)} bytes")


if __name__ == "__main__":
    main()
