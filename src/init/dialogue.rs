//! The questions `maillage init` asks in a terminal, in French: the CPTS's name, its communes,
//! its contact. It reads lines from any reader and writes to any writer, so the same code
//! answers a person at a terminal and a test feeding text.

use super::answers::{Answers, InitError};
use super::territory::{Found, add, departement_hint, describe, describe_epci, overlap, resolve, split_items, summary};
use crate::domain::communes::{Commune, table};
use crate::domain::ids;
use crate::domain::text::slugify;
use crate::render::text::capitalize;
use std::io::{BufRead, Write};

/// Asks every question and returns the answers. The end of the input before the last answer
/// is [`InitError::Interrupted`]: nothing is written then.
pub fn ask<R: BufRead, W: Write>(input: &mut R, out: &mut W) -> Result<Answers, InitError> {
    let mut d = Dialogue { input, out };
    d.say("Création d’un site de CPTS. Quatre questions ; Ctrl-C pour abandonner sans rien écrire.\n")?;
    let nom = loop {
        let nom = d.line("Nom de la CPTS (ex. CPTS du Cœur du Var) : ")?;
        if slugify(&nom).is_empty() {
            d.say("  Le nom doit contenir des lettres.")?;
        } else {
            break nom;
        }
    };
    let communes = d.territory()?;
    let courriel = loop {
        let courriel = d.line("Adresse électronique de contact de la CPTS : ")?;
        match ids::email(&courriel) {
            Ok(()) => break courriel,
            Err(e) => d.say(&format!("  {}.", capitalize(e)))?,
        }
    };
    let telephone = loop {
        let phone = d.line("Téléphone de contact (facultatif ; Entrée pour passer) : ")?;
        if phone.is_empty() {
            break None;
        }
        match ids::phone(&phone) {
            Ok(p) => break Some(p.display),
            Err(e) => d.say(&format!("  {}.", capitalize(e)))?,
        }
    };
    Ok(Answers { nom, communes, courriel: Some(courriel), telephone })
}

struct Dialogue<'a, R, W> {
    input: &'a mut R,
    out: &'a mut W,
}

