//! Escaping for the markup the render stage writes by hand (the map, charts, feeds, the dev
//! server's error page); templates escape through the same [`write_escaped`].

/// Escapes `& < > " '` for HTML text and quoted attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    // Writing to a String cannot fail.
    let _ = write_escaped(&mut out, s);
    out
}

/// Writes `s` escaped as [`escape_html`] does, copying the runs between special characters
/// as they are (templates print many values: no allocation per value).
pub fn write_escaped(out: &mut impl std::fmt::Write, s: &str) -> std::fmt::Result {
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.write_str(&s[from..i])?;
        out.write_str(entity)?;
        from = i + 1;
    }
    out.write_str(&s[from..])
}

/// Escapes text for XML.
pub fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_only_what_html_needs() {
        assert_eq!(
            escape_html("Dr A&B <x> \"l’été\" d'Hyères / 1"),
            "Dr A&amp;B &lt;x&gt; &quot;l’été&quot; d&#39;Hyères / 1"
        );
        assert_eq!(escape_html("é&"), "é&amp;");
        assert_eq!(escape_html(""), "");
    }
}
