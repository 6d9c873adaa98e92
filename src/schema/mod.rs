//! JSON Schemas (draft 2020-12) of the content files, generated from the model's own serde types
//! (they derive `schemars::JsonSchema`; `crate::model::json_schema` adds vocabularies, patterns,
//! Markdown and references), never written by hand. `maillage schema` writes them; `init`,
//! `build`, `serve`, `new` and `import` keep a site's copy fresh in [`SITE_DIR`] with the editor
//! settings that map each kind of file to its schema ([`editor`]); [`cms`] turns them into a
//! Decap / Sveltia CMS configuration.
//!
//! # API (for the browser editor and any other form)
//! - [`Kind::ALL`]: every kind of content file with a schema. Per kind: [`Kind::name`] (`membre`,
//!   also the schema's file stem), [`Kind::label`] (French, plural), [`Kind::folder`] and
//!   [`Kind::globs`] (where its files sit, relative to the site root), [`Kind::front_matter`]
//!   (Markdown with a YAML header, or plain YAML), [`Kind::source_kind`] and [`Kind::of_source`]
//!   (to and from `crate::source::SourceKind`).
//! - [`for_kind`]`(kind, Option<&Site>) -> serde_json::Value`: the schema of a kind. With a site,
//!   the values that name a commune, a member, a document or a thematic page are listed as an
//!   `enum` (with `enumDescriptions`, their French labels). Without, they keep only a pattern.
//! - What a form reads besides standard JSON Schema: `title` and `description` (French) on every
//!   property and definition; `enum` + `enumDescriptions` for closed lists; `format: date` for
//!   dates, `pattern` for times, codes and identifiers; `x-maillage-markdown: true` on Markdown
//!   text; `x-maillage-reference` (`commune`, `commune-seance`, `membre`, `document`,
//!   `thematique`) on values that
//!   name another record; `additionalProperties: false` on every record (unknown keys refused, as
//!   the parser does); `required` as the parser requires; `default` where the parser fills one.
//!   A front-matter kind's schema describes the header only: the body is Markdown.
//!
//! # Agreement with the parser
//! On keys the schema and the parser agree exactly (tests/schema.rs walks both). On values the
//! schema is a little stricter where that helps a coordinator: codes and numbers are asked as
//! quoted text (the parser also takes a plain number), patterns ask for the usual ways to write
//! a phone number. Patterns check the form of an identifier only; check digits are verified by
//! `maillage check`.

pub mod cms;
pub mod editor;
pub mod files;
pub mod generate;
pub mod kind;
pub mod run;

pub use files::{SITE_DIR, to_bytes};
pub use generate::{MAX_LISTED, for_kind, site_values_key};
pub use kind::Kind;
pub use run::{SchemaOptions, SchemaReport, refresh_site, run, write_all};
