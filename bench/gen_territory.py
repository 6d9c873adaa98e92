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
                              taxonomies `professions` and `communes`, templates printing the
                              same fields, and the same list pages (directory, per profession,
                              per commune, actions, offers).

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


if __name__ == "__main__":
    main()
