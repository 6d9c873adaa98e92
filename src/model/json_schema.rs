//! What the JSON Schema of the content files says beyond the serde types: the closed vocabularies
//! of [`super::vocab`] as enums, the patterns of [`crate::domain::ids`], Markdown text, and the
//! values that name another record. The record types derive `schemars::JsonSchema` with a French
//! title and description on every field, and point at these transforms with
//! `#[schemars(transform = json_schema::NAME)]`; `crate::schema` turns them into one schema per
//! kind of content file.
//!
//! Two extension keywords carry what JSON Schema has no word for:
//! - `x-maillage-markdown: true` on a text written in Markdown;
//! - `x-maillage-file` on a text naming a file a coordinator uploads: `image` (under
//!   `content/static/`), `document` (in `content/documents/`);
//! - `x-maillage-reference` on a text naming another record: `commune` (an INSEE code of
//!   `territoire.communes`), `commune-seance` (where a session is held: a commune of the
//!   territory, or of France when the session is `hors_territoire`), `membre` (a member's file name without `.yaml`), `document` (a
//!   description of `documents/` by file name without `.yaml`), `thematique` (an `id` of
//!   `thematiques` in cpts.yaml). `crate::schema` lists a site's own values there when it has one.
//!
//! Closed lists also carry `enumDescriptions` (the keyword VS Code and the YAML language server
//! show next to each value): the French label of each key.

use super::vocab::{self, Term};
use crate::domain::ids::patterns;
use schemars::Schema;
use serde_json::{Map, Value, json};

/// The JSON Schema (draft 2020-12) of a record type, as derived from its serde and schemars
/// attributes: `crate::schema` publishes it, `super::keys` reads the nesting of keys from it.
pub fn schema_of<T: schemars::JsonSchema>() -> Value {
    let mut settings = schemars::generate::SchemaSettings::draft2020_12();
    settings.transforms.push(Box::new(schemars::transform::RecursiveTransform(no_null_default)));
    settings.into_generator().into_root_schema_for::<T>().to_value()
}

/// An optional value left out is absent, not `null`: its `default: null` says nothing, and makes
/// the YAML language server (2.0) stop listing keys when it meets one inside a list's records.
fn no_null_default(schema: &mut Schema) {
    if schema.get("default").is_some_and(Value::is_null) {
        schema.remove("default");
    }
}

/// The keyword marking Markdown text.
pub const MARKDOWN: &str = "x-maillage-markdown";
/// The keyword naming the kind of file a value names.
pub const FILE: &str = "x-maillage-file";
/// The keyword naming the kind of record a value refers to.
pub const REFERENCE: &str = "x-maillage-reference";
/// The keyword giving the label of each value of an `enum`, in the same order.
pub const ENUM_LABELS: &str = "enumDescriptions";

/// Applies `edit` to each place of `schema` that takes a string: the schema itself, the string
/// branch of an optional value, the items of a list. `edit` also learns whether `null` is taken
/// there (an optional value left empty).
fn on_strings(schema: &mut Map<String, Value>, edit: &mut dyn FnMut(&mut Map<String, Value>, bool)) {
    let (string, null) = match schema.get("type") {
        Some(Value::String(t)) => (t == "string", false),
        Some(Value::Array(ts)) => (ts.iter().any(|t| t == "string"), ts.iter().any(|t| t == "null")),
        _ => (false, false),
    };
    if string {
        edit(schema, null);
    }
    if let Some(Value::Object(items)) = schema.get_mut("items") {
        on_strings(items, edit);
    }
    if let Some(Value::Array(branches)) = schema.get_mut("anyOf") {
        for branch in branches.iter_mut().filter_map(Value::as_object_mut) {
            on_strings(branch, edit);
        }
    }
}

fn strings(schema: &mut Schema, mut edit: impl FnMut(&mut Map<String, Value>, bool)) {
    if let Some(object) = schema.as_object_mut() {
        on_strings(object, &mut edit);
    }
}

/// Adds `note` to the description of `schema` (after what the field says of itself).
fn add_note(schema: &mut Schema, note: &str) {
    let described = match schema.get("description").and_then(Value::as_str) {
        Some(d) if !d.is_empty() => format!("{d} {note}"),
        _ => note.to_string(),
    };
    schema.insert("description".into(), described.into());
}

/// A closed list: the keys as an `enum` (with `null` where an optional value may be left empty),
/// their labels as [`ENUM_LABELS`].
fn closed(schema: &mut Schema, terms: &[(&str, &str)]) {
    strings(schema, |s, null| {
        let mut keys: Vec<Value> = terms.iter().map(|(k, _)| json!(k)).collect();
        let mut labels: Vec<Value> = terms.iter().map(|(_, l)| json!(l)).collect();
        if null {
            keys.push(Value::Null);
            labels.push(json!("(vide)"));
        }
        s.insert("enum".into(), keys.into());
        s.insert(ENUM_LABELS.into(), labels.into());
    });
}

