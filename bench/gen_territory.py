#!/usr/bin/env python3
"""Synthetic territory for the build benchmark (bench/compare.sh), written twice: as Maillage
content and as an equivalent Hugo site.

Usage: python3 bench/gen_territory.py N OUT_DIR [--seed S]

Writes
  OUT_DIR/maillage/content/   the example CPTS of content/ (kept so its references still resolve),
                              plus N generated members, N/20 actions with sessions, N/20 offers
                              and N/30 generated communes with populations added to cpts.yaml;
  OUT_DIR/hugo/               a Hugo site with the same N members, actions and offers: one
                              Markdown page each carrying the same fields in front matter,
                              taxonomies `professions` and `communes`, minimal templates printing
                              the same fields, and the same list pages (directory, per profession,
                              per commune, actions, offers). Its pages are about a tenth of
                              Maillage's bytes: kept as it is for continuity of past figures;
  OUT_DIR/hugo-same/          the same front matter with templates that write the pages Maillage
                              writes, as a Hugo site would: head (description, canonical, Atom
                              links, JSON-LD, Open Graph), header (urgent numbers, menu with
                              aria-current, search), breadcrumbs, a member's facts with their
                              confirmation month in French, places, cards of the structures it
                              works in, footer; profession and commune pages paged by 50, offers
                              by type, profession and commune, an iCalendar file per action,
                              Atom feeds of upcoming actions and open offers, a sitemap. Labels,
                              communes and acronyms live in data/, as a real site keeps them; no
                              HTML is precomputed. Median page size within 15 % of Maillage's
                              (bench/compare.sh prints both).

Deterministic: the same N and seed always give the same bytes. OUT_DIR must not exist or be empty.
Field distributions follow the example CPTS: mostly nurses, GPs, physiotherapists and pharmacists;
1 to 3 places (70 % / 22 % / 8 %); about 5 % structures (MSP, pharmacies, EHPAD…) listing people.
"""

import datetime
import json
import os
import random
import re
import shutil
import sys
import unicodedata

import gen_site  # this folder: the same Luhn check digit

# (key, weight, label) — weights roughly follow French densities of health professionals.
PROFESSIONS = [
    ("infirmier", 30, "Infirmier"), ("medecin-generaliste", 16, "Médecin généraliste"),
    ("masseur-kinesitherapeute", 14, "Masseur-kinésithérapeute"), ("pharmacien", 10, "Pharmacien"),
    ("chirurgien-dentiste", 7, "Chirurgien-dentiste"), ("medecin-specialiste", 6, "Médecin spécialiste"),
    ("orthophoniste", 4, "Orthophoniste"), ("sage-femme", 4, "Sage-femme"),
    ("pedicure-podologue", 3, "Pédicure-podologue"), ("psychologue", 3, "Psychologue"),
    ("dieteticien", 1, "Diététicien"), ("orthoptiste", 1, "Orthoptiste"),
    ("ergotherapeute", 1, "Ergothérapeute"),
]
STRUCTURES = [("msp", "Maison de santé"), ("pharmacie", "Pharmacie"), ("ehpad", "EHPAD"),
              ("centre-de-sante", "Centre de santé"), ("laboratoire", "Laboratoire")]
SPECIALITES = ["Cardiologie", "Pédiatrie", "Dermatologie", "Gynécologie", "Psychiatrie", "Gériatrie"]
FIRST_F = ["Claire", "Inès", "Léa", "Nadia", "Sophie", "Emma", "Chloé", "Zoé", "Amel", "Lina",
           "Hélène", "Margaux", "Anaïs", "Céline", "Julie", "Sarah", "Manon", "Élodie"]
FIRST_M = ["Paul", "Hugo", "Marc", "Louis", "Karim", "Jules", "Yanis", "Tom", "Théo", "Noé",
           "François", "Julien", "Mehdi", "Antoine", "Nicolas", "Olivier", "Rémi", "Bruno"]
LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
        "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
        "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet",
        "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller"]
VOIES = ["rue de la République", "avenue Jean-Jaurès", "place de la Mairie", "chemin des Oliviers",
         "boulevard Pasteur", "rue des Écoles", "avenue du Général-de-Gaulle", "route de Toulon"]
LANGUES = ["Anglais", "Espagnol", "Italien", "Arabe", "Allemand", "Portugais"]
HORAIRES = ["Du lundi au vendredi, 8 h – 19 h", "Du lundi au samedi, 8 h 30 – 12 h et 14 h – 19 h",
            "Lundi, mardi, jeudi et vendredi, 9 h – 18 h", "Sur rendez-vous, du lundi au vendredi"]
PREFIXES = ["Saint-", "Le ", "La ", "Les ", "", "", "", ""]
ROOTS = ["Montbel", "Rocheval", "Villefranche", "Beaulieu", "Castelnau", "Fontaine", "Mirabel",
         "Puyricard", "Sauveterre", "Valdoux", "Bellegarde", "Montfort", "Roquebrune", "Aiguebelle"]
THEMES = ["Addictions", "Vaccination", "Dépistage des cancers", "Santé mentale", "Nutrition", "Chutes"]
OFFER_KINDS = ["stage", "installation", "remplacement", "collaboration", "assistanat", "salariat"]


def luhn_complete(digits):
    """`digits` followed by the check digit that makes the whole pass the Luhn check."""
    return digits + gen_site.luhn_complete(digits)


def weighted(rnd, table):
    return rnd.choices(table, weights=[t[1] for t in table])[0]


def yq(s):
    """A YAML/TOML-safe double-quoted scalar (JSON strings are valid in both)."""
    return json.dumps(s, ensure_ascii=False)


def gen_communes(rnd, count, example):
    """`count` new communes (INSEE codes outside the example's), with populations (log-uniform)."""
    used = {c[0] for c in example}
    out = []
    k = 0
    while len(out) < count:
        dep = 1 + k // 800
        if dep == 20:
            dep += 1
        insee = f"{dep:02d}{200 + k % 800:03d}"
        k += 1
        if insee in used:
            continue
        name = f"{rnd.choice(PREFIXES)}{ROOTS[k % len(ROOTS)]}-{k}"
        pop = int(10 ** rnd.uniform(2.3, 4.6))
        lat, lon = 43.2 + rnd.random() * 0.5, 6.0 + rnd.random() * 0.7
        out.append((insee, name, f"{dep:02d}{k % 1000:03d}", pop, lat, lon))
    return out


def member_record(rnd, i, communes):
    """Fields of generated member `i` as a dict (the same dict feeds both sites)."""
    m = {}
    is_structure = rnd.random() < 0.05
    if is_structure:
        kind, label = rnd.choice(STRUCTURES)
        m["slug"] = f"structure-{i:06d}"
        m["raison_sociale"] = f"{label} {rnd.choice(ROOTS)} {i}"
        m["structure"] = kind
        # 84…: never one of the example's FINESS numbers (83…), which would be a duplicate.
        m["finess"] = luhn_complete(f"84{i % 1000000:06d}")
    else:
        female = rnd.random() < 0.6
        key, _, label = weighted(rnd, PROFESSIONS)
        m["slug"] = f"membre-{i:06d}"
        m["civilite"] = "Mme" if female else "M."
        if key.startswith("medecin") or key == "chirurgien-dentiste":
            m["titre"] = "Dr"
        m["prenom"] = rnd.choice(FIRST_F if female else FIRST_M)
        m["nom"] = f"{rnd.choice(LAST)}-{i}"
        m["profession"] = key
        if key == "medecin-specialiste":
            m["specialite"] = rnd.choice(SPECIALITES)
        m["rpps"] = luhn_complete("1" + str(80000000 + i).zfill(9))
        m["exercice"] = rnd.choice(["liberal", "liberal", "liberal", "salarie", "mixte"])
    lieux = []
    for j in range(rnd.choices([1, 2, 3], weights=[70, 22, 8])[0]):
        c = communes[min(int(rnd.paretovariate(1.2)) - 1, len(communes) - 1)] if rnd.random() < 0.5 \
            else rnd.choice(communes)
        lieu = {
            "adresse": f"{rnd.randint(1, 120)} {rnd.choice(VOIES)}",
            "code_postal": c[2],
            "commune": c[0],
            "coordonnees": [round(c[4] + rnd.uniform(-0.01, 0.01), 4), round(c[5] + rnd.uniform(-0.01, 0.01), 4)],
            "telephone": f"04 {rnd.randint(10, 99)} {rnd.randint(10, 99)} {(i // 100) % 100:02d} {i % 100:02d}",
            "horaires": rnd.choice(HORAIRES),
            "accessible_pmr": rnd.random() < 0.7,
        }
        if rnd.random() < 0.4:
            lieu["prise_rdv"] = f"https://rdv.example.fr/{m['slug']}/{j + 1}"
        lieux.append(lieu)
    m["lieux"] = lieux
    if not is_structure:
        m["accepte_nouveaux_patients"] = rnd.random() < 0.3
        m["soins_non_programmes"] = rnd.random() < 0.35
        m["teleconsultation"] = rnd.random() < 0.2
        m["maitre_de_stage"] = rnd.random() < 0.1
        if rnd.random() < 0.15:
            m["langues"] = rnd.sample(LANGUES, rnd.randint(1, 2))
        m["annee_naissance"] = rnd.randint(1955, 1998)
    if rnd.random() < 0.25:
        m["presentation"] = (f"Exerce depuis {rnd.randint(1990, 2024)} sur le territoire ; reçoit "
                             "sur rendez-vous et travaille en lien avec les autres professionnels de la CPTS.")
    m["publie"] = rnd.random() < 0.97
    # Confirmed this autumn, one in ten in the spring (stale for new patients and same-day care);
    # from `i`, not `rnd`, so that the rest of the territory stays what it was.
    day = datetime.date(2026, 4, 15) if i % 10 == 9 else datetime.date(2026, 9, 10) + datetime.timedelta(days=(i * 37) % 50)
    m["verifie_le"] = day.isoformat()
    return m


