//! Paths into a record's value, as edits and forms name them.

/// One step of a path into a record: a mapping's key or a sequence's index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    /// A key of a mapping.
    Key(String),
    /// An item of a sequence (0-based).
    Index(usize),
}

/// A path written with dots, as forms name their fields: `lieux.0.telephone`.
pub fn dotted(path: &[Step]) -> String {
    let parts: Vec<String> = path
        .iter()
        .map(|s| match s {
            Step::Key(k) => k.clone(),
            Step::Index(i) => i.to_string(),
        })
        .collect();
    parts.join(".")
}