fn terms(list: &[Term]) -> Vec<(&str, &str)> {
    list.iter().map(|t| (t.key, t.label)).collect()
}

/// A text checked by a pattern that only approximates the check (`maillage check` verifies the
/// check digit).
fn identifier(schema: &mut Schema, pattern: &str, check_digit: bool) {
    strings(schema, |s, _| {
        s.insert("pattern".into(), pattern.into());
    });
    if check_digit {
        add_note(
            schema,
            "Le modèle ne vérifie que la forme du numéro\u{a0}: sa clé de contrôle est vérifiée par «\u{a0}maillage check\u{a0}».",
        );
    }
}

fn reference(schema: &mut Schema, kind: &str, pattern: &str) {
    strings(schema, |s, _| {
        s.insert("pattern".into(), pattern.into());
        s.insert(REFERENCE.into(), kind.into());
    });
}

/// Pattern of a file name used as an identifier (a member, a document, a thematic page).
pub const SLUG_PATTERN: &str = "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$";

/// Pattern of a time of day as the model reads it (`09:30`, `14:00`, seconds allowed).
pub const TIME_PATTERN: &str = "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$";

/// A profession key of [`vocab::PROFESSIONS`].
pub fn profession(schema: &mut Schema) {
    let list: Vec<_> = vocab::PROFESSIONS.iter().map(|p| (p.key, p.masculine)).collect();
    closed(schema, &list);
}

/// A map whose keys are profession keys.
pub fn profession_keys(schema: &mut Schema) {
    let keys: Vec<&str> = vocab::PROFESSIONS.iter().map(|p| p.key).collect();
    schema.insert("propertyNames".into(), json!({ "enum": keys }));
}

/// A structure key of [`vocab::STRUCTURES`].
pub fn structure(schema: &mut Schema) {
    let list: Vec<_> = vocab::STRUCTURES.iter().map(|s| (s.key, s.label)).collect();
    closed(schema, &list);
}

/// A mission key of [`vocab::MISSIONS`].
pub fn mission(schema: &mut Schema) {
    let list: Vec<_> = vocab::MISSIONS.iter().map(|m| (m.key, m.label)).collect();
    closed(schema, &list);
}

/// What an indicator measures: a mission key, or `fonctionnement` ([`vocab::indicator_missions`]).
pub fn indicator_mission(schema: &mut Schema) {
    let list: Vec<_> = vocab::indicator_missions().map(|m| (m.key, m.label)).collect();
    closed(schema, &list);
}

/// Which way an indicator should go ([`super::indicators::Direction`]).
pub fn direction(schema: &mut Schema) {
    unit_enum(
        schema,
        &[
            ("hausse", "L’objectif est un minimum à atteindre"),
            ("baisse", "L’objectif est un maximum à ne pas dépasser"),
        ],
    );
}

/// [`vocab::CIVILITES`].
pub fn civilite(schema: &mut Schema) {
    closed(schema, &terms(vocab::CIVILITES));
}

/// [`vocab::TITRES`].
pub fn titre(schema: &mut Schema) {
    closed(schema, &terms(vocab::TITRES));
}

/// [`vocab::EXERCICES`].
pub fn exercice(schema: &mut Schema) {
    closed(schema, &terms(vocab::EXERCICES));
}

/// [`vocab::OFFER_KINDS`].
pub fn offer_kind(schema: &mut Schema) {
    closed(schema, &terms(vocab::OFFER_KINDS));
}

/// [`vocab::AUDIENCES`].
pub fn audience(schema: &mut Schema) {
    closed(schema, &terms(vocab::AUDIENCES));
}

/// [`vocab::ZONAGES`].
pub fn zonage(schema: &mut Schema) {
    closed(schema, &terms(vocab::ZONAGES));
}

/// [`vocab::ACCESSIBILITY_STATUSES`].
pub fn accessibility_status(schema: &mut Schema) {
    closed(schema, &terms(vocab::ACCESSIBILITY_STATUSES));
}

/// What an undated fact counts as (`fraicheur.sans_date`).
pub fn undated_policy(schema: &mut Schema) {
    closed(schema, &terms(vocab::UNDATED_POLICIES));
}

/// An RPPS number.
pub fn rpps(schema: &mut Schema) {
    identifier(schema, patterns::RPPS, true);
}

/// An ADELI number.
pub fn adeli(schema: &mut Schema) {
    identifier(schema, patterns::ADELI, true);
}

