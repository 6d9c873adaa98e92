//! The tree of [`Node`]s handed to serde: a value of the target type, or [`GiveUp`] when the type
//! does not take a value as written.

use super::read::{Kind, Node};
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use std::fmt;

/// Name of the newtype struct through which a value asks for its place (see
/// [`crate::model::common::S`]): this reader then hands over a map `line`, `column`, `value`.
pub const PLACED: &str = "__maillage_placed";

/// Why the reader gave up; never shown (the full decoder then runs and explains).
#[derive(Debug)]
pub(super) struct GiveUp;

impl fmt::Display for GiveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("outside the plain YAML subset")
    }
}

impl std::error::Error for GiveUp {}

impl de::Error for GiveUp {
    fn custom<T: fmt::Display>(_: T) -> Self {
        GiveUp
    }
}

/// YAML's plain spellings of null.
pub(super) fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

pub(super) fn as_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// A decimal integer without sign `+`, leading zero or `_`.
pub(super) fn is_decimal_integer(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && (digits == "0" || !digits.starts_with('0'))
}

/// A decimal number `12`, `-3.5`, `0.25`: digits on both sides of the point.
pub(super) fn is_decimal_number(text: &str) -> bool {
    match text.split_once('.') {
        Some((int, frac)) => is_decimal_integer(int) && !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit()),
        None => is_decimal_integer(text),
    }
}

/// Deserializes one node.
pub(super) struct NodeDe<'a, 'n>(pub(super) &'n Node<'a>);

impl NodeDe<'_, '_> {
    /// The text of a scalar, when the target wants text: plain spellings YAML reads as something
    /// else must be left to the full decoder unless they read as themselves.
    fn text(&self) -> Result<&str, GiveUp> {
        match &self.0.kind {
            Kind::Scalar { text, plain: false } => Ok(text),
            Kind::Scalar { text, plain: true } if !is_null(text) && !is_yaml11_bool(text) => Ok(text),
            _ => Err(GiveUp),
        }
    }

    fn plain(&self) -> Result<&str, GiveUp> {
        match &self.0.kind {
            Kind::Scalar { text, plain: true } => Ok(text),
            _ => Err(GiveUp),
        }
    }

    fn integer<T: std::str::FromStr>(&self) -> Result<T, GiveUp> {
        let text = self.plain()?;
        if !is_decimal_integer(text) {
            return Err(GiveUp);
        }
        text.parse().map_err(|_| GiveUp)
    }

    fn float(&self) -> Result<f64, GiveUp> {
        let text = self.plain()?;
        if !is_decimal_number(text) {
            return Err(GiveUp);
        }
        text.parse().map_err(|_| GiveUp)
    }
}

