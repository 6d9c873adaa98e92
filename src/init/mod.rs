//! `maillage init`: a new site, ready to build. With answers (asked in a terminal by
//! [`ask`], or given as flags to [`from_flags`]) `cpts.yaml` is written from the official
//! commune table and the examples are placed on the territory ([`create`]); without, the
//! embedded example site is written as it is ([`init`]).

mod answers;
mod dialogue;
mod flags;
mod scaffold;
mod site;
pub mod territory;

pub use answers::{Answers, GUIDE, InitError};
pub use dialogue::ask;
pub use flags::{Flags, from_flags};
pub use scaffold::{check_target, init};
pub use site::create;