impl<R: BufRead, W: Write> Dialogue<'_, R, W> {
    fn say(&mut self, text: &str) -> Result<(), InitError> {
        writeln!(self.out, "{text}").map_err(InitError::Terminal)
    }

    /// Writes `prompt` and reads one line, trimmed.
    fn line(&mut self, prompt: &str) -> Result<String, InitError> {
        write!(self.out, "{prompt}").and_then(|()| self.out.flush()).map_err(InitError::Terminal)?;
        let mut line = String::new();
        match self.input.read_line(&mut line) {
            Ok(0) => Err(InitError::Interrupted),
            Ok(_) => Ok(line.trim().to_string()),
            Err(e) => Err(InitError::Terminal(e)),
        }
    }

    /// Offers numbered choices; the number chosen, or `None` when the answer is empty.
    fn choose(&mut self, labels: &[String]) -> Result<Option<usize>, InitError> {
        for (i, label) in labels.iter().enumerate() {
            self.say(&format!("    {}. {label}", i + 1))?;
        }
        loop {
            let answer = self.line("  Votre choix (numéro ; Entrée pour laisser de côté) : ")?;
            if answer.is_empty() {
                return Ok(None);
            }
            match answer.parse::<usize>() {
                Ok(n) if (1..=labels.len()).contains(&n) => return Ok(Some(n - 1)),
                _ => self.say(&format!("  Répondez par un numéro entre 1 et {}.", labels.len()))?,
            }
        }
    }

    fn territory(&mut self) -> Result<Vec<&'static Commune>, InitError> {
        let t = table();
        loop {
            let text = self.line(
                "Communes du territoire : noms, codes INSEE ou intercommunalité (nom ou code SIREN), séparés par des \
                 virgules :\n> ",
            )?;
            let mut chosen: Vec<&'static Commune> = Vec::new();
            for item in split_items(&text) {
                match resolve(t, item, departement_hint(&chosen)) {
                    Found::Communes { communes, note } => {
                        if let Some(note) = note {
                            self.say(&format!("  {note}."))?;
                        }
                        add(&mut chosen, &communes);
                    }
                    Found::Choice { question, options, epcis } => {
                        self.say(&format!("  {question}"))?;
                        let labels: Vec<String> = options
                            .iter()
                            .map(|c| describe(t, c))
                            .chain(epcis.iter().map(|e| format!("intercommunalité {}", describe_epci(t, e))))
                            .collect();
                        match self.choose(&labels)? {
                            Some(i) if i < options.len() => add(&mut chosen, &options[i..=i]),
                            Some(i) => add(&mut chosen, &t.members(epcis[i - options.len()].siren)),
                            None => self.say(&format!("  « {item} » est laissé de côté."))?,
                        }
                    }
                    Found::Unknown(why) => {
                        self.say(&format!("  {} : « {item} » est laissé de côté.", capitalize(&why)))?
                    }
                }
            }
            if let Some(problem) = overlap(&chosen) {
                self.say(&format!("  {}. Recommençons.", capitalize(&problem)))?;
                continue;
            }
            if chosen.is_empty() {
                self.say("  Aucune commune retenue. Recommençons.")?;
                continue;
            }
            let names: Vec<&str> = chosen.iter().map(|c| c.nom).collect();
            self.say(&format!("Territoire : {}.", summary(t, &chosen)))?;
            if names.len() <= 40 {
                self.say(&format!("  {}.", names.join(", ")))?;
            }
            let answer = self.line("Est-ce bien le territoire de la CPTS ? [O/n] ")?;
            if matches!(answer.to_lowercase().as_str(), "" | "o" | "oui") {
                return Ok(chosen);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(answers: &str) -> (Result<Answers, InitError>, String) {
        let mut out = Vec::new();
        let result = ask(&mut answers.as_bytes(), &mut out);
        (result, String::from_utf8(out).unwrap_or_default())
    }

    #[test]
    fn a_whole_dialogue_with_a_typo_a_homonym_and_bad_contacts() {
        let (answers, screen) = run(concat!(
            "CPTS du Cœur du Var\n",
            "Le Luc, Le Canet des Maures, 83004, Saint-Denis\n",
            "1\n", // the closest name to the typo
            "9\n", // out of range: asked again
            "\n",  // Saint-Denis left aside
            "\n",  // territory confirmed
            "marc@\n",
            "contact@cpts-coeur-du-var.fr\n",
            "04 94 12 34\n",
            "0494123456\n",
        ));
        let a = answers.expect("réponses complètes");
        assert_eq!(a.nom, "CPTS du Cœur du Var");
        assert_eq!(a.communes.iter().map(|c| c.insee).collect::<Vec<_>>(), ["83073", "83031", "83004"]);
        assert_eq!(a.courriel.as_deref(), Some("contact@cpts-coeur-du-var.fr"));
        assert_eq!(a.telephone.as_deref(), Some("04 94 12 34 56"));
        assert!(screen.contains("Commune inconnue « Le Canet des Maures ». Vouliez-vous dire :"), "{screen}");
        assert!(screen.contains("1. Le Cannet-des-Maures (83031, Var)"), "{screen}");
        assert!(screen.contains("Répondez par un numéro entre 1 et"), "{screen}");
        assert!(screen.contains("« Saint-Denis » est laissé de côté."), "{screen}");
        assert!(screen.contains("Territoire : 3 communes,"), "{screen}");
        assert!(screen.contains("taille 1 de l’ACI"), "{screen}");
        assert!(screen.contains("Adresse électronique invalide"), "{screen}");
        assert!(screen.contains("Un numéro de téléphone français compte 10 chiffres"), "{screen}");
    }

    #[test]
    fn an_epci_and_a_refused_territory() {
        let (answers, screen) = run(concat!(
            "CPTS Test\n",
            "Marseille, 13213\n", // overlapping: asked again
            "Coeur du Var\n",
            "non\n",
            "CC Coeur du Var\n",
            "oui\n",
            "c@d.fr\n",
            "\n",
        ));
        let a = answers.expect("réponses complètes");
        assert!(screen.contains("Marseille et Marseille 13e Arrondissement se recouvrent"), "{screen}");
        assert!(a.communes.len() >= 10 && a.communes.iter().all(|c| c.epci == Some("248300550")));
        assert_eq!(a.telephone, None);
    }

    #[test]
    fn the_end_of_input_interrupts() {
        let (answers, _) = run("CPTS Test\nLe Luc\n");
        assert!(matches!(answers, Err(InitError::Interrupted)));
        let (answers, screen) = run("!!!\n");
        assert!(matches!(answers, Err(InitError::Interrupted)));
        assert!(screen.contains("Le nom doit contenir des lettres."));
    }
}
