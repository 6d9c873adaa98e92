//! The keys a kind of content file accepts, nested as they are written, read from the JSON
//! Schema of its model type (the schema the `schema` command writes, derived from the very types
//! that parse the files): to say where a misplaced key belongs, and for the guide's test that
//! every key is documented.

use super::json_schema::schema_of;
use crate::diagnostic::Diagnostic;
use crate::source::closest_match;
use schemars::JsonSchema;
use serde_json::Value;

/// The keys of one block (a record of the schema), each with the block it opens, if any.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Block {
    /// The keys, in the order the schema lists them.
    pub keys: Vec<Key>,
}

/// One key, and the block its value is (or the block of each item of its list).
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// The key as a coordinator writes it.
    pub name: String,
    /// The keys under it, when its value is a block or a list of blocks.
    pub block: Option<Block>,
}

impl Block {
    /// Every key of this block and of the blocks under it, with the path of keys that leads to
    /// the block holding it (empty for this block's own keys).
    pub fn all(&self) -> Vec<(Vec<&str>, &str)> {
        let mut out = Vec::new();
        self.walk(&mut Vec::new(), &mut out);
        out
    }

    fn walk<'a>(&'a self, path: &mut Vec<&'a str>, out: &mut Vec<(Vec<&'a str>, &'a str)>) {
        for k in &self.keys {
            out.push((path.clone(), k.name.as_str()));
            if let Some(b) = &k.block {
                path.push(k.name.as_str());
                b.walk(path, out);
                path.pop();
            }
        }
    }

    /// The block at the end of a path of keys.
    pub fn at(&self, path: &[String]) -> Option<&Block> {
        match path.split_first() {
            None => Some(self),
            Some((first, rest)) => self.keys.iter().find(|k| k.name == *first)?.block.as_ref()?.at(rest),
        }
    }
}

/// The keys of the record type `T`, nested.
pub fn of<T: JsonSchema>() -> Block {
    from_schema(&schema_of::<T>())
}

/// The keys of a record's JSON Schema: its `properties`, and through `$ref`s, optional values
/// (`anyOf`) and lists (`items`), those of the records under them.
pub fn from_schema(schema: &Value) -> Block {
    block(schema, schema, 0).unwrap_or_default()
}

/// Records nest a few levels deep; a schema that would recurse further is cut there.
const MAX_DEPTH: usize = 8;

fn block(root: &Value, node: &Value, depth: usize) -> Option<Block> {
    let node = resolve(root, node, 0);
    if depth > MAX_DEPTH {
        return None;
    }
    if let Some(props) = node.get("properties").and_then(Value::as_object) {
        let keys = props
            .iter()
            .map(|(name, value)| Key { name: name.clone(), block: block(root, value, depth + 1) })
            .collect();
        return Some(Block { keys });
    }
    if let Some(items) = node.get("items") {
        return block(root, items, depth + 1);
    }
    node.get("anyOf")?.as_array()?.iter().find_map(|branch| block(root, branch, depth + 1))
}

/// Follows `$ref`s into `$defs`.
fn resolve<'a>(root: &'a Value, node: &'a Value, hops: usize) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/$defs/")) {
        Some(name) if hops < MAX_DEPTH => resolve(root, &root["$defs"][name], hops + 1),
        _ => node,
    }
}

/// An unknown key (M013) is often a known key at the wrong level: `telephone` at a member's top
/// level belongs under `lieux`. Adds where it goes to the hint of an M013 diagnostic of a file
/// of type `T`, whose text is `text`.
pub fn place_key<T: JsonSchema>(d: Diagnostic, text: &str) -> Diagnostic {
    if d.code != "M013" || d.line == 0 {
        return d;
    }
    let Some(key) = key_at(text, d.line) else { return d };
    let owners = owners(text, d.line);
    let tree = of::<T>();
    let Some(here) = tree.at(&owners) else { return d };
    let here_names: Vec<&str> = here.keys.iter().map(|k| k.name.as_str()).collect();
    let elsewhere: Vec<(Vec<&str>, &str)> = tree.all().into_iter().filter(|(path, _)| *path != owners).collect();
    let exact: Vec<&Vec<&str>> = elsewhere.iter().filter(|(_, k)| *k == key).map(|(p, _)| p).collect();
    let (name, paths) = if !exact.is_empty() {
        (key.to_string(), exact)
    } else if closest_match(&key, &here_names).is_some() {
        return d;
    } else {
        let names: Vec<&str> = elsewhere.iter().map(|(_, k)| *k).collect();
        let Some(best) = closest_match(&key, &names) else { return d };
        (best.to_string(), elsewhere.iter().filter(|(_, k)| *k == best).map(|(p, _)| p).collect())
    };
    let places: Vec<String> =
        paths.iter().map(|p| place(p)).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    let mut places = places;
    let last = places.pop().unwrap_or_default();
    let places = if places.is_empty() { last } else { format!("{} ou {last}", places.join(", ")) };
    d.with_hint(format!("vouliez-vous dire « {name} », qui va {places} ?"))
}