def member_yaml(m):
    keys = ["civilite", "titre", "prenom", "nom", "raison_sociale", "profession", "structure", "specialite",
            "rpps", "finess", "exercice"]
    lines = [f"{k}: {yq(m[k])}" for k in keys if k in m]
    lines.append("lieux:")
    for lieu in m["lieux"]:
        first = True
        for k, v in lieu.items():
            val = f"[{v[0]}, {v[1]}]" if k == "coordonnees" else (str(v).lower() if isinstance(v, bool) else yq(v))
            lines.append(f"  {'- ' if first else '  '}{k}: {val}")
            first = False
    for k in ["accepte_nouveaux_patients", "soins_non_programmes", "teleconsultation", "maitre_de_stage"]:
        if k in m:
            lines.append(f"{k}: {str(m[k]).lower()}")
    if "langues" in m:
        lines.append("langues: [" + ", ".join(yq(x) for x in m["langues"]) + "]")
    if "annee_naissance" in m:
        lines.append(f"annee_naissance: {m['annee_naissance']}")
    if "presentation" in m:
        lines.append(f"presentation: {yq(m['presentation'])}")
    if m.get("membres"):
        lines.append("membres: [" + ", ".join(yq(x) for x in m["membres"]) + "]")
    lines.append(f"verifie_le: {m['verifie_le']}")
    lines.append(f"publie: {str(m['publie']).lower()}")
    return "\n".join(lines) + "\n"


def action_record(rnd, i, communes, people):
    theme = rnd.choice(THEMES)
    seances = []
    for s in range(rnd.randint(1, 4)):
        c = rnd.choice(communes)
        month, day = rnd.randint(1, 12), rnd.randint(1, 28)
        seances.append({"date": f"{rnd.choice([2026, 2027])}-{month:02d}-{day:02d}", "debut": "09:00", "fin": "12:00",
                        "lieu": f"Salle des fêtes de {c[1]}", "commune": c[0],
                        "organisateur": "CPTS", "inscription": "Sans inscription"})
    return {"slug": f"action-{i:05d}", "titre": f"{theme} : action {i}",
            "resume": f"Action de prévention n° {i} sur le thème {theme.lower()}, ouverte à tous les habitants.",
            "theme": theme, "public": "Tous publics", "referents": rnd.sample(people, min(2, len(people))),
            "seances": seances,
            "body": f"## Programme\n\nStands d'information, ateliers et consultations ({i}).\n\n"
                    "## Partenaires\n\nCPAM, ARS et associations du territoire.\n"}


def offer_record(rnd, i, communes, people):
    key, _, label = weighted(rnd, PROFESSIONS)
    c = rnd.choice(communes)
    kind = rnd.choice(OFFER_KINDS)
    return {"slug": f"offre-{i:05d}", "titre": f"{kind.capitalize()} {label.lower()} à {c[1]}", "type": kind,
            "resume": f"Offre n° {i} : {kind} pour un(e) {label.lower()}, accompagnement par la CPTS.",
            "profession": key, "communes": [c[0]], "date_publication": "2026-01-15",
            "valide_jusqu_au": rnd.choice(["2026-06-30", "2027-06-30", "2027-12-31"]),
            "contact": rnd.choice(people),
            "body": f"## Le poste\n\nPatientèle constituée, secrétariat, logiciel partagé ({i}).\n"}


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def maillage_site(out, example_dir, cpts_text, communes, members, actions, offers):
    content = os.path.join(out, "maillage", "content")
    shutil.copytree(example_dir, content)
    block = "".join(
        f'    - insee: "{c[0]}"\n      nom: {yq(c[1])}\n      codes_postaux: ["{c[2]}"]\n'
        f"      population: {c[3]}\n      centre: [{c[4]:.4f}, {c[5]:.4f}]\n      zonage: aucun\n"
        for c in communes)
    # Insert the generated communes after the last example commune (the list ends at a blank line).
    m = re.search(r"(  communes:\n(?:    .*\n)+)", cpts_text)
    write(os.path.join(content, "cpts.yaml"), cpts_text[:m.end()] + block + cpts_text[m.end():])
    for m in members:
        write(os.path.join(content, "membres", m["slug"] + ".yaml"), member_yaml(m))
    for a in actions:
        seances = "".join(
            f"  - date: {s['date']}\n    debut: \"{s['debut']}\"\n    fin: \"{s['fin']}\"\n    lieu: {yq(s['lieu'])}\n"
            f"    commune: \"{s['commune']}\"\n    organisateur: {s['organisateur']}\n    inscription: {s['inscription']}\n"
            for s in a["seances"])
        write(os.path.join(content, "actions", a["slug"] + ".md"),
              f"---\ntitre: {yq(a['titre'])}\nresume: {yq(a['resume'])}\ntheme: {a['theme']}\n"
              f"public:\n  precision: {a['public']}\n"
              f"referents: [{', '.join(a['referents'])}]\nseances:\n{seances}---\n\n{a['body']}")
    for o in offers:
        write(os.path.join(content, "offres", o["slug"] + ".md"),
              f"---\ntitre: {yq(o['titre'])}\ntype: {o['type']}\nresume: {yq(o['resume'])}\nprofession: {o['profession']}\n"
              f"communes: [\"{o['communes'][0]}\"]\ndate_publication: {o['date_publication']}\n"
              f"valide_jusqu_au: {o['valide_jusqu_au']}\ncontact:\n  membre: {o['contact']}\n---\n\n{o['body']}")


