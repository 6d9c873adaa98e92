//! Rules of the domain that are not a stage of the pipeline, shared by check, render and import
//! alike: public identifiers and their check digits ([`ids`]), accent folding and slugs
//! ([`text`]), geography ([`geo`], [`lambert`]), the official commune table ([`communes`]), the
//! texts left to fill ([`placeholder`]), what is published of Markdown and SVG ([`markdown`],
//! [`svg`]), the abbreviations a visitor meets and what they mean ([`glossary`]), opening hours
//! written in French ([`hours`]), numbers and units written the French way ([`quantity`]). Plain
//! functions over plain values: nothing here knows the content files, the typed site or the
//! output.

pub mod communes;
pub mod geo;
pub mod glossary;
pub mod hours;
pub mod ids;
pub mod lambert;
pub mod markdown;
pub mod placeholder;
pub mod quantity;
pub mod svg;
pub mod text;