/// Where a path of keys leads, in words: `sous « lieux »`, `sous « communes » de « territoire »`.
fn place(path: &[&str]) -> String {
    match path {
        [] => "au premier niveau du fichier, sans retrait".to_string(),
        [one] => format!("sous « {one} »"),
        [outer @ .., inner] => {
            let outer: Vec<String> = outer.iter().rev().map(|k| format!("« {k} »")).collect();
            format!("sous « {inner} » de {}", outer.join(" de "))
        }
    }
}

/// The key written at the start of line `line` (1-based): `telphone` for `  - telphone: …`.
fn key_at(text: &str, line: u32) -> Option<String> {
    let l = text.lines().nth(line.checked_sub(1)? as usize)?;
    let (key, _) = l.trim_start_matches([' ', '-']).split_once(':')?;
    let key = key.trim().trim_matches(['"', '\'']);
    (!key.is_empty() && !key.contains(' ')).then(|| key.to_string())
}

/// The keys that own line `line`, outermost first, read from the indentation: `["lieux"]` for a
/// key of a place.
fn owners(text: &str, line: u32) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let column = |l: &str| l.len() - l.trim_start_matches([' ', '-']).len();
    let Some(mut current) = lines.get((line as usize).saturating_sub(1)).map(|l| column(l)) else { return Vec::new() };
    let mut out = Vec::new();
    for l in lines[..(line as usize).saturating_sub(1)].iter().rev() {
        let trimmed = l.trim_start_matches([' ', '-']);
        if current == 0 || trimmed.is_empty() || trimmed.starts_with('#') || column(l) >= current {
            continue;
        }
        if let Some((key, _)) = trimmed.split_once(':') {
            out.push(key.trim().to_string());
            current = column(l);
        }
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::action::ActionMeta;
    use crate::model::cpts::Cpts;
    use crate::model::member::MemberFile;

    fn names(b: &Block) -> Vec<&str> {
        b.keys.iter().map(|k| k.name.as_str()).collect()
    }

    #[test]
    fn nested_blocks_are_found_through_lists_options_and_places() {
        let member = of::<MemberFile>();
        assert!(names(&member).contains(&"publie"));
        let lieux = member.at(&["lieux".to_string()]).expect("lieux");
        assert!(names(lieux).contains(&"telephone") && names(lieux).contains(&"accessible_pmr"), "{lieux:?}");
        let image = member.at(&["image".to_string()]).expect("image");
        assert!(names(image).contains(&"src") && names(image).contains(&"alt"), "{image:?}");
        let cpts = of::<Cpts>();
        let communes = cpts.at(&["territoire".to_string(), "communes".to_string()]).expect("communes");
        assert!(names(communes).contains(&"insee"), "{communes:?}");
        let action = of::<ActionMeta>();
        let seances = action.at(&["seances".to_string()]).expect("seances");
        assert!(names(seances).contains(&"date") && names(seances).contains(&"fin"), "{seances:?}");
    }

    #[test]
    fn a_key_at_the_wrong_level_says_where_it_goes() {
        let text =
            "prenom: A\ntelephone: \"04 94 00 00 01\"\nlieux:\n  - adresse: x\n    publie: true\n    telphone: x\n";
        let d = |line| Diagnostic::error("M013", "f.yaml", line, 1, "clé inconnue");
        let hint = |line| place_key::<MemberFile>(d(line), text).hint.unwrap_or_default();
        assert_eq!(hint(2), "vouliez-vous dire « telephone », qui va sous « lieux » ?");
        assert_eq!(hint(5), "vouliez-vous dire « publie », qui va au premier niveau du fichier, sans retrait ?");
        assert_eq!(hint(6), "");
        let cpts = "nom: X\ntelephone: x\nzonage: zip\n";
        let hint = |line| place_key::<Cpts>(d(line), cpts).hint.unwrap_or_default();
        // `fraicheur` has its own `telephone` (months a phone stays current), and so have the
        // CPTS's same-day line and the contact person of /s-installer/.
        assert_eq!(
            hint(2),
            "vouliez-vous dire « telephone », qui va sous « contact », sous « contact » de « installation », sous « fraicheur », sous « hebergeur » ou sous « soins_non_programmes » de « contact » ?"
        );
        assert_eq!(hint(3), "vouliez-vous dire « zonage », qui va sous « communes » de « territoire » ?");
    }
}
