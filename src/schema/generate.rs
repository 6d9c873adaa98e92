//! The schema of each kind, from the model's types, and a site's own values in it.

use super::kind::Kind;
use crate::domain::communes;
use crate::model::json_schema::{ENUM_LABELS, REFERENCE};
use crate::model::{
    ActionMeta, ContactsFile, Cpts, DocumentFile, IndicatorsFile, MemberFile, NewsMeta, OfferMeta, PageMeta,
    ResourceFile, Site,
};
use serde_json::{Map, Value, json};
use std::collections::{BTreeSet, HashSet};

/// Past this many records, a site's schema gives a reference a pattern instead of the list of its
/// values (a list of 100 000 members would make every schema megabytes long).
pub const MAX_LISTED: usize = 5000;

/// The schema of `kind`, derived from the type that parses it. With `site`, references to its
/// communes, members, documents and thematic pages list the site's own values.
pub fn for_kind(kind: Kind, site: Option<&Site>) -> Value {
    let mut schema = match kind {
        Kind::Cpts => root::<Cpts>(),
        Kind::Contacts => root::<ContactsFile>(),
        Kind::Indicators => root::<IndicatorsFile>(),
        Kind::Member => root::<MemberFile>(),
        Kind::Action => root::<ActionMeta>(),
        Kind::Offer => root::<OfferMeta>(),
        Kind::News => root::<NewsMeta>(),
        Kind::Page => root::<PageMeta>(),
        Kind::Resource => root::<ResourceFile>(),
        Kind::Document => root::<DocumentFile>(),
    };
    if let Some(site) = site {
        list_references(&mut schema, &SiteValues::of(site));
    }
    schema
}

/// Fingerprint of everything of `site` the schemas list: the values [`for_kind`] puts in them,
/// so the same key gives the same schemas. The dev server refreshes them only when it changes: a
/// member's new phone number changes no schema, her new name does.
pub fn site_values_key(site: &Site) -> u64 {
    crate::fingerprint::of(&SiteValues::of(site))
}

fn root<T: schemars::JsonSchema>() -> Value {
    crate::model::json_schema::schema_of::<T>()
}

/// A site's own values for each kind of reference: `(value, label)`.
#[derive(Hash)]
struct SiteValues {
    communes: Vec<(String, String)>,
    session_communes: Vec<(String, String)>,
    members: Vec<(String, String)>,
    documents: Vec<(String, String)>,
    thematiques: Vec<(String, String)>,
}

impl SiteValues {
    fn of(site: &Site) -> SiteValues {
        let communes: Vec<(String, String)> =
            site.cpts.data.territoire.communes.iter().map(|c| (c.insee.value.clone(), c.nom.clone())).collect();
        let session_communes = session_communes(site, &communes);
        // Past the limit the list is not given: do not build it.
        let listed = if site.members.len() <= MAX_LISTED { site.members.as_slice() } else { &[] };
        let members = listed
            .iter()
            .map(|m| {
                let d = &m.data;
                let name = match (&d.raison_sociale, &d.prenom, &d.nom) {
                    (Some(r), _, _) => r.clone(),
                    (None, Some(p), Some(n)) => format!("{p} {n}"),
                    (None, _, Some(n)) => n.clone(),
                    _ => m.slug.clone(),
                };
                (m.slug.clone(), name)
            })
            .collect();
        let documents = site.documents.iter().map(|d| (d.slug.clone(), d.data.titre.clone())).collect();
        let thematiques = site.cpts.data.thematiques.iter().map(|t| (t.id.value.clone(), t.titre.clone())).collect();
        SiteValues { communes, session_communes, members, documents, thematiques }
    }

    fn of_reference(&self, kind: &str) -> Option<&[(String, String)]> {
        let values = match kind {
            "commune" => &self.communes,
            "commune-seance" => &self.session_communes,
            "membre" if self.members.is_empty() => return None,
            "membre" => &self.members,
            "document" => &self.documents,
            "thematique" => &self.thematiques,
            _ => return None,
        };
        (values.len() <= MAX_LISTED).then_some(values.as_slice())
    }
}

