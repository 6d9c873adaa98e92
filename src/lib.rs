//! Maillage: a static site generator for French CPTS.
//!
//! One pipeline of plain stages:
//! [`source::load`] → [`model::parse`] (decoding, then [`model::assemble()`]) → [`check::check`] →
//! [`routes`] → [`render::render`] → [`output::Writer`]. [`build()`] runs them all (rendered
//! files are written as they come, and a build with nothing changed stops after loading);
//! [`check_site`] renders into [`output::Discard`]; [`serve`] runs them behind a cache.
//! ARCHITECTURE.md, at the repository's root, is the map: floors, what may import what, where
//! each concern lives.

pub mod build;
pub mod check;
pub mod contained;
pub mod diagnostic;
pub mod domain;
pub mod edit;
pub mod fingerprint;
pub mod french;
pub mod guide;
pub mod import;
pub mod init;
pub mod limits;
pub mod model;
pub mod new;
pub mod output;
pub mod publish;
pub mod region;
pub mod render;
pub mod review;
pub mod routes;
pub mod schema;
pub mod serve;
pub mod source;

pub use build::{
    BuildError, BuildOptions, BuildReport, Rendered, build, check_site, render_site, today, today_follows_clock,
    today_in_paris,
};
