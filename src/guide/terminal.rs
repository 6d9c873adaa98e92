//! A topic of the guide for the terminal: Markdown turned into wrapped text, headings underlined,
//! tables written as one block per row (a terminal is too narrow for five columns), links to other
//! topics as the `maillage aide` command that shows them. French typography as on the site.

use super::{TOPICS, Topic};
use crate::render::text::typo;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Styles for a terminal that shows colours.
const BOLD: &str = "\x1b[1m";
const CODE: &str = "\x1b[36m";
const RESET: &str = "\x1b[0m";

/// The list of topics, for `maillage aide` without a topic.
pub fn index(width: usize, color: bool) -> String {
    let mut out = String::new();
    let title = "Le guide du coordinateur";
    out.push_str(&heading(title, '═', color));
    out.push_str(&wrap(
        &typo("Chaque sujet s’affiche avec « maillage aide SUJET » (par exemple : maillage aide membres). Pendant « maillage serve », le même guide est en ligne sur votre ordinateur, à l’adresse que la commande affiche."),
        width,
        "",
        "",
    ));
    out.push('\n');
    let longest = TOPICS.iter().map(|t| t.slug.len()).max().unwrap_or(0);
    for t in TOPICS {
        let name = format!("{:<longest$}", t.slug);
        let name = if color { format!("{BOLD}{name}{RESET}") } else { name };
        let first = format!("  {name}  ");
        let rest = " ".repeat(longest + 4);
        out.push_str(&wrap(&typo(&t.title()), width, &first, &rest));
    }
    out
}

/// One topic, wrapped at `width` columns.
pub fn topic(topic: &Topic, width: usize, color: bool) -> String {
    markdown(topic.markdown, width, color)
}

/// Any part of the guide (a topic, the section of a code), wrapped at `width` columns.
pub fn markdown(markdown: &str, width: usize, color: bool) -> String {
    Renderer::new(width, color).run(markdown)
}

/// A heading and its underline.
fn heading(text: &str, line: char, color: bool) -> String {
    let width = visible_len(text);
    let text = if color { format!("{BOLD}{text}{RESET}") } else { text.to_string() };
    format!("{text}\n{}\n\n", line.to_string().repeat(width))
}

/// The length of `text` on screen: characters, colour codes left out.
fn visible_len(text: &str) -> usize {
    let mut n = 0;
    let mut in_escape = false;
    for c in text.chars() {
        match c {
            '\x1b' => in_escape = true,
            'm' if in_escape => in_escape = false,
            _ if in_escape => {}
            _ => n += 1,
        }
    }
    n
}