/// Where a session may be held: the territory's communes first, then the other communes of its
/// départements (a hospital just outside), then those the site's sessions already name elsewhere;
/// a commune outside the territory is labelled so.
fn session_communes(site: &Site, territory: &[(String, String)]) -> Vec<(String, String)> {
    let table = communes::table();
    let inside: HashSet<&str> = territory.iter().map(|(code, _)| code.as_str()).collect();
    let mut departements: BTreeSet<String> =
        territory.iter().filter_map(|(code, _)| table.commune(code)).map(|c| c.departement().to_string()).collect();
    departements.insert(site.cpts.data.territoire.departement.value.trim().to_ascii_uppercase());
    let nearby = table
        .communes()
        .iter()
        .filter(|c| c.kind.is_current() && departements.contains(c.departement()) && !inside.contains(c.insee));
    let named = site
        .actions
        .iter()
        .flat_map(|a| &a.data.seances)
        .filter_map(|s| table.commune(&s.commune.value))
        .filter(|c| !inside.contains(c.insee) && !departements.contains(c.departement()));
    let mut seen = HashSet::new();
    let outside = nearby
        .chain(named)
        .filter(|c| seen.insert(c.insee))
        .map(|c| (c.insee.to_string(), format!("{} (hors territoire)", c.nom)));
    territory.iter().cloned().chain(outside).collect()
}

/// Gives every value marked with [`REFERENCE`] the site's list of values.
fn list_references(schema: &mut Value, site: &SiteValues) {
    match schema {
        Value::Object(object) => {
            if let Some(values) = object.get(REFERENCE).and_then(Value::as_str).and_then(|k| site.of_reference(k)) {
                set_enum(object, values);
            }
            for value in object.values_mut() {
                list_references(value, site);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| list_references(v, site)),
        _ => {}
    }
}

fn set_enum(object: &mut Map<String, Value>, values: &[(String, String)]) {
    let nullable = object.get("type").and_then(Value::as_array).is_some_and(|t| t.iter().any(|t| t == "null"));
    let mut keys: Vec<Value> = values.iter().map(|(v, _)| json!(v)).collect();
    let mut labels: Vec<Value> = values.iter().map(|(_, l)| json!(l)).collect();
    if nullable {
        keys.push(Value::Null);
        labels.push(json!("(vide)"));
    }
    // The list says more than the pattern, and a value outside it is refused anyway.
    object.remove("pattern");
    object.insert("enum".into(), keys.into());
    object.insert(ENUM_LABELS.into(), labels.into());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> Site {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        crate::model::parse(crate::source::load(root).0).0.expect("le site d’exemple se lit")
    }

    fn schemas(site: &Site) -> Vec<Value> {
        Kind::ALL.iter().map(|k| for_kind(*k, Some(site))).collect()
    }

    /// A named change to a site.
    type Edit = (&'static str, fn(&mut Site));

    #[test]
    fn the_key_changes_when_a_listed_value_does_and_only_then() {
        let base = example();
        assert!(!base.members.is_empty() && !base.documents.is_empty(), "le site d’exemple a membres et documents");
        let (key, listed) = (site_values_key(&base), schemas(&base));
        // What no schema lists: a member's places and phone numbers, the rest of her record,
        // an action's text.
        let mut same = base.clone();
        same.members[0].hash ^= 1;
        same.members[0].data.lieux.clear();
        same.actions[0].hash ^= 1;
        same.actions[0].data.titre.push_str(" (modifiée)");
        assert_eq!(schemas(&same), listed);
        assert_eq!(site_values_key(&same), key, "une modification qu’aucun schéma ne liste");
        let edits: [Edit; 5] = [
            ("prénom", |s| s.members[0].data.prenom = Some("Zoé".into())),
            ("nom", |s| s.members[0].data.nom = Some("Zyx".into())),
            ("raison sociale", |s| s.members[0].data.raison_sociale = Some("Cabinet Zyx".into())),
            ("titre d’un document", |s| s.documents[0].data.titre.push_str(" (2)")),
            ("commune d’une séance", |s| {
                let seance = s.actions.iter_mut().flat_map(|a| &mut a.data.seances).next();
                seance.expect("une séance dans le site d’exemple").commune.value = "75056".into();
            }),
        ];
        for (name, edit) in edits {
            let mut changed = base.clone();
            edit(&mut changed);
            assert_ne!(schemas(&changed), listed, "{name} : les schémas devraient changer");
            assert_ne!(site_values_key(&changed), key, "{name} : la clé devrait changer");
        }
    }
}
