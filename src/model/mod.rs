//! The typed model: one file per record kind (the serde structs *are* the content schema), the
//! [`Site`] that holds them ([`site`]), and their one assembly ([`assemble()`], [`parse`]).

pub mod action;
pub mod assemble;
pub mod common;
pub mod cpts;
pub mod directory;
pub mod freshness;
pub mod indicators;
pub mod json_schema;
pub mod keys;
pub mod links;
pub mod member;
pub mod offer;
pub mod page;
pub mod region;
pub mod site;
pub mod territory;
pub mod vocab;

pub use action::{ActionMeta, Destinataires, Formation, Public, Seance, Sexe, TrancheAge};
pub use assemble::{Decoded, DecodedFile, assemble, decode_file, missing_cpts, parse, reassemble};
pub use common::{ChiffreCle, Contact, Image, Lieu, Partenaire, S};
pub use cpts::Cpts;
pub use directory::{ContactsFile, DocumentFile, ResourceFile};
pub use indicators::IndicatorsFile;
pub use links::Link;
pub use member::MemberFile;
pub use offer::{OfferMeta, Salaire};
pub use page::{NewsMeta, PageMeta};
pub use site::{Action, Asset, Document, Member, News, Offer, Page, Record, Resource, Site, Undecoded};
pub use territory::{Commune, CommuneEntry, Lookup, Territoire, WrittenCommune};
