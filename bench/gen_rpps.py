#!/usr/bin/env python3
"""Writes a synthetic national Annuaire Santé extraction (PS_LibreAcces_Personne_activite) for the
import benchmark: the real header (56 columns), `|` separators with a trailing `|`, UTF-8.

Deterministic: the same arguments always give the same bytes.

    python3 bench/gen_rpps.py OUT.txt [ROWS]        # ROWS defaults to 1 800 000

Rows spread over every département; about 1 % fall in the Var (83), a part of them in the example
CPTS's communes (content/cpts.yaml); a third of the rows have an empty commune code, as in the
real file. Professionals have one to three rows (places).
"""
import random, sys


src = open(__import__("os").path.join(__import__("os").path.dirname(__file__), "..", "tests", "fixtures", "import", "rpps_utf8.txt"), encoding="utf-8")
HEADER = src.readline().rstrip("\n").rstrip("|").split("|")
src.close()
IDX = {h: i for i, h in enumerate(HEADER)}

def luhn_key(prefix):
    for d in "0123456789":
        s, n = 0, prefix + d
        for i, c in enumerate(reversed(n)):
            x = int(c) * (2 if i % 2 else 1)
            s += x - 9 if x > 9 else x
        if s % 10 == 0:
            return n

VAR = [("83148", "83550", "VIDAUBAN"), ("83073", "83340", "LE LUC"), ("83086", "83490", "LE MUY"),
       ("83072", "83510", "LORGUES"), ("83004", "83460", "LES ARCS"), ("83031", "83340", "LE CANNET DES MAURES"),
       ("83067", "83590", "GONFARON"), ("83050", "83300", "DRAGUIGNAN"), ("83137", "83000", "TOULON"),
       ("83061", "83600", "FREJUS")]
DEPS = ["%02d" % d for d in range(1, 96) if d != 20] + ["2A", "2B"]
PROFS = [("10", "Médecin", "SM54", "Médecine Générale"), ("10", "Médecin", "SM04", "Cardiologie et maladies vasculaires"),
         ("21", "Pharmacien", "", ""), ("60", "Infirmier", "", ""), ("70", "Masseur-Kinésithérapeute", "", ""),
         ("40", "Chirurgien-Dentiste", "", ""), ("50", "Sage-Femme", "", ""), ("91", "Orthophoniste", "", ""),
         ("39", "Préparateur en pharmacie", "", "")]
NOMS = ["MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS", "MOREAU", "LAURENT",
        "SIMON", "MICHEL", "LEFÈVRE", "LEROY", "ROUX", "DAVID", "BERTRAND", "MOREL", "FOURNIER", "GIRARD"]
PRENOMS = ["MARIE", "JEAN", "CLAIRE", "PIERRE", "HÉLÈNE", "LUC", "SOPHIE", "PAUL", "ANNE", "FRANÇOIS"]
VOIES = ["DE LA REPUBLIQUE", "DES ECOLES", "JEAN JAURES", "DU GENERAL DE GAULLE", "DES PINS", "PASTEUR"]

def main():
    out = sys.argv[1]
    total = int(sys.argv[2]) if len(sys.argv) > 2 else 1_800_000
    rnd = random.Random(20241201)
    empty = [""] * len(HEADER)
    n = 0
    person = 0
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("|".join(HEADER) + "|\n")
        while n < total:
            person += 1
            rpps = luhn_key("1%09d" % person)
            prof = PROFS[person % len(PROFS)]
            nom, prenom = rnd.choice(NOMS), rnd.choice(PRENOMS)
            civ = "MME" if person % 2 else "M"
            for _ in range(min(rnd.choice((1, 1, 1, 2, 3)), total - n)):
                r = list(empty)
                if rnd.random() < 0.01:
                    insee, cp, lib = rnd.choice(VAR)
                else:
                    dep = rnd.choice(DEPS)
                    insee = "%s%03d" % (dep, rnd.randint(1, 700))
                    cp = ("20" if dep in ("2A", "2B") else dep) + "%03d" % rnd.randint(0, 999)
                    lib = "COMMUNE %s" % insee
                r[IDX["Type d'identifiant PP"]] = "8"
                r[IDX["Identifiant PP"]] = rpps
                r[IDX["Identification nationale PP"]] = "8" + rpps
                r[IDX["Code civilité d'exercice"]] = "DR" if prof[0] == "10" else ""
                r[IDX["Libellé civilité d'exercice"]] = "Docteur" if prof[0] == "10" else ""
                r[IDX["Code civilité"]] = civ
                r[IDX["Libellé civilité"]] = "Madame" if civ == "MME" else "Monsieur"
                r[IDX["Nom d'exercice"]] = nom
                r[IDX["Prénom d'exercice"]] = prenom
                r[IDX["Code profession"]], r[IDX["Libellé profession"]] = prof[0], prof[1]
                r[IDX["Code savoir-faire"]], r[IDX["Libellé savoir-faire"]] = prof[2], prof[3]
                r[IDX["Code catégorie professionnelle"]] = "C"
                r[IDX["Libellé catégorie professionnelle"]] = "Civil"
                r[IDX["Code mode exercice"]] = rnd.choice("LLS")
                r[IDX["Numéro SIRET site"]] = "%014d" % rnd.randint(0, 10**14 - 1)
                r[IDX["Raison sociale site"]] = "CABINET %s" % nom
                r[IDX["Identifiant technique de la structure"]] = "R10%09d" % n
                r[IDX["Numéro Voie (coord. structure)"]] = str(rnd.randint(1, 120))
                r[IDX["Libellé type de voie (coord. structure)"]] = rnd.choice(("Rue", "Avenue", "Boulevard", "Chemin"))
                r[IDX["Libellé Voie (coord. structure)"]] = rnd.choice(VOIES)
                r[IDX["Code postal (coord. structure)"]] = cp
                r[IDX["Code commune (coord. structure)"]] = "" if rnd.random() < 0.33 else insee
                r[IDX["Libellé commune (coord. structure)"]] = lib
                r[IDX["Code pays (coord. structure)"]] = "99000"
                r[IDX["Libellé pays (coord. structure)"]] = "France"
                r[IDX["Téléphone (coord. structure)"]] = "04%08d" % rnd.randint(0, 10**8 - 1)
                r[IDX["Adresse e-mail (coord. structure)"]] = "cabinet%d@example.fr" % person
                r[IDX["Code Département (structure)"]] = insee[:2]
                r[IDX["Autorité d'enregistrement"]] = "CNOM/CNOM/CNOM"
                r[IDX["Code secteur d'activité"]] = "SA07"
                r[IDX["Libellé secteur d'activité"]] = "Cabinet individuel"
                r[IDX["Code genre activité"]] = "GENR01"
                r[IDX["Libellé genre activité"]] = "Activité standard de soin ou de pharmacien"
                f.write("|".join(r) + "|\n")
                n += 1

if __name__ == "__main__":
    main()
