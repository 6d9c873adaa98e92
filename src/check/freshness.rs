//! Dated facts: the `fraicheur` rules of cpts.yaml, confirmation dates that cannot be (in the
//! future), and a warning on every stale fact of a published member, at its line.

use super::checker::Checker;
use crate::diagnostic::Diagnostic;
use crate::model::freshness::{Fact, current_until};
use crate::model::{Member, S, vocab};
use jiff::civil::Date;

/// Longest freshness rule accepted, in months (ten years).
const MAX_MONTHS: u16 = 120;

impl Checker<'_> {
    /// The dates of one member's facts: confirmations not in the future (M065), and, when it is
    /// published, its stale facts by the rules of cpts.yaml (M066).
    pub(super) fn member_freshness(&mut self, m: &Member) {
        let rules = &self.site.cpts.data.fraicheur;
        let f = m.file.as_str();
        let d = &m.data;
        let v = &d.verifications;
        let dates =
            [&d.verifie_le, &v.accepte_nouveaux_patients, &v.soins_non_programmes, &v.teleconsultation, &v.langues]
                .into_iter()
                .chain(d.lieux.iter().map(|l| &l.verifie_le));
        for date in dates.flatten() {
            self.confirmation_date(f, date);
        }
        if !d.publie {
            return;
        }
        for fact in d.assess(rules, self.today).stale() {
            let months = fact.fact.months(rules);
            let place = match (fact.place, d.lieux.len()) {
                (Some(i), n) if n > 1 => format!(" (lieu {})", i + 1),
                _ => String::new(),
            };
            let (message, hint) = match fact.confirmed {
                    Some(c) => (
                        format!(
                            "« {} »{place} à confirmer : dernière confirmation le {c}, à jour pendant {months} mois, donc jusqu’au {}",
                            fact.fact.key(),
                            current_until(c, months)
                        ),
                        "le site l’affiche « à confirmer » et ne le compte plus ; après avoir joint le membre, corrigez l’information ou mettez « verifie_le » à la date du jour (liste des membres à joindre : maillage relances)".to_string(),
                    ),
                    None => (
                        format!("« {} »{place} à confirmer : aucune date de confirmation", fact.fact.key()),
                        "ajoutez « verifie_le: AAAA-MM-JJ », la date où le membre a confirmé sa fiche ; sans date, le site affiche l’information « à confirmer » (fraicheur.sans_date dans cpts.yaml)".to_string(),
                    ),
                };
            self.out.push(Diagnostic::warning("M066", f, fact.line, fact.column, message).with_hint(hint));
        }
    }

    /// A confirmation cannot have happened after the day the site is built for.
    fn confirmation_date(&mut self, file: &str, date: &S<Date>) {
        if date.value > self.today {
            self.error(
                "M065",
                file,
                date,
                format!("date de confirmation {} dans le futur (aujourd’hui : {})", date.value, self.today),
                "écrivez la date où le membre a confirmé l’information, au plus tard aujourd’hui (année-mois-jour)",
            );
        }
    }

    /// The `fraicheur` rules of cpts.yaml themselves (M067, M051).
    pub(super) fn freshness_rules(&mut self) {
        let cpts = &self.site.cpts;
        let (f, rules) = (cpts.file.as_str(), &cpts.data.fraicheur);
        for fact in Fact::ALL {
            let months = fact.rule(rules);
            if !(1..=MAX_MONTHS).contains(&months.value) {
                self.error(
                    "M067",
                    f,
                    months,
                    format!("durée de fraîcheur « {} » de {} mois impossible", fact.key(), months.value),
                    format!("écrivez un nombre de mois entre 1 et {MAX_MONTHS} (3 pour les nouveaux patients, 12 pour le reste par défaut)"),
                );
            }
        }
        if let Some(s) = &rules.sans_date
            && !vocab::is_term(vocab::UNDATED_POLICIES, &s.value)
        {
            self.error(
                "M051",
                f,
                s,
                format!("« sans_date » ne peut pas valoir « {} »", s.value),
                format!("valeurs possibles : {}", vocab::term_keys(vocab::UNDATED_POLICIES)),
            );
        }
    }
}
