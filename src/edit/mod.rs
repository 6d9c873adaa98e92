//! The coordinator's editor, served by `maillage serve` under `/_edition/`: lists of the site's
//! records with a search box, a form per record generated from its kind's JSON Schema, checks
//! while typing (the same diagnostics as `maillage check`, at the field they concern), saves that
//! change only what was edited ([`crate::source::yaml_edit`]) and only when the file has not
//! changed meanwhile and the record has no error, a text mode for files a form cannot show, a
//! bin to restore from, uploads of images and documents.
//!
//! - [`state`]: the editor and its operations (find, draft, check, save, delete, restore, upload).
//! - [`http`]: the routes, the guard on every request, the pages and JSON answers.
//! - [`form`]: forms from the schema, and posted fields back into a value.
//! - [`content`]: the decoded site and the checks of a candidate change.
//! - [`guard`]: sessions, tokens, `Host` and `Origin` checks, the password.
//! - [`store`]: reads, writes and the bin, inside the content folder only.
//! - [`upload`]: what an uploaded file is, and its safe name.
//! - [`pages`]: the HTML frame and shared pieces of pages.
//!
//! Which errors stop a save: any error in the record's own file (a value `check` would reject
//! is never written), and errors the change would bring into other files (a member removed while
//! an action names it). Errors other files already have do not stop an unrelated save: they are
//! counted under the form, and `maillage serve` keeps showing them on the site.

pub mod content;
pub mod form;
pub mod guard;
pub mod http;
pub mod pages;
pub mod state;
pub mod store;
pub mod upload;

pub use http::router;
pub use state::{Editor, EditorOptions, Notify};
