//! View models: what templates receive. Each is a plain serialisable struct built from the
//! checked site, with every URL already resolved and every text already typeset, so templates
//! stay free of logic. Documented for theme authors in docs/themes.md. One file per kind of
//! record (`member.rs`, `action.rs`, `offer.rs`, `testimony.rs`) and `common.rs` for the values they share.

mod action;
mod common;
mod member;
mod offer;
mod testimony;

pub use action::{
    ActionCard, SeanceView, action_card, action_end, is_past_action, mission_label, public_label, seance_commune,
    seances,
};
pub use common::{
    CommuneView, FactDate, FactDates, ImageRef, LieuView, Link, PhoneView, commune, commune_slug, image_ref, inline,
    phone, phone_str, place_commune,
};
pub use member::{
    Backlinks, MemberCard, MemberView, display_name, group_key, is_woman, kind_label, member_card, member_view,
    sort_name,
};
pub use offer::{OfferCard, is_expired_offer, offer_card, offer_type_label, salary_text, sort_offers};
pub use testimony::{TestimonyView, testimonies};