/// Wraps `text` at `width`, the first line starting with `first`, the others with `rest`. Breaks
/// only at ordinary spaces: the no-break spaces of French typography hold.
fn wrap(text: &str, width: usize, first: &str, rest: &str) -> String {
    let mut out = String::new();
    for (n, source_line) in text.split('\n').enumerate() {
        let mut line = if n == 0 { first.to_string() } else { rest.to_string() };
        let mut empty = true;
        for word in source_line.split(' ').filter(|w| !w.is_empty()) {
            if !empty && visible_len(&line) + 1 + visible_len(word) > width {
                out.push_str(line.trim_end());
                out.push('\n');
                line = rest.to_string();
                empty = true;
            }
            if !empty {
                line.push(' ');
            }
            line.push_str(word);
            empty = false;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// A list being written: its next number (`None`: bullets).
struct List {
    next: Option<u64>,
}

/// A table being read: its header cells, its rows.
#[derive(Default)]
struct Table {
    head: Vec<String>,
    rows: Vec<Vec<String>>,
    in_head: bool,
}

/// Walks the Markdown events and writes the text.
struct Renderer {
    width: usize,
    color: bool,
    out: String,
    /// Inline text of the current block.
    text: String,
    lists: Vec<List>,
    /// Marker of the current list item, written before its first line.
    item_marker: Option<String>,
    quote: usize,
    code: Option<String>,
    table: Option<Table>,
    link: Vec<String>,
    heading: Option<HeadingLevel>,
}

impl Renderer {
    fn new(width: usize, color: bool) -> Renderer {
        Renderer {
            width,
            color,
            out: String::new(),
            text: String::new(),
            lists: Vec::new(),
            item_marker: None,
            quote: 0,
            code: None,
            table: None,
            link: Vec::new(),
            heading: None,
        }
    }

    fn run(mut self, markdown: &str) -> String {
        let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
        for event in Parser::new_ext(markdown, options) {
            self.event(event);
        }
        self.flush();
        self.out.trim_end().to_string() + "\n"
    }

    /// The indentation of text in the current containers.
    fn indent(&self) -> String {
        let mut s = "│ ".repeat(self.quote);
        s.push_str(&"  ".repeat(self.lists.len()));
        s
    }

    /// Writes the inline text gathered so far as a wrapped paragraph.
    fn flush(&mut self) {
        let text = std::mem::take(&mut self.text);
        if text.trim().is_empty() {
            return;
        }
        let indent = self.indent();
        let (first, rest) = match self.item_marker.take() {
            Some(marker) => {
                let base = indent.get(..indent.len().saturating_sub(2)).unwrap_or("").to_string();
                (format!("{base}{marker}"), format!("{base}{}", " ".repeat(marker.chars().count())))
            }
            None => (indent.clone(), indent),
        };
        self.out.push_str(&wrap(text.trim(), self.width, &first, &rest));
    }

    fn styled(&self, text: &str, style: &str) -> String {
        if self.color { format!("{style}{text}{RESET}") } else { text.to_string() }
    }

    fn event(&mut self, event: Event<'_>) {
        if let Some(code) = &mut self.code {
            match event {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let code = self.code.take().unwrap_or_default();
                    let indent = format!("{}    ", self.indent());
                    for line in code.trim_end().lines() {
                        let line = self.styled(line, CODE);
                        self.out.push_str(&format!("{indent}{line}\n").replace(&format!("{indent}\n"), "\n"));
                    }
                    self.out.push('\n');
                }
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                self.flush();
                self.heading = Some(level);
            }
            Event::End(TagEnd::Heading(_)) => {
                let text = std::mem::take(&mut self.text);
                let text = text.trim();
                let block = match self.heading.take() {
                    Some(HeadingLevel::H1) => heading(text, '═', self.color),
                    Some(HeadingLevel::H2) => heading(text, '─', self.color),
                    _ => format!("{}\n\n", self.styled(&format!("▸ {text}"), BOLD)),
                };
                if !self.out.is_empty() {
                    self.out.push('\n');
                }
                self.out.push_str(&block);
            }
            Event::Start(Tag::Paragraph) => {}
            Event::End(TagEnd::Paragraph) => {
                self.flush();
                if self.lists.is_empty() {
                    self.out.push('\n');
                }
            }
            Event::Start(Tag::BlockQuote(_)) => {
                self.flush();
                self.quote += 1;
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                self.flush();
                self.quote = self.quote.saturating_sub(1);
            }
            Event::Start(Tag::CodeBlock(_)) => {
                self.flush();
                self.code = Some(String::new());
            }
            Event::Start(Tag::List(start)) => {
                self.flush();
                self.lists.push(List { next: start });
            }
            Event::End(TagEnd::List(_)) => {
                self.flush();
                self.lists.pop();
                if self.lists.is_empty() {
                    self.out.push('\n');
                }
            }
            Event::Start(Tag::Item) => {
                self.flush();
                let marker = match self.lists.last_mut().and_then(|l| l.next.as_mut()) {
                    Some(n) => {
                        let m = format!("{n}. ");
                        *n += 1;
                        m
                    }
                    None => "• ".to_string(),
                };
                self.item_marker = Some(marker);
            }
            Event::End(TagEnd::Item) => self.flush(),
            Event::Start(Tag::Table(_)) => {
                self.flush();
                self.table = Some(Table::default());
            }
            Event::Start(Tag::TableHead) => {
                if let Some(t) = &mut self.table {
                    t.in_head = true;
                }
            }
            Event::End(TagEnd::TableHead) => {
                if let Some(t) = &mut self.table {
                    t.in_head = false;
                }
            }
            Event::Start(Tag::TableRow) => {
                if let Some(t) = &mut self.table {
                    t.rows.push(Vec::new());
                }
            }
            Event::End(TagEnd::TableCell) => {
                let cell = std::mem::take(&mut self.text).trim().to_string();
                if let Some(t) = &mut self.table {
                    if t.in_head {
                        t.head.push(cell);
                    } else if let Some(row) = t.rows.last_mut() {
                        row.push(cell);
                    }
                }
            }
            Event::End(TagEnd::Table) => {
                if let Some(t) = self.table.take() {
                    self.table_rows(&t);
                }
            }
            Event::Start(Tag::Strong) if self.color => self.text.push_str(BOLD),
            Event::End(TagEnd::Strong) if self.color => self.text.push_str(RESET),
            Event::Start(Tag::Link { dest_url, .. }) => self.link.push(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                let url = self.link.pop().unwrap_or_default();
                if let Some(slug) = topic_of(&url) {
                    self.text.push_str(&format!(" (maillage aide {slug})"));
                } else if url.starts_with("http") && !self.text.ends_with(&url) {
                    self.text.push_str(&format!(" <{url}>"));
                }
            }
            Event::Text(t) => self.text.push_str(&typo(&t)),
            Event::Code(c) => {
                let code = if self.color { format!("{CODE}{c}{RESET}") } else { format!("`{c}`") };
                self.text.push_str(&code);
            }
            Event::SoftBreak => self.text.push(' '),
            Event::HardBreak => self.text.push('\n'),
            Event::Rule => {
                self.flush();
                self.out.push_str(&format!("{}\n\n", "─".repeat(self.width.min(40))));
            }
            _ => {}
        }
    }

    /// A table, one block per row: the first cell, then each other cell under its header.
    fn table_rows(&mut self, table: &Table) {
        let indent = self.indent();
        for row in &table.rows {
            let Some(first) = row.first() else { continue };
            let title = if self.color { format!("{BOLD}{first}{RESET}") } else { first.clone() };
            self.out.push_str(&wrap(&title, self.width, &format!("{indent}• "), &format!("{indent}  ")));
            for (head, cell) in table.head.iter().zip(row).skip(1) {
                if cell.is_empty() {
                    continue;
                }
                let line = format!("{head}\u{a0}: {cell}");
                self.out.push_str(&wrap(&line, self.width, &format!("{indent}    "), &format!("{indent}      ")));
            }
        }
        self.out.push('\n');
    }
}

/// The topic a link of the guide points to (`membres.md#lieu` → `membres`), if any.
fn topic_of(url: &str) -> Option<&'static str> {
    let file = url.split('#').next()?.strip_suffix(".md")?;
    TOPICS.iter().find(|t| t.slug == file).map(|t| t.slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(markdown: &str) -> String {
        Renderer::new(40, false).run(markdown)
    }

    #[test]
    fn headings_paragraphs_and_lists_are_wrapped() {
        let text = render(
            "# Titre\n\nUn paragraphe assez long pour être coupé en plusieurs lignes : voilà.\n\n- premier point\n- second point, lui aussi un peu long pour la ligne\n",
        );
        assert_eq!(
            text,
            "Titre\n═════\n\nUn paragraphe assez long pour être coupé\nen plusieurs lignes\u{a0}: voilà.\n\n• premier point\n• second point, lui aussi un peu long\n  pour la ligne\n"
        );
    }

    #[test]
    fn tables_become_blocks_and_links_become_commands() {
        let text = render(
            "| clé | type | exemple |\n|---|---|---|\n| `nom` | texte | `CPTS` |\n\nVoir [les lieux](blocs.md#lieu).\n",
        );
        assert_eq!(
            text,
            "• `nom`\n    type\u{a0}: texte\n    exemple\u{a0}: `CPTS`\n\nVoir les lieux (maillage aide blocs).\n"
        );
    }

    #[test]
    fn code_blocks_are_indented_and_never_wrapped() {
        let text = render("```yaml\nnom: une valeur qui dépasse largement la largeur de quarante colonnes\n```\n");
        assert_eq!(text, "    nom: une valeur qui dépasse largement la largeur de quarante colonnes\n");
    }
}