HUGO_LAYOUTS = {
    "baseof.html": """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a>
<nav><a href="/membres/">Annuaire</a> <a href="/professions/">Professions</a> <a href="/communes/">Communes</a>
<a href="/actions/">Prévention</a> <a href="/offres/">Offres</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "_partials/member-row.html": """<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
{{ with .Params.profession }}{{ . }}{{ end }}{{ with .Params.structure }}{{ . }}{{ end }}
{{ range .Params.lieux }} · {{ .adresse }}, {{ .code_postal }} {{ .commune }}{{ end }}
{{ if .Params.accepte_nouveaux_patients }}<strong>Accepte de nouveaux patients</strong>{{ end }}</li>
""",
    "home.html": """{{ define "main" }}<h1>{{ site.Title }}</h1>
<p>{{ len (where site.RegularPages "Section" "membres") }} membres.</p>
<h2>Prochaines actions</h2><ul>{{ range first 5 (where site.RegularPages "Section" "actions") }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
<h2>Dernières offres</h2><ul>{{ range first 5 (where site.RegularPages "Section" "offres") }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
""",
    "list.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Pages }}{{ if eq .Section "membres" }}{{ partial "member-row.html" . }}{{ else }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.resume }}</li>{{ end }}{{ end }}</ul>{{ end }}
""",
    "taxonomy.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}
</ul>{{ end }}
""",
    "term.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Pages }}{{ partial "member-row.html" . }}{{ end }}</ul>{{ end }}
""",
    "membres/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
{{ with .Params.civilite }}<p>{{ . }}</p>{{ end }}{{ with .Params.profession }}<p>Profession : {{ . }}</p>{{ end }}
{{ with .Params.structure }}<p>Structure : {{ . }}</p>{{ end }}{{ with .Params.specialite }}<p>{{ . }}</p>{{ end }}
{{ with .Params.rpps }}<p>RPPS : {{ . }}</p>{{ end }}{{ with .Params.finess }}<p>FINESS : {{ . }}</p>{{ end }}
{{ with .Params.exercice }}<p>Exercice : {{ . }}</p>{{ end }}
{{ range .Params.lieux }}<section><h2>{{ .adresse }}</h2><p>{{ .code_postal }} {{ .commune }}</p>
<p>{{ .telephone }}</p><p>{{ .horaires }}</p>{{ with .prise_rdv }}<a href="{{ . }}">Prendre rendez-vous</a>{{ end }}
{{ if .accessible_pmr }}<p>Accessible PMR</p>{{ end }}</section>{{ end }}
{{ if .Params.accepte_nouveaux_patients }}<p>Accepte de nouveaux patients</p>{{ end }}
{{ if .Params.soins_non_programmes }}<p>Soins non programmés</p>{{ end }}
{{ if .Params.teleconsultation }}<p>Téléconsultation</p>{{ end }}
{{ with .Params.langues }}<p>Langues : {{ delimit . ", " }}</p>{{ end }}
{{ with .Params.presentation }}<p>{{ . }}</p>{{ end }}
{{ range .GetTerms "communes" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</article>{{ end }}
""",
    "single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Params.resume }}</p>
{{ range .Params.seances }}<p>{{ .date }} {{ .debut }}–{{ .fin }}, {{ .lieu }} ({{ .commune }})</p>{{ end }}
{{ with .Params.type }}<p>{{ . }} · {{ $.Params.profession }} · jusqu’au {{ $.Params.valide_jusqu_au }}</p>{{ end }}
{{ .Content }}</article>{{ end }}
""",
}


def hugo_site(out, communes, members, actions, offers):
    site = os.path.join(out, "hugo")
    names = {c[0]: c[1] for c in communes}
    write(os.path.join(site, "hugo.toml"),
          'baseURL = "https://cpts.example.fr/"\nlanguageCode = "fr"\ntitle = "CPTS synthétique"\n'
          'disableKinds = ["RSS", "sitemap", "robotsTXT"]\n'
          '[taxonomies]\n  profession = "professions"\n  commune = "communes"\n')
    for name, text in HUGO_LAYOUTS.items():
        write(os.path.join(site, "layouts", name), text)
    write(os.path.join(site, "content", "membres", "_index.md"), '---\ntitle: "Annuaire"\n---\n')
    write(os.path.join(site, "content", "actions", "_index.md"), '---\ntitle: "Prévention"\n---\n')
    write(os.path.join(site, "content", "offres", "_index.md"), '---\ntitle: "Offres"\n---\n')
    for m in members:
        fm = {k: v for k, v in m.items() if k != "slug"}
        if "raison_sociale" in m:
            fm["title"] = m["raison_sociale"]
        else:
            fm["title"] = " ".join(x for x in (m.get("titre"), m["prenom"], m["nom"]) if x)
        fm["professions"] = [m.get("profession") or m.get("structure")]
        fm["communes"] = sorted({names[l["commune"]] for l in m["lieux"]})
        if not m["publie"]:
            fm["draft"] = True
        write(os.path.join(site, "content", "membres", m["slug"] + ".md"),
              "---\n" + json.dumps(fm, ensure_ascii=False, indent=1) + "\n---\n")
    for a in actions:
        fm = {"title": a["titre"], "resume": a["resume"], "theme": a["theme"], "public": a["public"],
              "referents": a["referents"], "seances": a["seances"]}
        write(os.path.join(site, "content", "actions", a["slug"] + ".md"),
              json.dumps(fm, ensure_ascii=False, indent=1) + "\n\n" + a["body"])
    for o in offers:
        fm = {k: v for k, v in o.items() if k not in ("slug", "body", "titre")}
        fm["title"] = o["titre"]
        write(os.path.join(site, "content", "offres", o["slug"] + ".md"),
              json.dumps(fm, ensure_ascii=False, indent=1) + "\n\n" + o["body"])


# Labels of the profession and structure keys (the site's data/professions.json): masculine,
# feminine (when it differs), plural, and the schema.org type of the directory entry.
PROFESSION_LABELS = {
    "infirmier": ("Infirmier", "Infirmière", "Infirmiers"),
    "medecin-generaliste": ("Médecin généraliste", None, "Médecins généralistes"),
    "masseur-kinesitherapeute": ("Masseur-kinésithérapeute", "Masseuse-kinésithérapeute", "Masseurs-kinésithérapeutes"),
    "pharmacien": ("Pharmacien", "Pharmacienne", "Pharmaciens"),
    "chirurgien-dentiste": ("Chirurgien-dentiste", "Chirurgienne-dentiste", "Chirurgiens-dentistes"),
    "medecin-specialiste": ("Médecin spécialiste", None, "Médecins spécialistes"),
    "orthophoniste": ("Orthophoniste", None, "Orthophonistes"),
    "sage-femme": ("Sage-femme", None, "Sages-femmes"),
    "pedicure-podologue": ("Pédicure-podologue", None, "Pédicures-podologues"),
    "psychologue": ("Psychologue", None, "Psychologues"),
    "dieteticien": ("Diététicien", "Diététicienne", "Diététiciens"),
    "orthoptiste": ("Orthoptiste", None, "Orthoptistes"),
    "ergotherapeute": ("Ergothérapeute", None, "Ergothérapeutes"),
    "msp": ("Maison de santé pluriprofessionnelle", None, "Maisons de santé pluriprofessionnelles"),
    "pharmacie": ("Pharmacie", None, "Pharmacies"),
    "ehpad": ("EHPAD", None, "EHPAD"),
    "centre-de-sante": ("Centre de santé", None, "Centres de santé"),
    "laboratoire": ("Laboratoire de biologie médicale", None, "Laboratoires de biologie médicale"),
}
# Acronyms the pages explain in an <abbr>, as Maillage does from its glossary.
SIGLES = {"CPTS": "communauté professionnelle territoriale de santé", "CPAM": "caisse primaire d’assurance maladie",
          "ARS": "agence régionale de santé", "EHPAD": "établissement d’hébergement pour personnes âgées dépendantes",
          "SSIAD": "service de soins infirmiers à domicile", "HAD": "hospitalisation à domicile",
          "DAC": "dispositif d’appui à la coordination", "CMP": "centre médico-psychologique",
          "SAMU": "service d’aide médicale urgente", "ACI": "accord conventionnel interprofessionnel"}
SCHEMA_TYPES = {"medecin-generaliste": "Physician", "medecin-specialiste": "Physician",
                "chirurgien-dentiste": "Dentist", "msp": "MedicalClinic", "pharmacie": "Pharmacy", "ehpad": "MedicalOrganization",
                "centre-de-sante": "MedicalClinic", "laboratoire": "DiagnosticLab"}

# hugo-same/: the pages Maillage writes, rebuilt by Hugo's templates from the same front matter.
HUGO_SAME_CONFIG = r'''baseURL = "https://www.cpts-pays-argens.fr/"
locale = "fr-FR"
defaultContentLanguage = "fr"
title = "CPTS Pays de l’Argens"
disableKinds = ["RSS", "taxonomy", "robotsTXT"]

[pagination]
  pagerSize = 50
  disableAliases = true

[taxonomies]
  profession = "professions"
  commune = "communes"
  offre_type = "offre_types"
  offre_profession = "offre_professions"
  offre_commune = "offre_communes"

[permalinks.term]
  professions = "/annuaire/profession/:slug/"
  communes = "/annuaire/commune/:slug/"
  offre_types = "/offres/type/:slug/"
  offre_professions = "/offres/profession/:slug/"
  offre_communes = "/offres/commune/:slug/"

[mediaTypes."application/atom+xml"]
  suffixes = ["xml"]
[outputFormats.atom]
  mediaType = "application/atom+xml"
  baseName = "atom"
[outputFormats.calendar]
  baseName = "seances"

[params]
  today = "2026-11-01"
  organisation = "CPTS du Pays de l’Argens"
  slogan = "Se soigner ensemble, de Lorgues à Gonfaron"
  description = "Une communauté professionnelle territoriale de santé (CPTS) réunit les professionnels de santé d’un territoire pour soigner ensemble toute sa population ; ce site vous aide à trouver un professionnel, une action de prévention ou une offre d’installation."
  adresse = "14 chemin de la Tour, 83340 Le Luc"
  telephone = "04 65 71 27 00"
  courriel = "contact@cpts-pays-argens.fr"
  horaires = "Du lundi au vendredi, 9 h – 12 h 30 et 13 h 30 – 17 h"
  version = "fe611bfb"
  image = "/images/partage-04bba3d3-1200.jpg"
  image_alt = "Illustration des collines du Pays de l’Argens, avec les couleurs de la CPTS"
  [params.exercices]
    liberal = "Libéral"
    salarie = "Salarié"
    mixte = "Libéral et salarié"
  [[params.urgences]]
    numero = "15"
    nom = "SAMU"
  [[params.urgences]]
    numero = "112"
    nom = "Numéro d’urgence européen"
  [[params.urgences]]
    numero = "114"
    nom = "Urgences pour les personnes sourdes ou malentendantes"
    sms = true
  [[params.urgences]]
    numero = "18"
    nom = "Sapeurs-pompiers"

[[menus.main]]
  name = "Annuaire"
  url = "/annuaire/"
  weight = 1
[[menus.main]]
  name = "Se soigner"
  url = "/soins/"
  weight = 2
[[menus.main]]
  name = "Prévention"
  url = "/prevention/"
  weight = 3
[[menus.main]]
  name = "Offres"
  url = "/offres/"
  weight = 4
[[menus.main]]
  name = "S’installer"
  url = "/s-installer/"
  weight = 5
[[menus.main]]
  name = "Actualités"
  url = "/actualites/"
  weight = 6
[[menus.main]]
  name = "La CPTS"
  url = "/la-cpts/"
  weight = 7
[[menus.main]]
  name = "Numéros utiles"
  url = "/contacts/"
  weight = 8
[[menus.main]]
  name = "Professionnels"
  url = "/professionnels/"
  weight = 9
[[menus.main]]
  name = "Questions fréquentes"
  url = "/faq/"
  weight = 10
'''

HUGO_SAME_LAYOUTS = {
    "baseof.html": r'''<!doctype html>
<html lang="fr">
{{- $meta := partial "meta.html" . }}
<head>
{{ partial "head.html" (dict "page" . "meta" $meta) }}
</head>
<body>
<a class="skip-link" href="#contenu">Aller au contenu</a>
{{- $current := "" }}{{ range site.Menus.main }}{{ if hasPrefix $.RelPermalink .URL }}{{ $current = .URL }}{{ end }}{{ end }}
{{ partialCached "header.html" $current $current }}
<p class="print-only wrap">{{ site.Params.organisation }} – {{ site.Params.telephone }} – {{ $meta.url }}</p>
{{ with $meta.crumbs }}<nav class="breadcrumbs wrap" aria-label="Fil d’Ariane">
<ol>{{ range $i, $c := . }}{{ if eq (add $i 1) (len $meta.crumbs) }}<li><span aria-current="page">{{ $c.name }}</span></li>{{ else }}<li><a href="{{ $c.url }}">{{ $c.name }}</a></li>{{ end }}{{ end }}</ol>
</nav>{{ end }}
<main id="contenu" class="wrap" tabindex="-1">
{{ block "main" . }}{{ end }}
</main>
{{ partialCached "footer.html" . }}
</body>
</html>
''',
    # Title, description, canonical address and breadcrumbs of any page, computed once in baseof.
    "_partials/meta.html": r'''{{- $title := .Title }}{{ $desc := .Params.resume | default site.Params.description }}
{{- $url := .Permalink }}{{ $crumbs := slice }}{{ $schema := "" }}
{{- $home := dict "name" "Accueil" "url" "/" }}
{{- if .IsHome }}{{ $title = site.Params.organisation }}
{{- else if eq .Kind "page" }}
  {{- $crumbs = slice $home }}
  {{- with .CurrentSection }}{{ if not .IsHome }}{{ $crumbs = $crumbs | append (dict "name" .LinkTitle "url" .RelPermalink) }}{{ end }}{{ end }}
  {{- if and (eq .Section "annuaire") .Params.categorie }}
    {{- $pr := index hugo.Data.professions .Params.categorie }}
    {{- $c := index hugo.Data.communes (index .Params.lieux 0).commune }}
    {{- $desc = printf "%s à %s : adresse, téléphone, horaires." (partial "kind.html" .) $c.nom }}
    {{- $crumbs = $crumbs | append (dict "name" $pr.pluriel "url" (printf "/annuaire/profession/%s/" .Params.categorie)) }}
    {{- $schema = $pr.schema }}
  {{- else if and (eq .Section "offres") .Params.valide_jusqu_au (lt .Params.valide_jusqu_au site.Params.today) }}
    {{- $crumbs = $crumbs | append (dict "name" "Archives" "url" "/offres/archives/") }}
  {{- end }}
  {{- $crumbs = $crumbs | append (dict "name" $title "url" .RelPermalink) }}
{{- else if eq .Kind "term" }}
  {{- $pager := partial "pager.html" . }}
  {{- $tax := .Data.Plural }}{{ $term := .Data.Term }}
  {{- $crumbs = slice $home }}
  {{- if eq $tax "professions" }}
    {{- $title = (index hugo.Data.professions $term).pluriel }}
    {{- $crumbs = $crumbs | append (dict "name" "Annuaire" "url" "/annuaire/") }}
    {{- $desc = printf "%s membres de la %s : adresses, téléphones, prise de rendez-vous." $title site.Params.organisation }}
  {{- else if eq $tax "communes" }}
    {{- $title = printf "Professionnels de santé à %s" .Title }}
    {{- $crumbs = $crumbs | append (dict "name" "Annuaire" "url" "/annuaire/") }}
    {{- $desc = printf "Les professionnels de santé membres de la CPTS à %s." .Title }}
  {{- else }}
    {{- if eq $tax "offre_professions" }}{{ $title = printf "Offres : %s" (index hugo.Data.professions $term).label }}
    {{- else if eq $tax "offre_types" }}{{ $title = printf "Offres : %s" (strings.FirstUpper $term) }}
    {{- else }}{{ $title = printf "Offres à %s" .Title }}{{ end }}
    {{- $crumbs = $crumbs | append (dict "name" "Offres" "url" "/offres/") }}
  {{- end }}
  {{- if gt $pager.PageNumber 1 }}
    {{- $crumbs = $crumbs | append (dict "name" $title "url" .RelPermalink) }}
    {{- $title = printf "%s, page %d sur %d" $title $pager.PageNumber $pager.TotalPages }}
    {{- $url = absURL $pager.URL }}
  {{- end }}
  {{- $crumbs = $crumbs | append (dict "name" $title "url" $pager.URL) }}
{{- else }}
  {{- $crumbs = slice $home }}
  {{- $crumbs = $crumbs | append (dict "name" .LinkTitle "url" .RelPermalink) }}
{{- end }}
{{- return dict "title" $title "description" $desc "url" $url "crumbs" $crumbs "schema" $schema }}''',
    # The paginator of a term page: members by name, grouped by profession on commune pages,
    # sorted once per term (every page of a paged list renders the same term page again).
    "_partials/pager.html": r'''{{ return .Paginate (partialCached "tri.html" . .RelPermalink) }}''',
    "_partials/tri.html": r'''{{- $pages := .Pages.ByTitle }}
{{- if or (eq .Data.Plural "professions") (eq .Data.Plural "communes") }}{{ $pages = .Pages.ByParam "nom" }}{{ end }}
{{- if eq .Data.Plural "communes" }}{{ return $pages.GroupByParam "categorie" }}{{ end }}
{{- return $pages }}''',
    "_partials/head.html": r'''{{- $p := .page }}{{ $m := .meta -}}
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ $m.title }}{{ if not $p.IsHome }} – {{ site.Title }}{{ end }}</title>
<meta name="description" content="{{ $m.description }}">
<link rel="canonical" href="{{ $m.url }}">
<link rel="stylesheet" href="/style.css?v={{ site.Params.version }}">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="alternate" type="application/atom+xml" title="Actualités – {{ site.Title }}" href="/actualites/atom.xml">
<link rel="alternate" type="application/atom+xml" title="Actions de prévention – {{ site.Title }}" href="/prevention/atom.xml">
<link rel="alternate" type="application/atom+xml" title="Offres ouvertes – {{ site.Title }}" href="/offres/atom.xml">
{{ partial "jsonld.html" . }}
<meta property="og:type" content="website">
<meta property="og:locale" content="fr_FR">
<meta property="og:site_name" content="{{ site.Params.organisation }}">
<meta property="og:title" content="{{ $m.title }}">
<meta property="og:description" content="{{ $m.description }}">
<meta property="og:url" content="{{ $m.url }}">
<meta property="og:image" content="{{ absURL site.Params.image }}">
<meta property="og:image:type" content="image/jpeg">
<meta property="og:image:width" content="1200">
<meta property="og:image:height" content="630">
<meta property="og:image:alt" content="{{ site.Params.image_alt }}">
<meta name="twitter:card" content="summary_large_image">
<meta name="theme-color" content="#0b5a6b">''',
    # JSON-LD: the breadcrumbs for every page, plus the directory entry and its profile page for a
    # member, one Event per session for an action, a JobPosting for an open offer.
    "_partials/jsonld.html": r'''{{- $p := .page }}{{ $m := .meta }}
{{- $items := slice }}
{{- range $i, $c := $m.crumbs }}{{ $items = $items | append (dict "@type" "ListItem" "position" (add $i 1) "name" $c.name "item" (absURL $c.url)) }}{{ end }}
{{- $graph := slice }}
{{- if and $p.IsPage (eq $p.Section "annuaire") $p.Params.categorie }}
  {{- range $p.Params.lieux }}
    {{- $c := index hugo.Data.communes .commune }}
    {{- $b := dict "@type" $m.schema "name" $p.Title "url" $p.Permalink "telephone" (partial "tel.html" .telephone)
        "address" (dict "@type" "PostalAddress" "streetAddress" .adresse "postalCode" .code_postal "addressLocality" $c.nom "addressCountry" "FR")
        "geo" (dict "@type" "GeoCoordinates" "latitude" (index .coordonnees 0) "longitude" (index .coordonnees 1))
        "memberOf" (dict "@type" "MedicalOrganization" "name" site.Params.organisation "url" site.Home.Permalink) }}
    {{- if isset $p.Params "accepte_nouveaux_patients" }}{{ $b = merge $b (dict "isAcceptingNewPatients" $p.Params.accepte_nouveaux_patients) }}{{ end }}
    {{- with $p.Params.langues }}{{ $b = merge $b (dict "knowsLanguage" (append . (slice "français"))) }}{{ end }}
    {{- $graph = $graph | append $b }}
  {{- end }}
  {{- $graph = $graph | append (dict "@type" "ProfilePage" "url" $p.Permalink "name" $p.Title "dateModified" $p.Params.verifie_le) }}
{{- else if and $p.IsPage (eq $p.Section "prevention") $p.Params.seances }}
  {{- range $p.Params.seances }}
    {{- $c := index hugo.Data.communes .commune }}
    {{- $start := time.AsTime (printf "%sT%s:00" .date .debut) "Europe/Paris" }}
    {{- $end := time.AsTime (printf "%sT%s:00" .date .fin) "Europe/Paris" }}
    {{- $graph = $graph | append (dict "@type" "Event" "name" (printf "%s à %s, %s" $p.Title $c.nom (partial "jour.html" (dict "date" .date)))
        "description" $p.Params.resume "url" $p.Permalink
        "startDate" ($start.Format "2006-01-02T15:04:05-07:00") "endDate" ($end.Format "2006-01-02T15:04:05-07:00")
        "eventStatus" "https://schema.org/EventScheduled" "eventAttendanceMode" "https://schema.org/OfflineEventAttendanceMode"
        "location" (dict "@type" "Place" "name" .lieu "address" (dict "@type" "PostalAddress" "streetAddress" .lieu "postalCode" $c.cp "addressLocality" $c.nom "addressCountry" "FR"))
        "organizer" (dict "@type" "Organization" "name" .organisateur)) }}
  {{- end }}
{{- else if and $p.IsPage (eq $p.Section "offres") $p.Params.valide_jusqu_au (ge $p.Params.valide_jusqu_au site.Params.today) }}
  {{- $c := index hugo.Data.communes (index $p.Params.offre_communes 0) }}
  {{- $type := index $p.Params.offre_types 0 }}
  {{- $graph = $graph | append (dict "@type" "JobPosting" "title" $p.Title
      "description" (printf "<p>%s</p>%s" $p.Params.resume $p.Content) "datePosted" $p.Params.date_publication
      "validThrough" (printf "%sT23:59:59+02:00" $p.Params.valide_jusqu_au)
      "employmentType" (slice (index (dict "stage" "INTERN" "salariat" "FULL_TIME") $type | default "CONTRACTOR"))
      "hiringOrganization" (dict "@type" "Organization" "name" site.Params.organisation "url" site.Home.Permalink "email" site.Params.courriel)
      "jobLocation" (slice (dict "@type" "Place" "name" $c.nom "address" (dict "@type" "PostalAddress" "addressLocality" $c.nom "postalCode" $c.cp "addressCountry" "FR")))
      "url" $p.Permalink "identifier" (dict "@type" "PropertyValue" "name" site.Params.organisation "value" $p.File.ContentBaseName)
      "occupationalCategory" (index hugo.Data.professions $p.Params.profession).label) }}
{{- end }}
{{- with $items }}{{ $graph = $graph | append (dict "@type" "BreadcrumbList" "itemListElement" .) }}{{ end }}
{{- with $graph }}
<script type="application/ld+json">{{ dict "@context" "https://schema.org" "@graph" . | jsonify | safeJS }}</script>
{{- end }}''',
    "_partials/header.html": r'''<header class="site-header">
<div class="wrap header-top">
<a class="brand" href="/"><img src="/images/logo.svg" alt="" width="48" height="48"><span class="brand-name">{{ site.Title }}<span class="brand-slogan">{{ site.Params.slogan }}</span></span></a>
<a class="menu-button" href="#menu">Menu</a>
<p class="urgent-line"><span class="urgent-label">Urgence&nbsp;:</span>{{ range site.Params.urgences }}{{ if .sms }}<a href="sms:{{ .numero }}"><span class="sr-only">{{ .nom }}, </span>{{ .numero }}<span class="number-kind"> SMS</span></a>{{ else }}<a href="tel:{{ .numero }}"><span class="sr-only">{{ .nom }}, </span>{{ .numero }}</a>{{ end }}{{ end }}</p>
</div>
<div id="menu" class="menu-panel" tabindex="-1">
<div class="wrap menu-inner">
<nav class="main-nav" aria-label="Menu principal">
<ul>
{{ $current := . }}{{ range site.Menus.main }}<li><a href="{{ .URL }}"{{ if eq $current .URL }} aria-current="true"{{ end }}>{{ .Name }}</a></li>
{{ end }}</ul>
</nav>
<form class="header-search" role="search" action="/recherche/" method="get"><label for="recherche-entete" class="sr-only">Rechercher sur le site</label><input id="recherche-entete" name="q" type="search"><button type="submit">Rechercher</button></form>
<p class="menu-close"><a href="#">Fermer le menu</a></p>
</div>
</div>
</header>''',
    "_partials/footer.html": r'''<footer class="site-footer">
<div class="wrap footer-grid">
<section aria-labelledby="pied-contact">
<h2 id="pied-contact">{{ site.Params.organisation }}</h2>
<p>{{ site.Params.adresse }}</p>
<ul class="plain">
<li>Téléphone&nbsp;: <a {{ printf "href=\"tel:%s\"" (partial "tel.html" site.Params.telephone) | safeHTMLAttr }}>{{ site.Params.telephone }}</a></li>
<li>Courriel&nbsp;: <a href="mailto:{{ site.Params.courriel }}">{{ site.Params.courriel }}</a></li>
<li>{{ site.Params.horaires }}</li>
</ul>
<p><a href="/la-cpts/resultats/">Nos résultats, année par année</a></p>
</section>
<section aria-labelledby="pied-urgences">
<h2 id="pied-urgences">En cas d’urgence</h2>
<ul class="plain">{{ range site.Params.urgences }}<li>{{ .nom }}&nbsp;: {{ if .sms }}<a href="sms:{{ .numero }}">{{ .numero }}</a>{{ else }}<a href="tel:{{ .numero }}">{{ .numero }}</a>{{ end }}</li>{{ end }}
<li><a href="/contacts/">Tous les numéros utiles</a></li>
</ul>
</section>
<section aria-labelledby="pied-site">
<h2 id="pied-site">Ce site</h2>
<ul class="plain">
<li><a href="/accessibilite/">Accessibilité&nbsp;: partiellement conforme</a></li>
<li><a href="/mentions-legales/">Mentions légales et données personnelles</a></li>
<li><a href="/plan-du-site/">Plan du site</a></li>
<li><a href="/glossaire/">Sigles et mots du site</a></li>
<li><a href="/donnees/">Données ouvertes</a></li>
</ul>
<p class="small">Site sans cookie ni mesure d’audience.</p>
</section>
</div>
</footer>''',
    # Small functions (partials that return a value).
    "_partials/tel.html": r'''{{ return printf "+33%s" (strings.TrimPrefix "0" (replace . " " "")) }}''',
    "_partials/mois.html": r'''{{ return time.Format "January 2006" (time.AsTime .) }}''',
    "_partials/jour.html": r'''{{- $t := time.AsTime .date }}
{{- $s := printf "%s %s" (cond (eq $t.Day 1) "1er" (string $t.Day)) (time.Format "January 2006" $t) }}
{{- if .semaine }}{{ $s = printf "%s %s" (time.Format "Monday" $t) $s }}{{ end }}
{{- return $s }}''',
    "_partials/heure.html": r'''{{- $hm := split . ":" }}{{ $s := printf "%s h" (strings.TrimPrefix "0" (index $hm 0)) }}
{{- if ne (index $hm 1) "00" }}{{ $s = printf "%s %s" $s (index $hm 1) }}{{ end }}
{{- return $s }}''',
    # Whether a member's facts were confirmed less than three months ago.
    # The first occurrence of each acronym of data/sigles.json, explained in an <abbr>.
    "_partials/sigles.html": r'''{{- $s := string . }}{{ range $k, $v := hugo.Data.sigles }}{{ $s = replaceRE (printf `\b%s\b` $k) (printf `<abbr title="%s">%s</abbr>` $v $k) $s 1 }}{{ end }}
{{- return (safeHTML $s) }}''',
    "_partials/frais.html": r'''{{ return ge .Params.verifie_le (partialCached "il-y-a-3-mois.html" true) }}''',
    "_partials/il-y-a-3-mois.html": r'''{{ return ((time.AsTime site.Params.today).AddDate 0 -3 0).Format "2006-01-02" }}''',
    "_partials/kind.html": r'''{{- $pr := index hugo.Data.professions .Params.categorie }}{{ $l := $pr.label }}
{{- if and (eq .Params.civilite "Mme") $pr.feminin }}{{ $l = $pr.feminin }}{{ end }}
{{- with .Params.specialite }}{{ $l = printf "%s – %s" $l . }}{{ end }}
{{- return $l }}''',
    "_partials/fait.html": r'''<li>{{ .nom }}&nbsp;: {{ if .frais }}{{ if .valeur }}{{ .oui }}{{ else }}{{ .non }}{{ end }} <span class="fact-date">(confirmé en {{ .mois }})</span>{{ else }}<strong class="to-confirm">à confirmer</strong> <span class="fact-date">(dernière confirmation en {{ .mois }})</span>{{ end }}</li>''',
    # Structures listing each member, computed once for the whole site.
    "_partials/structures-par-membre.html": r'''{{- $s := newScratch }}
{{- range where (where site.RegularPages "Section" "annuaire") "Params.structure" "!=" nil }}
  {{- $st := . }}{{ range .Params.membres }}{{ $s.Add . (slice $st) }}{{ end }}
{{- end }}
{{- return $s.Values }}''',
    "_partials/carte-membre.html": r'''{{- $p := .page }}{{ $l := index $p.Params.lieux 0 }}{{ $c := index hugo.Data.communes $l.commune }}
{{- $fresh := partial "frais.html" $p -}}
<li><article class="card member-card">
{{ printf "<%s class=\"card-title\">" .h | safeHTML }}<a href="{{ $p.RelPermalink }}">{{ $p.Title }}</a>{{ printf "</%s>" .h | safeHTML }}
<p class="card-kind">{{ partial "kind.html" $p }}</p>
<p class="card-place">{{ $l.adresse }}, {{ $l.code_postal }} {{ $c.nom }}</p>
<p class="card-phone">Tél.&nbsp;: <a {{ printf "href=\"tel:%s\"" (partial "tel.html" $l.telephone) | safeHTMLAttr }}>{{ $l.telephone }}</a></p>
{{- $new := and $fresh $p.Params.accepte_nouveaux_patients }}{{ $snp := and $fresh $p.Params.soins_non_programmes }}
{{- if or $new $snp $p.Params.teleconsultation }}
<ul class="badges">{{ if $new }}<li class="badge badge-yes">Accepte de nouveaux patients <small>(confirmé en {{ partial "mois.html" $p.Params.verifie_le }})</small></li>{{ end }}
{{- if $snp }}<li class="badge">Soins non programmés</li>{{ end }}{{ if $p.Params.teleconsultation }}<li class="badge">Téléconsultation</li>{{ end }}</ul>
{{- end }}
</article></li>''',
    # Upcoming actions with their next session, soonest first, computed once for the whole site.
    "_partials/actions-a-venir.html": r'''{{- $list := slice }}
{{- range where site.RegularPages "Section" "prevention" }}{{ $p := . }}
  {{- $next := "" }}{{ range sort .Params.seances "date" }}{{ if and (not $next) (ge .date site.Params.today) }}{{ $next = .date }}{{ end }}{{ end }}
  {{- with $next }}{{ $list = $list | append (dict "next" . "page" $p) }}{{ end }}
{{- end }}
{{- return $list }}''',
    "_partials/carte-action.html": r'''{{- $p := .page }}{{ $s := sort $p.Params.seances "date" }}
{{- $first := index $s 0 }}{{ $last := index $s (sub (len $s) 1) }}
{{- $names := slice }}{{ range $s }}{{ $names = $names | append (index hugo.Data.communes .commune).nom }}{{ end -}}
<li><article class="card action-card">
<h3 class="card-title"><a href="{{ $p.RelPermalink }}">{{ $p.Title }}</a></h3>
{{ if eq (len $s) 1 }}<p class="card-when"><time datetime="{{ .next }}">{{ partial "jour.html" (dict "date" $first.date "semaine" true) }}</time></p>
{{- else }}<p class="card-when"><time datetime="{{ .next }}">du {{ partial "jour.html" (dict "date" $first.date) }} au {{ partial "jour.html" (dict "date" $last.date) }}</time> · {{ len $s }} séances</p>{{ end }}
<p class="card-place">{{ delimit (uniq $names) ", " }}</p>
<p>{{ $p.Params.resume }}</p>
</article></li>''',
    "_partials/carte-offre.html": r'''{{- $type := index .Params.offre_types 0 }}{{ $c := index hugo.Data.communes (index .Params.offre_communes 0) -}}
<li><article class="card offer-card">
<p class="card-kind"><span class="tag tag-{{ $type }}">{{ strings.FirstUpper $type }}</span> {{ (index hugo.Data.professions .Params.profession).label }}</p>
<h3 class="card-title"><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3>
<p class="card-place">{{ $c.nom }}</p>
<p>{{ .Params.resume }}</p>
<p class="card-when">Candidatures jusqu’au <time datetime="{{ .Params.valide_jusqu_au }}">{{ partial "jour.html" (dict "date" .Params.valide_jusqu_au) }}</time></p>
</article></li>''',
    "_partials/pager-nav.html": r'''{{- $p := . }}{{ if gt $p.TotalPages 1 }}<nav class="pager" aria-label="Pagination">
<p class="pager-position">Page {{ $p.PageNumber }} sur {{ $p.TotalPages }}</p>
<ul>
{{ with $p.Prev }}<li class="pager-step"><a href="{{ .URL }}" rel="prev"><span aria-hidden="true">‹ </span>Page précédente</a></li>
{{ end }}{{ $gap := false }}{{ range $p.Pagers }}{{ $n := .PageNumber }}
{{- if or (eq $n 1) (eq $n $p.TotalPages) (le (math.Abs (sub $n $p.PageNumber)) 1) }}<li><a href="{{ .URL }}"{{ if eq $n $p.PageNumber }} aria-current="page"{{ end }}><span class="sr-only">Page </span>{{ $n }}</a></li>
{{ $gap = false }}{{ else if not $gap }}<li>…</li>
{{ $gap = true }}{{ end }}{{ end }}
{{- with $p.Next }}<li class="pager-step"><a href="{{ .URL }}" rel="next">Page suivante<span aria-hidden="true"> ›</span></a></li>
{{ end }}</ul>
</nav>{{ end }}''',
    "annuaire/page.html": r'''{{ define "main" }}{{ $p := . }}{{ $fresh := partial "frais.html" . }}{{ $mois := partial "mois.html" .Params.verifie_le }}
<h1>{{ .Title }}</h1>
<p class="lead"><a href="/annuaire/profession/{{ .Params.categorie }}/">{{ partial "kind.html" . }}</a></p>
<ul class="facts">
{{ if .Params.structure }}<li>Nouveaux patients&nbsp;: non renseigné</li>
{{ else }}{{ partial "fait.html" (dict "nom" "Nouveaux patients" "oui" "accepte de nouveaux patients" "non" "n’accepte pas de nouveaux patients" "valeur" .Params.accepte_nouveaux_patients "frais" $fresh "mois" $mois) }}
{{ partial "fait.html" (dict "nom" "Soins non programmés" "oui" "oui, rendez-vous dans la journée possible" "non" "non" "valeur" .Params.soins_non_programmes "frais" $fresh "mois" $mois) }}
{{ partial "fait.html" (dict "nom" "Téléconsultation" "oui" "oui" "non" "non" "valeur" .Params.teleconsultation "frais" true "mois" $mois) }}
{{ with .Params.langues }}<li>Langues parlées&nbsp;: français, {{ delimit . ", " }} <span class="fact-date">(confirmé en {{ $mois }})</span></li>
{{ end }}{{ with .Params.exercice }}<li>Mode d’exercice&nbsp;: {{ index site.Params.exercices . }}</li>
{{ end }}{{ if .Params.maitre_de_stage }}<li>Accueille des étudiants en stage (maître de stage)</li>
{{ end }}{{ end }}</ul>
{{ with .Params.presentation }}<section aria-labelledby="presentation"><h2 id="presentation">Présentation</h2><p>{{ partial "sigles.html" (htmlEscape .) }}</p>
</section>{{ end }}
{{ $many := gt (len .Params.lieux) 1 -}}
<section aria-labelledby="lieux">
<h2 id="lieux">{{ if $many }}Lieux d’exercice{{ else }}Lieu d’exercice{{ end }}</h2>
{{ range .Params.lieux }}{{ $c := index hugo.Data.communes .commune }}<div class="place">
{{ if $many }}<h3>{{ $c.nom }}</h3>
{{ end }}<p class="address">{{ .adresse }}<br>{{ .code_postal }} <a href="/annuaire/commune/{{ $c.slug }}/">{{ $c.nom }}</a></p>
<ul class="plain">
<li>Téléphone&nbsp;: <a {{ printf "href=\"tel:%s\"" (partial "tel.html" .telephone) | safeHTMLAttr }}>{{ .telephone }}</a> <span class="fact-date">(confirmé en {{ $mois }})</span></li>
<li>Horaires&nbsp;: {{ .horaires }} <span class="fact-date">(confirmé en {{ $mois }})</span></li>
<li>{{ if .accessible_pmr }}Accessible en fauteuil roulant{{ else }}Non accessible en fauteuil roulant{{ end }}</li>
</ul>
{{ with .prise_rdv }}<p><a class="button" href="{{ . }}">Prendre rendez-vous en ligne<span class="sr-only"> – {{ $p.Title }}</span></a></p>
{{ end }}</div>
{{ end }}</section>
{{ with .Params.membres }}<section aria-labelledby="equipe"><h2 id="equipe">Professionnels exerçant ici</h2><ul class="cards">
{{ range . }}{{ with site.GetPage (printf "/annuaire/%s" .) }}{{ partialCached "carte-membre.html" (dict "page" . "h" "h3") .RelPermalink "h3" }}{{ end }}{{ end }}
</ul></section>
{{ end }}{{ with index (partialCached "structures-par-membre.html" .) .File.ContentBaseName }}<section aria-labelledby="structures"><h2 id="structures">Exerce aussi au sein de</h2><ul class="cards">
{{ range . }}{{ partialCached "carte-membre.html" (dict "page" . "h" "h3") .RelPermalink "h3" }}{{ end }}
</ul></section>
{{ end }}{{ with .Params.rpps }}<p class="small"><abbr title="répertoire partagé des professionnels de santé">RPPS</abbr> : {{ . }}</p>
{{ end }}{{ with .Params.finess }}<p class="small"><abbr title="fichier national des établissements sanitaires et sociaux">FINESS</abbr> : {{ . }}</p>
{{ end }}<p class="small">Une information est inexacte, ou vous ne souhaitez plus figurer dans l’annuaire&nbsp;? Écrivez à <a href="mailto:{{ site.Params.courriel }}">{{ site.Params.courriel }}</a>&nbsp;: la fiche est corrigée ou retirée sans délai.</p>
{{ end }}''',
    "professions/term.html": r'''{{ define "main" }}{{ $pager := partial "pager.html" . }}{{ $meta := partial "meta.html" . }}{{ $term := .Data.Term }}
{{- $pr := index hugo.Data.professions $term }}{{ $n := len .Pages }}{{ $from := add (mul (sub $pager.PageNumber 1) 50) 1 }}
<h1>{{ $meta.title }}</h1>
<p class="lead">{{ lang.FormatNumber 0 $n }} {{ lower $pr.pluriel }} sur le territoire.</p>{{ if gt $pager.TotalPages 1 }}<p class="pager-position">Page {{ $pager.PageNumber }} sur {{ $pager.TotalPages }}&nbsp;: fiches {{ $from }} à {{ sub (add $from (len $pager.Pages)) 1 }} sur {{ lang.FormatNumber 0 $n }}.</p>{{ end }}
<ul class="cards">
{{ range $pager.Pages }}{{ partialCached "carte-membre.html" (dict "page" . "h" "h2") .RelPermalink "h2" }}{{ end }}
</ul>{{ partial "pager-nav.html" $pager }}
<h2>Autres professions</h2>
<nav class="chips" aria-label="Autres professions">
  <ul>{{ range $k, $v := site.Taxonomies.professions }}{{ if ne $k $term }}<li><a href="{{ $v.Page.RelPermalink }}">{{ (index hugo.Data.professions $k).pluriel }} <span class="count">({{ lang.FormatNumber 0 $v.Count }})</span></a></li>{{ end }}{{ end }}</ul>
</nav>
{{ end }}''',
    "communes/term.html": r'''{{ define "main" }}{{ $pager := partial "pager.html" . }}{{ $meta := partial "meta.html" . }}{{ $c := index hugo.Data.communes .Data.Term }}
<h1>{{ $meta.title }}</h1>
<p class="lead">{{ $c.nom }} ({{ $c.cp }}) compte {{ lang.FormatNumber 0 $c.population }} habitants.</p>
{{ range $pager.PageGroups }}{{ $pr := index hugo.Data.professions .Key }}
<section aria-labelledby="groupe-{{ .Key }}">
  <h2 id="groupe-{{ .Key }}">{{ $pr.pluriel }}</h2>
  <ul class="cards">
{{ range .Pages }}{{ partialCached "carte-membre.html" (dict "page" . "h" "h3") .RelPermalink "h3" }}{{ end }}
  </ul>
</section>
{{ end }}{{ partial "pager-nav.html" $pager }}
<h2>Communes voisines</h2>
<nav class="chips" aria-label="Communes voisines">
  <ul>{{ range $c.voisines }}{{ $v := index hugo.Data.communes . }}{{ with index site.Taxonomies.communes . }}<li><a href="/annuaire/commune/{{ $v.slug }}/">{{ $v.nom }} <span class="count">({{ .Count }})</span></a></li>{{ end }}{{ end }}</ul>
</nav>
<p><a href="/carte/">Toutes les communes du territoire</a></p>
{{ end }}''',
    # Offers by type, profession or commune.
    "term.html": r'''{{ define "main" }}{{ $pager := partial "pager.html" . }}{{ $meta := partial "meta.html" . }}
<h1>{{ $meta.title }}</h1>
<p class="lead">{{ len .Pages }} offre{{ if gt (len .Pages) 1 }}s{{ end }}, ouvertes ou passées.</p>
<ul class="cards">
{{ range $pager.Pages }}{{ partial "carte-offre.html" . }}{{ end }}
</ul>{{ partial "pager-nav.html" $pager }}
<p><a href="/offres/">Toutes les offres ouvertes</a></p>
{{ end }}''',
    "annuaire/section.html": r'''{{ define "main" }}{{ $membres := .RegularPages }}
<h1>{{ .Title }}</h1>
<p class="lead">{{ len $membres }} professionnels et structures de santé du territoire, membres de la <abbr title="communauté professionnelle territoriale de santé">CPTS</abbr>.</p>
<form id="filtre-annuaire" class="filter-form dir-filters" role="search" aria-label="Filtrer l’annuaire" action="/recherche/" method="get">
  <div class="field field-wide"><label for="f-texte">Nom, spécialité ou lieu</label>
    <input id="f-texte" name="q" type="search" autocomplete="off" spellcheck="false"></div>
  <div class="field"><label for="f-profession">Profession</label>
    <select id="f-profession" name="profession"><option value="">Toutes les professions</option>{{ range $k, $v := site.Taxonomies.professions }}<option value="{{ $k }}">{{ (index hugo.Data.professions $k).pluriel }} ({{ $v.Count }})</option>{{ end }}</select></div>
  <div class="field"><label for="f-commune">Commune</label>
    <select id="f-commune" name="commune"><option value="">Toutes les communes</option>{{ range $k, $v := site.Taxonomies.communes }}{{ $c := index hugo.Data.communes $k }}<option value="{{ $c.slug }}">{{ $c.nom }} ({{ $v.Count }})</option>{{ end }}</select></div>
  <button type="submit">Filtrer</button>
</form>
<h2 id="par-profession">Par profession</h2>
<ul class="chips-list">{{ range $k, $v := site.Taxonomies.professions }}<li><a href="{{ $v.Page.RelPermalink }}">{{ (index hugo.Data.professions $k).pluriel }} <span class="count">({{ lang.FormatNumber 0 $v.Count }})</span></a></li>{{ end }}</ul>
<h2 id="par-commune">Par commune</h2>
<ul class="chips-list">{{ range $k, $v := site.Taxonomies.communes }}<li><a href="{{ $v.Page.RelPermalink }}">{{ $v.Page.Title }} <span class="count">({{ lang.FormatNumber 0 $v.Count }})</span></a></li>{{ end }}</ul>
{{ end }}''',
    "prevention/section.html": r'''{{ define "main" }}{{ $next := partialCached "actions-a-venir.html" . }}
<h1>{{ .Title }}</h1>
<p class="lead">Dépistages, vaccination, ateliers&nbsp;: les actions de prévention organisées par les professionnels de la <abbr title="communauté professionnelle territoriale de santé">CPTS</abbr> et leurs partenaires, près de chez vous.</p>
<section aria-labelledby="a-venir">
  <h2 id="a-venir">Actions à venir</h2>
  <ul class="cards">{{ range sort $next "next" }}{{ partial "carte-action.html" . }}{{ end }}</ul>
</section>
<section aria-labelledby="calendrier">
  <h2 id="calendrier">Calendrier des séances</h2>
  {{ $seances := slice }}{{ range $next }}{{ $p := .page }}{{ range $p.Params.seances }}{{ if ge .date site.Params.today }}{{ $seances = $seances | append (dict "date" .date "s" . "page" $p) }}{{ end }}{{ end }}{{ end }}
  {{ $month := "" }}{{ range sort $seances "date" }}{{ $m := substr .date 0 7 }}{{ if ne $m $month }}{{ if $month }}</ul>{{ end }}<h3>{{ strings.FirstUpper (partial "mois.html" .date) }}</h3><ul class="plain">{{ $month = $m }}{{ end }}
  <li><time datetime="{{ .date }}">{{ partial "jour.html" (dict "date" .date "semaine" true) }}</time>, {{ partial "heure.html" .s.debut }} – {{ partial "heure.html" .s.fin }}&nbsp;: <a href="{{ .page.RelPermalink }}">{{ .page.Title }}</a>, {{ (index hugo.Data.communes .s.commune).nom }}</li>{{ end }}{{ if $month }}</ul>{{ end }}
</section>
<p><a href="/prevention/archives/">Actions passées</a></p>
{{ end }}''',
    "offres/section.html": r'''{{ define "main" }}{{ $open := where .RegularPages "Params.valide_jusqu_au" "ge" site.Params.today }}
<h1>{{ .Title }}</h1>
<p class="lead">Stages, installation, remplacements, collaborations&nbsp;: les offres des professionnels et des structures de la <abbr title="communauté professionnelle territoriale de santé">CPTS</abbr>.</p>
<section aria-labelledby="titre-filtres"><h2 id="titre-filtres">Filtrer les offres</h2>
<ul class="chips-list">{{ range $k, $v := site.Taxonomies.offre_types }}<li><a href="{{ $v.Page.RelPermalink }}">{{ strings.FirstUpper $k }} <span class="count">({{ $v.Count }})</span></a></li>{{ end }}</ul>
<ul class="chips-list">{{ range $k, $v := site.Taxonomies.offre_professions }}<li><a href="{{ $v.Page.RelPermalink }}">{{ (index hugo.Data.professions $k).label }} <span class="count">({{ $v.Count }})</span></a></li>{{ end }}</ul>
</section>
<section aria-labelledby="titre-liste"><h2 id="titre-liste">Offres ouvertes</h2>
<ul class="cards">{{ range $open.ByTitle }}{{ partial "carte-offre.html" . }}{{ end }}</ul>
</section>
<p><a href="/offres/archives/">Offres passées</a></p>
{{ end }}''',
    # /offres/archives/ and /prevention/archives/: a page with this layout in each section.
    "archives.html": r'''{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul class="cards">{{ if eq .Section "offres" }}{{ range where .CurrentSection.RegularPages "Params.valide_jusqu_au" "lt" site.Params.today }}{{ partial "carte-offre.html" . }}{{ end }}
{{- else }}{{ range .CurrentSection.RegularPages }}{{ $last := index (sort .Params.seances "date" "desc") 0 }}{{ if lt $last.date site.Params.today }}{{ partial "carte-action.html" (dict "page" . "next" $last.date) }}{{ end }}{{ end }}{{ end }}</ul>
{{ end }}''',
    "prevention/page.html": r'''{{ define "main" }}{{ $s := sort .Params.seances "date" }}{{ $n := len $s }}
{{- $first := index $s 0 }}{{ $last := index $s (sub $n 1) }}
<h1>{{ .Title }}</h1>
<p class="lead">{{ .Params.resume }}</p>
<ul class="facts">
  <li>Mission&nbsp;: Prévention</li>
  <li>Thème&nbsp;: {{ .Params.theme }}</li>
  <li>Pour qui&nbsp;: {{ .Params.public }}</li>
  <li>Quand&nbsp;: {{ if eq $n 1 }}{{ partial "jour.html" (dict "date" $first.date "semaine" true) }}{{ else }}du {{ partial "jour.html" (dict "date" $first.date) }} au {{ partial "jour.html" (dict "date" $last.date) }}{{ end }}</li>
</ul>
<section aria-labelledby="seances">
  <h2 id="seances">{{ if eq $n 1 }}La séance{{ else }}Les {{ $n }} séances{{ end }}</h2>
  <ol class="sessions">{{ range $s }}{{ $c := index hugo.Data.communes .commune }}{{ $past := lt .date site.Params.today }}<li class="session{{ if $past }} session-past{{ end }}">
  <p class="session-when"><time datetime="{{ .date }}">{{ partial "jour.html" (dict "date" .date "semaine" true) }}</time>, {{ partial "heure.html" .debut }} – {{ partial "heure.html" .fin }}{{ if $past }} <span class="tag">passée</span>{{ end }}</p>
  <p class="session-where">{{ .lieu }}, <a href="/annuaire/commune/{{ $c.slug }}/">{{ $c.nom }}</a></p>
  <dl class="session-facts">
    <div><dt>Organisé par</dt><dd>{{ partial "sigles.html" (htmlEscape .organisateur) }}</dd></div>
    <div><dt>Inscription</dt><dd>{{ .inscription }}</dd></div>
  </dl>
</li>{{ end }}</ol>
  {{ with .OutputFormats.Get "calendar" }}<p><a class="button button-secondary" href="{{ .RelPermalink }}" type="text/calendar" download>Ajouter les séances à mon agenda<span class="sr-only"> (fichier iCalendar)</span></a></p>{{ end }}
</section>
<div class="prose">{{ partial "sigles.html" .Content }}</div>
{{ with .Params.referents }}<section aria-labelledby="referents"><h2 id="referents">Professionnels référents</h2><ul class="cards">
{{ range . }}{{ with site.GetPage (printf "/annuaire/%s" .) }}{{ partialCached "carte-membre.html" (dict "page" . "h" "h3") .RelPermalink "h3" }}{{ end }}{{ end }}
</ul></section>{{ end }}
{{ end }}''',
    "prevention/page.calendar.ics": r'''BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//CPTS du Pays de l'Argens//Hugo//FR
{{ range $i, $s := .Params.seances }}BEGIN:VEVENT
UID:{{ $.File.ContentBaseName }}-{{ $i }}@cpts-pays-argens.fr
DTSTAMP:{{ replace site.Params.today "-" "" }}T000000Z
DTSTART;TZID=Europe/Paris:{{ replace .date "-" "" }}T{{ replace .debut ":" "" }}00
DTEND;TZID=Europe/Paris:{{ replace .date "-" "" }}T{{ replace .fin ":" "" }}00
SUMMARY:{{ $.Title }}
LOCATION:{{ .lieu }}, {{ (index hugo.Data.communes .commune).nom }}
URL:{{ $.Permalink }}
END:VEVENT
{{ end }}END:VCALENDAR
''',
    "offres/page.html": r'''{{ define "main" }}{{ $open := ge .Params.valide_jusqu_au site.Params.today }}
{{- $type := index .Params.offre_types 0 }}{{ $k := .Params.profession }}{{ $c := index hugo.Data.communes (index .Params.offre_communes 0) }}
<h1>{{ .Title }}</h1>
{{ if not $open }}<p class="notice">Cette offre n’est plus ouverte depuis le {{ partial "jour.html" (dict "date" .Params.valide_jusqu_au) }}. <a href="/offres/">Voir les offres ouvertes</a></p>
{{ end }}<p class="lead">{{ partial "sigles.html" (htmlEscape .Params.resume) }}</p>
<section aria-labelledby="en-bref">
<h2 id="en-bref" class="sr-only">En bref</h2>
<dl class="offer-facts">
  <div><dt>Type</dt><dd><a href="/offres/type/{{ $type }}/">{{ strings.FirstUpper $type }}</a></dd></div>
  <div><dt>Profession</dt><dd><a href="/offres/profession/{{ $k }}/">{{ (index hugo.Data.professions $k).label }}</a></dd></div>
  <div><dt>Lieu</dt><dd><a href="/offres/commune/{{ $c.slug }}/">{{ $c.nom }}</a></dd></div>
  <div><dt>Publiée le</dt><dd><time datetime="{{ .Params.date_publication }}">{{ partial "jour.html" (dict "date" .Params.date_publication) }}</time></dd></div>
  <div><dt>Candidatures jusqu’au</dt><dd><time datetime="{{ .Params.valide_jusqu_au }}">{{ partial "jour.html" (dict "date" .Params.valide_jusqu_au) }}</time></dd></div>
</dl>
</section>
<div class="prose">{{ partial "sigles.html" .Content }}</div>
{{ if $open }}{{ with site.GetPage (printf "/annuaire/%s" $.Params.contact) }}{{ $l := index .Params.lieux 0 }}
<section class="apply" id="postuler" aria-labelledby="titre-postuler" tabindex="-1">
  <h2 id="titre-postuler">Postuler</h2>
  <p><strong>Candidatures jusqu’au <time datetime="{{ $.Params.valide_jusqu_au }}">{{ partial "jour.html" (dict "date" $.Params.valide_jusqu_au) }}</time>.</strong></p>
  <ul class="apply-contacts">
    <li>Contact&nbsp;: <a href="{{ .RelPermalink }}">{{ .Title }}</a>, <a {{ printf "href=\"tel:%s\"" (partial "tel.html" $l.telephone) | safeHTMLAttr }}>{{ $l.telephone }}</a></li>
  </ul>
</section>{{ end }}{{ end }}
{{ end }}''',
    # The Atom feeds of /prevention/ (upcoming actions) and /offres/ (open offers).
    "section.atom.xml": r'''{{ printf "<?xml version=\"1.0\" encoding=\"utf-8\"?>" | safeHTML }}
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
  <id>{{ .Permalink }}atom.xml</id>
  <title>{{ .Params.titre_flux }} – {{ site.Params.organisation }}</title>
  <updated>{{ site.Params.today }}T00:00:00+01:00</updated>
  <link rel="self" type="application/atom+xml" href="{{ .Permalink }}atom.xml"/>
  <link rel="alternate" type="text/html" href="{{ .Permalink }}"/>
  <author><name>{{ site.Params.organisation }}</name></author>
  <generator>Hugo</generator>
{{- if eq .Section "prevention" }}{{ range sort (partialCached "actions-a-venir.html" .) "next" }}{{ $s := sort .page.Params.seances "date" }}
  <entry>
    <id>{{ .page.Permalink }}</id>
    <title>{{ .page.Title }}</title>
    <updated>{{ (index $s 0).date }}T00:00:00+01:00</updated>
    <link rel="alternate" type="text/html" href="{{ .page.Permalink }}"/>
    <category term="Prévention"/>
    <summary>Du {{ partial "jour.html" (dict "date" (index $s 0).date) }} au {{ partial "jour.html" (dict "date" (index $s (sub (len $s) 1)).date) }} – {{ .page.Params.resume }}</summary>
  </entry>{{ end }}
{{- else }}{{ range where .RegularPages "Params.valide_jusqu_au" "ge" site.Params.today }}
  <entry>
    <id>{{ .Permalink }}</id>
    <title>{{ .Title }}</title>
    <updated>{{ .Params.date_publication }}T00:00:00+01:00</updated>
    <link rel="alternate" type="text/html" href="{{ .Permalink }}"/>
    <category term="{{ strings.FirstUpper (index .Params.offre_types 0) }}"/>
    <summary>{{ .Params.resume }}</summary>
  </entry>{{ end }}
{{- end }}
</feed>
''',
    "home.html": r'''{{ define "main" }}{{ $membres := where site.RegularPages "Section" "annuaire" }}
<section class="hero" aria-labelledby="titre-accueil">
  <h1 id="titre-accueil"><abbr title="communauté professionnelle territoriale de santé">CPTS</abbr> du Pays de l’Argens</h1>
  <p class="what-is">{{ site.Params.description }}</p>
  <ul class="quick-links">
    <li><a class="button" href="/annuaire/">Trouver un professionnel</a></li>
    <li><a class="button button-secondary" href="/contacts/">Numéros utiles et urgences</a></li>
  </ul>
</section>
<section class="urgent-box" aria-labelledby="titre-urgences">
  <h2 id="titre-urgences">Besoin de soins maintenant&nbsp;?</h2>
  <ul class="numbers">{{ range site.Params.urgences }}<li><a class="number" href="tel:{{ .numero }}">{{ .numero }}</a> <div><strong>{{ .nom }}</strong></div></li>{{ end }}</ul>
</section>
<section aria-labelledby="titre-chiffres">
  <h2 id="titre-chiffres">Le territoire en chiffres</h2>
  {{ $pop := 0 }}{{ range hugo.Data.communes }}{{ $pop = add $pop .population }}{{ end }}
  <ul class="figures">
    <li><span class="figure-value">{{ lang.FormatNumber 0 $pop }}</span> <span class="figure-label">habitants sur le territoire</span></li>
    <li><span class="figure-value">{{ len hugo.Data.communes }}</span> <span class="figure-label">communes</span></li>
    <li><span class="figure-value">{{ lang.FormatNumber 0 (len $membres) }}</span> <span class="figure-label">professionnels et structures membres</span></li>
  </ul>
  {{ $mg := where (where $membres "Params.categorie" "medecin-generaliste") "Params.accepte_nouveaux_patients" true }}
  <p class="lead"><a href="/annuaire/profession/medecin-generaliste/">{{ len $mg }} médecins généralistes acceptent de nouveaux patients</a></p>
</section>
<section aria-labelledby="titre-actions">
  <h2 id="titre-actions">Prochaines actions de prévention</h2>
  <ul class="cards">{{ range first 3 (sort (partialCached "actions-a-venir.html" .) "next") }}{{ partial "carte-action.html" . }}{{ end }}</ul>
</section>
<section aria-labelledby="titre-offres">
  <h2 id="titre-offres">Offres pour les professionnels</h2>
  <ul class="cards">{{ range first 3 (where (where site.RegularPages "Section" "offres") "Params.valide_jusqu_au" "ge" site.Params.today) }}{{ partial "carte-offre.html" . }}{{ end }}</ul>
</section>
{{ end }}''',
    "404.html": r'''{{ define "main" }}<h1>Page introuvable</h1>
<p>Cette adresse ne correspond à aucune page du site. <a href="/">Retour à l’accueil</a> ou <a href="/plan-du-site/">plan du site</a>.</p>
{{ end }}''',
}


def slugify(name):
    """Maillage's slug of a name: ASCII letters and digits, words joined by hyphens."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")


def hugo_same_site(out, communes, members, actions, offers):
    """OUT_DIR/hugo-same/: Hugo templates that produce the pages Maillage produces."""
    site = os.path.join(out, "hugo-same")
    write(os.path.join(site, "hugo.toml"), HUGO_SAME_CONFIG)
    for name, text in HUGO_SAME_LAYOUTS.items():
        write(os.path.join(site, "layouts", name), text)
    # The territory as a real site would keep it in data/: communes by INSEE code (with their six
    # nearest neighbours, which Maillage finds from the same centres) and profession labels.
    data = {}
    for c in communes:
        near = sorted((d for d in communes if d[0] != c[0]),
                      key=lambda d: (d[4] - c[4]) ** 2 + (d[5] - c[5]) ** 2)[:6]
        data[c[0]] = {"nom": c[1], "slug": slugify(c[1]), "cp": c[2], "population": c[3],
                      "voisines": [d[0] for d in near]}
    write(os.path.join(site, "data", "communes.json"), json.dumps(data, ensure_ascii=False, indent=1))
    write(os.path.join(site, "data", "sigles.json"), json.dumps(SIGLES, ensure_ascii=False, indent=1))
    write(os.path.join(site, "data", "professions.json"), json.dumps(
        {k: {"label": m, "feminin": f, "pluriel": p, "schema": SCHEMA_TYPES.get(k, "MedicalBusiness")}
         for k, (m, f, p) in PROFESSION_LABELS.items()}, ensure_ascii=False, indent=1))
    fm = lambda d: "---\n" + json.dumps(d, ensure_ascii=False, indent=1) + "\n---\n"
    write(os.path.join(site, "content", "_index.md"), fm({"title": "CPTS du Pays de l’Argens"}))
    write(os.path.join(site, "content", "annuaire", "_index.md"),
          fm({"title": "Annuaire des professionnels de santé", "linkTitle": "Annuaire"}))
    write(os.path.join(site, "content", "prevention", "_index.md"), fm({
        "title": "Prévention et dépistage", "linkTitle": "Prévention", "titre_flux": "Actions de prévention",
        "outputs": ["html", "atom"], "cascade": {"outputs": ["html", "calendar"]}}))
    write(os.path.join(site, "content", "offres", "_index.md"), fm({
        "title": "Offres : stages, installation, remplacements", "linkTitle": "Offres",
        "titre_flux": "Offres ouvertes", "outputs": ["html", "atom"]}))
    for section in ("prevention", "offres"):
        write(os.path.join(site, "content", section, "archives.md"), fm(
            {"title": "Archives", "layout": "archives", "outputs": ["html"], "build": {"list": "never"}}))
    # Commune terms are INSEE codes; their page carries the name and Maillage's address.
    published = [m for m in members if m["publie"]]
    for taxonomy, used in (("communes", {l["commune"] for m in published for l in m["lieux"]}),
                           ("offre_communes", {o["communes"][0] for o in offers})):
        for insee in sorted(used):
            write(os.path.join(site, "content", taxonomy, insee, "_index.md"),
                  fm({"title": data[insee]["nom"], "slug": data[insee]["slug"]}))
    for m in members:
        d = {k: v for k, v in m.items() if k != "slug"}
        if "raison_sociale" in m:
            d["title"] = m["raison_sociale"]
        else:
            d["title"] = " ".join(x for x in (m.get("titre"), m["prenom"], m["nom"]) if x)
        d["categorie"] = m.get("profession") or m.get("structure")
        d["professions"] = [d["categorie"]]
        d["communes"] = sorted({l["commune"] for l in m["lieux"]})
        if not m["publie"]:
            d["draft"] = True
        write(os.path.join(site, "content", "annuaire", m["slug"] + ".md"), fm(d))
    for a in actions:
        d = {"title": a["titre"], "resume": a["resume"], "theme": a["theme"], "public": a["public"],
             "referents": a["referents"], "seances": a["seances"]}
        write(os.path.join(site, "content", "prevention", a["slug"] + ".md"), fm(d) + "\n" + a["body"])
    for o in offers:
        # `type` would choose Hugo's templates and `communes` is the directory's taxonomy: the
        # offer's own three taxonomies carry them.
        d = {"title": o["titre"], "resume": o["resume"], "profession": o["profession"],
             "date_publication": o["date_publication"], "valide_jusqu_au": o["valide_jusqu_au"],
             "contact": o["contact"], "offre_types": [o["type"]], "offre_professions": [o["profession"]],
             "offre_communes": o["communes"]}
        write(os.path.join(site, "content", "offres", o["slug"] + ".md"), fm(d) + "\n" + o["body"])



def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--seed")]
    seed = 20261123
    for a in sys.argv[1:]:
        if a.startswith("--seed="):
            seed = int(a.split("=", 1)[1])
    if len(args) != 2:
        sys.exit("usage: gen_territory.py N OUT_DIR [--seed=S]")
    n, out = int(args[0]), args[1]
    if os.path.exists(out) and os.listdir(out):
        sys.exit(f"{out} is not empty")
    rnd = random.Random(seed)
    here = os.path.dirname(os.path.abspath(__file__))
    example_dir = os.path.join(here, "..", "content")
    cpts_text = open(os.path.join(example_dir, "cpts.yaml"), encoding="utf-8").read()
    example = [(i, nm, cp, int(p), float(la), float(lo)) for i, nm, cp, p, la, lo in re.findall(
        r'insee: "(\d{5})"\n\s+nom: ([^\n]+)\n\s+codes_postaux: \["(\d{5})"[^\n]*\n\s+population: (\d+)\n'
        r"\s+centre: \[([\d.]+), ([\d.]+)\]", cpts_text)]
    communes = gen_communes(rnd, max(10, n // 30), example)
    all_communes = example + communes
    members = [member_record(rnd, i, all_communes) for i in range(n)]
    people = [m["slug"] for m in members if "profession" in m and m["publie"]]
    for m in members:
        if "structure" in m:
            m["membres"] = rnd.sample(people, min(len(people), rnd.randint(2, 8)))
    actions = [action_record(rnd, i, all_communes, people) for i in range(max(1, n // 20))]
    offers = [offer_record(rnd, i, all_communes, people) for i in range(max(1, n // 20))]
    maillage_site(out, example_dir, cpts_text, communes, members, actions, offers)
    hugo_site(out, all_communes, members, actions, offers)
    hugo_same_site(out, all_communes, members, actions, offers)


if __name__ == "__main__":
    main()
