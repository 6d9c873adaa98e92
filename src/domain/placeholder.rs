//! Texts that stand for a value nobody has written yet: what `maillage init` and `maillage new`
//! leave to fill (« À compléter », addresses in `example.fr`, `01 23 45 67 89`), and the usual
//! filler (lorem ipsum). Found in the text of a content file, comments left out, each with its
//! place; the check decides whether it warns or stops the build.

use super::text::fold;

/// What kind of placeholder was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// « À compléter ».
    ToComplete,
    /// An address at a domain reserved for examples (`example.fr`, `x.example`…).
    ExampleDomain,
    /// A phone number nobody has: `01 23 45 67 89`, `01 00 00 00 00`.
    ExamplePhone,
    /// Lorem ipsum.
    Filler,
}

/// A placeholder in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// What it is.
    pub kind: Kind,
    /// The text found (`À compléter`, `contact@cpts.example.fr`, `01 23 45 67 89`).
    pub text: String,
}

/// Placeholders in YAML (a `.yaml` file, or the front matter of a `.md` file whose lines start at
/// `first_line`): comments are left out, since `maillage new` writes examples there.
pub fn in_yaml(yaml: &str, first_line: u32) -> Vec<Placeholder> {
    let mut out = Vec::new();
    for (i, line) in yaml.lines().enumerate() {
        find_in_line(yaml_value_part(line), first_line + i as u32, &mut out);
    }
    out.sort_by_key(|p| (p.line, p.column));
    out
}

/// Placeholders in the Markdown body of a file, whose lines start at `first_line`.
pub fn in_markdown(body: &str, first_line: u32) -> Vec<Placeholder> {
    let mut out = Vec::new();
    for (i, line) in body.lines().enumerate() {
        find_in_line(line, first_line + i as u32, &mut out);
    }
    out.sort_by_key(|p| (p.line, p.column));
    out
}

/// The part of a YAML line before its comment: a `#` at the start or after a space, outside
/// double quotes (an apostrophe is too common in French to count single quotes).
fn yaml_value_part(line: &str) -> &str {
    let mut in_quotes = false;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            '#' if !in_quotes && prev.is_whitespace() => return &line[..i],
            _ => {}
        }
        prev = c;
    }
    line
}

fn find_in_line(text: &str, line: u32, out: &mut Vec<Placeholder>) {
    let column = |byte: usize| text[..byte].chars().count() as u32 + 1;
    let mut push = |byte: usize, kind: Kind, found: &str| {
        out.push(Placeholder { line, column: column(byte), kind, text: found.to_string() });
    };
    let lower = text.to_ascii_lowercase();
    if lower.contains("mpl")
        && let Some((byte, len)) = text.char_indices().find_map(|(i, _)| to_complete_at(text, i).map(|len| (i, len)))
    {
        push(byte, Kind::ToComplete, &text[byte..byte + len]);
    }
    if lower.contains("lorem ipsum") {
        let byte = lower.find("lorem ipsum").unwrap_or(0);
        push(byte, Kind::Filler, &text[byte..byte + "lorem ipsum".len()]);
    }
    let mut from = 0;
    while let Some(at) = lower[from..].find("example").map(|i| i + from) {
        from = at + "example".len();
        let is_host = |c: char| c.is_ascii_alphanumeric() || c == '.' || c == '-';
        let start = lower[..at].rfind(|c: char| !is_host(c)).map_or(0, |i| after_char(&lower, i));
        let end = lower[at..].find(|c: char| !is_host(c)).map_or(lower.len(), |i| i + at);
        let host = lower[start..end].trim_matches(['.', '-']);
        let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
        let n = labels.len();
        let reserved = n >= 2 && (labels[n - 1] == "example" || labels[n - 2] == "example");
        if reserved {
            // The whole address: a user or a path around the host.
            let word_start = text[..start].rfind(char::is_whitespace).map_or(0, |i| after_char(text, i));
            let word_end = text[end..].find(char::is_whitespace).map_or(text.len(), |i| i + end);
            let word = text[word_start..word_end].trim_matches(['"', '\'', '<', '>', '(', ')', ',', ';']);
            push(word_start.max(text[..word_end].find(word).unwrap_or(word_start)), Kind::ExampleDomain, word);
            from = end.max(from);
        }
    }
    phones(text, &mut push);
}