/// A FINESS number.
pub fn finess(schema: &mut Schema) {
    identifier(schema, patterns::FINESS, true);
}

/// A SIRET number.
pub fn siret(schema: &mut Schema) {
    identifier(schema, patterns::SIRET, true);
}

/// An RNA number.
pub fn rna(schema: &mut Schema) {
    identifier(schema, patterns::RNA, false);
}

/// A département code.
pub fn departement(schema: &mut Schema) {
    identifier(schema, patterns::DEPARTEMENT, false);
}

/// A postal code.
pub fn postal_code(schema: &mut Schema) {
    identifier(schema, patterns::POSTAL_CODE, false);
}

/// The INSEE code of a commune where it is declared (`territoire.communes`).
pub fn insee(schema: &mut Schema) {
    identifier(schema, patterns::INSEE_COMMUNE, false);
}

/// A French phone number.
pub fn phone(schema: &mut Schema) {
    identifier(schema, patterns::PHONE, false);
}

/// An e-mail address.
pub fn email(schema: &mut Schema) {
    strings(schema, |s, _| {
        s.insert("format".into(), "email".into());
        s.insert("pattern".into(), patterns::EMAIL.into());
    });
}

/// A web address.
pub fn url(schema: &mut Schema) {
    identifier(schema, patterns::URL, false);
}

/// A time of day (`09:30`).
pub fn time(schema: &mut Schema) {
    strings(schema, |s, _| {
        s.remove("format");
        s.insert("pattern".into(), TIME_PATTERN.into());
    });
}

/// An identifier declared here and used as a file or URL name (`sante-mentale`).
pub fn slug(schema: &mut Schema) {
    identifier(schema, SLUG_PATTERN, false);
}

/// Markdown text.
pub fn markdown(schema: &mut Schema) {
    strings(schema, |s, _| {
        s.insert(MARKDOWN.into(), true.into());
    });
}

/// An image under `content/static/`.
pub fn image_file(schema: &mut Schema) {
    strings(schema, |s, _| {
        s.insert(FILE.into(), "image".into());
    });
}

/// A file of `content/documents/`.
pub fn document_file(schema: &mut Schema) {
    strings(schema, |s, _| {
        s.insert(FILE.into(), "document".into());
    });
}

/// The INSEE code of a commune of the territory.
pub fn commune_ref(schema: &mut Schema) {
    reference(schema, "commune", patterns::INSEE_COMMUNE);
}

/// The INSEE code of the commune a session is held in: of the territory, or of France when the
/// session is held outside it.
pub fn session_commune_ref(schema: &mut Schema) {
    reference(schema, "commune-seance", patterns::INSEE_COMMUNE);
}

/// A member, by file name.
pub fn member_ref(schema: &mut Schema) {
    reference(schema, "membre", SLUG_PATTERN);
}

/// A document's description, by file name.
pub fn document_ref(schema: &mut Schema) {
    reference(schema, "document", SLUG_PATTERN);
}

/// A thematic page, by id.
pub fn thematique_ref(schema: &mut Schema) {
    reference(schema, "thematique", SLUG_PATTERN);
}

/// [`vocab::SALARY_PERIODS`].
pub fn salary_period(schema: &mut Schema) {
    closed(schema, &terms(vocab::SALARY_PERIODS));
}

/// The rank of an offer in lists: 1 to 99 (an optional integer).
pub fn priority(schema: &mut Schema) {
    schema.insert("minimum".into(), 1.into());
    schema.insert("maximum".into(), PRIORITY_MAX.into());
}

/// The largest `priorite` of an offer.
pub const PRIORITY_MAX: u8 = 99;

/// A list that holds at least one value.
pub fn at_least_one(schema: &mut Schema) {
    schema.insert("minItems".into(), 1.into());
}

/// A closed list that is a Rust enum: schemars describes each variant by its doc comment (in
/// English) in a `oneOf`; the schema's readers want a string with its keys and French labels.
fn unit_enum(schema: &mut Schema, terms: &[(&str, &str)]) {
    schema.remove("oneOf");
    schema.insert("type".into(), "string".into());
    closed(schema, terms);
}

/// Who an action is meant for ([`super::action::Destinataires`]).
pub fn destinataires(schema: &mut Schema) {
    unit_enum(
        schema,
        &[("population", "La population"), ("professionnels", "Les professionnels de santé"), ("tous", "Les deux")],
    );
}

/// The sex an action is aimed at ([`super::action::Sexe`]).
pub fn sexe(schema: &mut Schema) {
    unit_enum(schema, &[("femmes", "Les femmes"), ("hommes", "Les hommes")]);
}