macro_rules! integers {
    ($($method:ident $visit:ident $ty:ty),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
            visitor.$visit(self.integer::<$ty>()?)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for NodeDe<'_, '_> {
    type Error = GiveUp;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match &self.0.kind {
            Kind::Scalar { text, plain: false } => visitor.visit_str(text),
            Kind::Scalar { text, plain: true } => {
                if is_null(text) {
                    visitor.visit_unit()
                } else if let Some(b) = as_bool(text) {
                    visitor.visit_bool(b)
                } else if is_decimal_integer(text) {
                    match text.parse::<i64>() {
                        Ok(i) => visitor.visit_i64(i),
                        Err(_) => Err(GiveUp),
                    }
                } else if is_decimal_number(text) {
                    visitor.visit_f64(self.float()?)
                } else if is_yaml11_bool(text)
                    || text.starts_with(['+', '.', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
                {
                    // Other numbers, `yes`, `on`…: serde-saphyr may read them otherwise than as text.
                    Err(GiveUp)
                } else {
                    visitor.visit_str(text)
                }
            }
            Kind::Seq(items) => visitor.visit_seq(Items(items.iter())),
            Kind::Map(entries) => visitor.visit_map(Entries { entries: entries.iter(), value: None }),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        visitor.visit_bool(as_bool(self.plain()?).ok_or(GiveUp)?)
    }

    integers!(deserialize_i8 visit_i8 i8, deserialize_i16 visit_i16 i16, deserialize_i32 visit_i32 i32,
        deserialize_i64 visit_i64 i64, deserialize_u8 visit_u8 u8, deserialize_u16 visit_u16 u16,
        deserialize_u32 visit_u32 u32, deserialize_u64 visit_u64 u64);

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        visitor.visit_f32(self.float()? as f32)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        visitor.visit_f64(self.float()?)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        visitor.visit_str(self.text()?)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        visitor.visit_string(self.text()?.to_owned())
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match &self.0.kind {
            Kind::Scalar { text, plain: true } if is_null(text) => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        if is_null(self.plain()?) { visitor.visit_unit() } else { Err(GiveUp) }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, GiveUp> {
        if name == PLACED {
            visitor.visit_map(Placed { node: self.0, field: 0 })
        } else {
            visitor.visit_newtype_struct(self)
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match &self.0.kind {
            Kind::Seq(items) => visitor.visit_seq(Items(items.iter())),
            _ => Err(GiveUp),
        }
    }

    /// A tuple's visitor reads its length and no more: extra items are the full decoder's error
    /// to report (`coordonnees: [43.1, 6.3, 6.5]`), never dropped.
    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, GiveUp> {
        match &self.0.kind {
            Kind::Seq(items) if items.len() == len => visitor.visit_seq(Items(items.iter())),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match &self.0.kind {
            Kind::Map(entries) => visitor.visit_map(Entries { entries: entries.iter(), value: None }),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, GiveUp> {
        self.deserialize_map(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        visitor.visit_unit()
    }

    /// Characters, bytes, unit structs, tuple structs and enums: none in the content model.
    fn deserialize_char<V: Visitor<'de>>(self, _: V) -> Result<V::Value, GiveUp> {
        Err(GiveUp)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, _: V) -> Result<V::Value, GiveUp> {
        Err(GiveUp)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, _: V) -> Result<V::Value, GiveUp> {
        Err(GiveUp)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, _: V) -> Result<V::Value, GiveUp> {
        Err(GiveUp)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(self, _: &'static str, _: usize, _: V) -> Result<V::Value, GiveUp> {
        Err(GiveUp)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, GiveUp> {
        Err(GiveUp)
    }
}

/// `yes`, `no`, `on`, `off` and their capitalised forms, which serde-saphyr reads as booleans.
pub(super) fn is_yaml11_bool(text: &str) -> bool {
    ["y", "n", "yes", "no", "on", "off"].iter().any(|word| text.eq_ignore_ascii_case(word))
}

/// The items of a sequence.
pub(super) struct Items<'a, 'n>(std::slice::Iter<'n, Node<'a>>);

impl<'de> de::SeqAccess<'de> for Items<'_, '_> {
    type Error = GiveUp;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, GiveUp> {
        self.0.next().map(|node| seed.deserialize(NodeDe(node))).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// The entries of a mapping.
pub(super) struct Entries<'a, 'n> {
    entries: std::slice::Iter<'n, (&'a str, Node<'a>)>,
    value: Option<&'n Node<'a>>,
}

impl<'de> de::MapAccess<'de> for Entries<'_, '_> {
    type Error = GiveUp;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, GiveUp> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        seed.deserialize(IntoDeserializer::<GiveUp>::into_deserializer(*key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, GiveUp> {
        seed.deserialize(NodeDe(self.value.take().ok_or(GiveUp)?))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// A value with its place, as the map `line`, `column`, `value`.
pub(super) struct Placed<'a, 'n> {
    node: &'n Node<'a>,
    field: u8,
}

impl<'de> de::MapAccess<'de> for Placed<'_, '_> {
    type Error = GiveUp;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, GiveUp> {
        let key = match self.field {
            0 => "line",
            1 => "column",
            2 => "value",
            _ => return Ok(None),
        };
        seed.deserialize(IntoDeserializer::<GiveUp>::into_deserializer(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, GiveUp> {
        self.field += 1;
        match self.field {
            1 => seed.deserialize(IntoDeserializer::<GiveUp>::into_deserializer(self.node.line)),
            2 => seed.deserialize(IntoDeserializer::<GiveUp>::into_deserializer(self.node.column)),
            _ => seed.deserialize(NodeDe(self.node)),
        }
    }
}
