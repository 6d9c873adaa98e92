#!/usr/bin/env python3
"""Writes a synthetic coordinator's CSV spreadsheet for the streamed import benchmark (`maillage
import csv --dry-run` on a million rows): the usual French headings, `;` separators, UTF-8.

Deterministic: the same arguments always give the same bytes.

    python3 bench/gen_csv.py OUT.csv [ROWS]        # ROWS defaults to 1 000 000

About 1 % of the rows are in the example CPTS's communes (content/cpts.yaml), with valid RPPS
numbers; the others are spread over every département, so most of the report is rows outside
the territory, and a few rows in every thousand are refused (no address).
"""
import random, sys

from gen_rpps import luhn_key

VAR = [("83550", "Vidauban"), ("83340", "Le Luc"), ("83340", "Le Cannet-des-Maures"), ("83340", "Flassans-sur-Issole")]
CITIES = [("75012", "Paris"), ("69003", "Lyon"), ("13001", "Marseille"), ("31000", "Toulouse"), ("06000", "Nice"),
          ("44000", "Nantes"), ("67000", "Strasbourg"), ("34000", "Montpellier"), ("33000", "Bordeaux"), ("59000", "Lille")]
PROFS = ["IDE", "MG", "Kiné", "Pharmacien", "Sage-femme", "Dentiste"]
NOMS = ["MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS", "MOREAU", "LAURENT"]
PRENOMS = ["Marie", "Jean", "Claire", "Pierre", "Hélène", "Luc", "Sophie", "Paul", "Anne", "François"]

def main():
    out = sys.argv[1]
    total = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    rnd = random.Random(20261206)
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("Nom;Prénom;Profession;RPPS;Adresse;Code postal;Commune\n")
        for n in range(total):
            nom, prenom, prof = rnd.choice(NOMS), rnd.choice(PRENOMS), rnd.choice(PROFS)
            if rnd.random() < 0.01:
                cp, commune = rnd.choice(VAR)
                rpps = luhn_key("1%09d" % n)
            else:
                cp, commune = rnd.choice(CITIES)
                rpps = ""
            adresse = "" if rnd.random() < 0.002 else "%d rue Haute" % rnd.randint(1, 99)
            f.write(";".join([nom, prenom, prof, rpps, adresse, cp, commune]) + "\n")

if __name__ == "__main__":
    main()