/// The byte just after the character that starts at byte `at` of `text` (an apostrophe or a
/// no-break space take more than one).
fn after_char(text: &str, at: usize) -> usize {
    at + text[at..].chars().next().map_or(0, char::len_utf8)
}

/// The length in bytes of « à compléter » (any case, with or without accents) starting at byte
/// `at` of `text`, a word on its own.
fn to_complete_at(text: &str, at: usize) -> Option<usize> {
    let before = text[..at].chars().next_back();
    if before.is_some_and(char::is_alphanumeric) {
        return None;
    }
    let mut chars = text[at..].char_indices();
    let (_, a) = chars.next()?;
    let (_, space) = chars.next()?;
    if !matches!(a, 'à' | 'À' | 'a' | 'A') || space != ' ' {
        return None;
    }
    let word: Vec<(usize, char)> = chars.by_ref().take(9).collect();
    let folded = fold(&word.iter().map(|(_, c)| c).collect::<String>());
    let after = chars.next();
    let end = after.map_or(text.len() - at, |(i, _)| i);
    (folded == "completer" && after.is_none_or(|(_, c)| !c.is_alphanumeric())).then_some(end)
}

/// Phone numbers made of the digits of an example: ten digits `0123456789`, or a leading `0`,
/// one digit and eight zeros.
fn phones(text: &str, push: &mut impl FnMut(usize, Kind, &str)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let start = i;
        let mut digits = String::new();
        let mut end = i;
        while end < bytes.len() && (bytes[end].is_ascii_digit() || matches!(bytes[end], b' ' | b'.' | b'-')) {
            if bytes[end].is_ascii_digit() {
                digits.push(bytes[end] as char);
            }
            end += 1;
        }
        let found = text[start..end].trim_end_matches([' ', '.', '-']);
        let example = digits == "0123456789"
            || (digits.len() == 10 && digits.starts_with('0') && digits[2..].bytes().all(|b| b == b'0'));
        if example {
            push(start, Kind::ExamplePhone, found);
        }
        i = end.max(i + 1);
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn an_example_address_after_a_character_of_several_bytes() {
        // Found by fuzzing: the address's start was taken one byte after an apostrophe or a
        // no-break space, inside the character, and checking the file panicked.
        let found = in_markdown("écrire à l’contact@cpts.example.fr ou\u{a0}www.example.org", 1);
        let texts: Vec<&str> = found.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["l’contact@cpts.example.fr", "www.example.org"]);
        assert_eq!((found[0].column, found[1].column), (10, 39));
    }
    use super::*;

    fn kinds(yaml: &str) -> Vec<(u32, u32, Kind, String)> {
        in_yaml(yaml, 1).into_iter().map(|p| (p.line, p.column, p.kind, p.text)).collect()
    }

    #[test]
    fn what_init_and_new_leave_is_found_where_it_is() {
        let yaml = "nom: CPTS\n  siege: À compléter, 83340 Le Luc\n  courriel: contact@cpts-collines.example.fr\n  telephone: \"01 00 00 00 00\"\nsite:\n  url: https://www.cpts-x.example.fr\n";
        assert_eq!(
            kinds(yaml),
            vec![
                (2, 10, Kind::ToComplete, "À compléter".to_string()),
                (3, 13, Kind::ExampleDomain, "contact@cpts-collines.example.fr".to_string()),
                (4, 15, Kind::ExamplePhone, "01 00 00 00 00".to_string()),
                (6, 8, Kind::ExampleDomain, "https://www.cpts-x.example.fr".to_string()),
            ]
        );
    }

    #[test]
    fn comments_and_real_values_are_left_alone() {
        let yaml = "# lien: https://exemple.fr/x\n# telephone: \"01 23 45 67 89\"\ntelephone: \"04 94 12 34 56\" # à compléter\nrpps: \"10000000009\"\ndate: 2026-01-01\nnom: Centre complet\n";
        assert_eq!(kinds(yaml), vec![]);
        let md =
            "Texte : a compléter plus tard.\nLorem ipsum dolor.\nAppelez le 01 23 45 67 89 ou écrivez à a@b.example.\n";
        let found: Vec<Kind> = in_markdown(md, 5).into_iter().map(|p| p.kind).collect();
        assert_eq!(found, vec![Kind::ToComplete, Kind::Filler, Kind::ExamplePhone, Kind::ExampleDomain]);
        assert_eq!(in_markdown("Un exemple. Par example.\n", 1), vec![]);
    }
}
