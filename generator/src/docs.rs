//! Turns the spec's descriptions (CommonMark with Markdoc tags and stray HTML) into rustdoc that
//! `cargo doc` accepts without warnings: no bare URLs, no accidental intra-doc links, no
//! unbalanced HTML, and no code block that rustdoc would try to compile as a doctest.

/// Converts one description. Returns `None` for blank input so callers emit no empty doc.
pub fn rustdoc(description: &str) -> Option<String> {
    let mut out: Vec<String> = Vec::new();
    let mut in_fence = false;
    let mut quote_prefix = false;
    for raw_line in description.lines() {
        let line = raw_line.trim_end();
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("```") {
            out.push(fence_line(rest, in_fence, quote_prefix));
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(prefixed(quote_prefix, line));
            continue;
        }
        if let Some(heading) = admonition_open(trimmed) {
            quote_prefix = true;
            out.push(format!("> {heading}"));
            out.push(">".to_owned());
            continue;
        }
        if trimmed.starts_with("{% /admonition") {
            quote_prefix = false;
            out.push(String::new());
            continue;
        }
        // Leading indentation would turn prose into an indented (Rust doctest) code block.
        let converted = convert_inline(trimmed);
        for piece in converted.split('\n') {
            out.push(prefixed(quote_prefix, piece.trim_start()));
        }
    }
    if in_fence {
        out.push("```".to_owned());
    }
    let text = collapse_blank_lines(&out);
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

fn prefixed(quote: bool, line: &str) -> String {
    match (quote, line.is_empty()) {
        (false, _) => line.to_owned(),
        (true, true) => ">".to_owned(),
        (true, false) => format!("> {line}"),
    }
}

/// An opening fence without a language (or with `rust`) would be compiled as a doctest.
fn fence_line(lang: &str, closing: bool, quote: bool) -> String {
    let lang = lang.trim();
    let fence = if closing {
        "```".to_owned()
    } else if lang.is_empty() || lang.starts_with("rust") {
        "```text".to_owned()
    } else {
        format!("```{lang}")
    };
    prefixed(quote, &fence)
}

/// `{% admonition type="warning" name="Title" %}` becomes the heading of a block quote.
fn admonition_open(line: &str) -> Option<String> {
    let inner = line
        .strip_prefix("{%")?
        .trim_start()
        .strip_prefix("admonition")?;
    let inner = inner.trim_end().strip_suffix("%}")?;
    let kind = attribute(inner, "type").unwrap_or("note");
    let mut kind_title: String = kind.chars().take(1).flat_map(char::to_uppercase).collect();
    kind_title.push_str(&kind[kind.chars().take(1).map(char::len_utf8).sum::<usize>()..]);
    Some(match attribute(inner, "name") {
        Some(name) => format!("**{kind_title}: {}**", convert_inline(name)),
        None => format!("**{kind_title}**"),
    })
}

fn attribute<'a>(tag: &'a str, key: &str) -> Option<&'a str> {
    let start = tag.find(&format!("{key}=\""))? + key.len() + 2;
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// Rewrites one line outside code: inline code spans are copied untouched.
fn convert_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(tick) = rest.find('`') {
        out.push_str(&convert_text(&rest[..tick]));
        let after = &rest[tick + 1..];
        match after.find('`') {
            Some(end) => {
                out.push('`');
                out.push_str(&after[..end]);
                out.push('`');
                rest = &after[end + 1..];
            }
            None => {
                // An unmatched backtick: escape it so the rest is not read as code.
                out.push_str("\\`");
                rest = after;
            }
        }
    }
    out.push_str(&convert_text(rest));
    out
}

fn convert_text(text: &str) -> String {
    let text = convert_html(text);
    let text = escape_brackets(&text);
    wrap_bare_urls(&text)
}

/// Known formatting tags become Markdown; any other `<` is escaped so rustdoc sees no HTML.
fn convert_html(text: &str) -> String {
    const TAGS: &[(&str, &str)] = &[
        ("<br>", "\n"),
        ("<br/>", "\n"),
        ("<br />", "\n"),
        ("</br>", "\n"),
        ("<p>", "\n\n"),
        ("</p>", "\n\n"),
        ("<code>", "`"),
        ("</code>", "`"),
        ("<b>", "**"),
        ("</b>", "**"),
        ("<strong>", "**"),
        ("</strong>", "**"),
        ("<i>", "*"),
        ("</i>", "*"),
        ("<em>", "*"),
        ("</em>", "*"),
        ("<ul>", "\n"),
        ("</ul>", "\n"),
        ("<ol>", "\n"),
        ("</ol>", "\n"),
        ("<li>", "\n- "),
        ("</li>", ""),
    ];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find('<') {
        out.push_str(&rest[..pos]);
        let tail = &rest[pos..];
        match TAGS
            .iter()
            .find(|(tag, _)| starts_with_ignore_case(tail, tag))
        {
            Some((tag, replacement)) => {
                out.push_str(replacement);
                rest = &tail[tag.len()..];
            }
            None if is_autolink(tail) => {
                let end = tail.find('>').map_or(tail.len(), |e| e + 1);
                out.push_str(&tail[..end]);
                rest = &tail[end..];
            }
            None => {
                out.push_str("&lt;");
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.is_char_boundary(prefix.len())
        && text[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn is_autolink(tail: &str) -> bool {
    let Some(end) = tail.find('>') else {
        return false;
    };
    let inner = &tail[1..end];
    (inner.starts_with("http://") || inner.starts_with("https://"))
        && !inner.contains(char::is_whitespace)
}

/// `[text]` not followed by `(` would be read as an intra-doc link.
fn escape_brackets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '[' if !opens_markdown_link(&chars, i) => out.push_str("\\["),
            ']' if chars.get(i + 1) != Some(&'(') => out.push_str("\\]"),
            _ => out.push(c),
        }
    }
    out
}

fn opens_markdown_link(chars: &[char], open: usize) -> bool {
    let mut depth = 0usize;
    for (i, &c) in chars.iter().enumerate().skip(open) {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return chars.get(i + 1) == Some(&'(');
                }
            }
            _ => {}
        }
    }
    false
}

/// Bare `http(s)://` URLs become autolinks; URLs that are already link targets are left alone.
fn wrap_bare_urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(pos) = find_url(rest) {
        let before = &rest[..pos];
        out.push_str(before);
        let url_len = rest[pos..]
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '"' | '\'' | '<' | ']'))
            .unwrap_or(rest.len() - pos);
        let mut url = &rest[pos..pos + url_len];
        while url.ends_with(['.', ',', ';', ':', '!', '?']) {
            url = &url[..url.len() - 1];
        }
        let already_linked = before.ends_with("](") || before.ends_with('<');
        if already_linked {
            out.push_str(url);
        } else {
            out.push('<');
            out.push_str(url);
            out.push('>');
        }
        rest = &rest[pos + url.len()..];
    }
    out.push_str(rest);
    out
}

fn find_url(text: &str) -> Option<usize> {
    match (text.find("https://"), text.find("http://")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn collapse_blank_lines(lines: &[String]) -> String {
    let mut out = String::new();
    let mut previous_blank = true;
    for line in lines {
        let blank = line.trim().is_empty() || line == ">";
        if blank && previous_blank {
            continue;
        }
        out.push_str(if blank && line != ">" { "" } else { line });
        out.push('\n');
        previous_blank = blank;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::rustdoc;

    #[test]
    fn admonitions_become_block_quotes() {
        let doc = rustdoc("Intro\n{% admonition type=\"warning\" name=\"Careful\" %}\n  Deleted data is gone.\n{% /admonition %}\nAfter").unwrap();
        assert_eq!(
            doc,
            "Intro\n> **Warning: Careful**\n>\n> Deleted data is gone.\n\nAfter"
        );
    }

    #[test]
    fn html_urls_and_brackets_are_made_safe() {
        let doc = rustdoc(
            "See https://example.com/x. Use <code>a</code><br>[beta] <id> or [docs](https://d.io)",
        )
        .unwrap();
        assert_eq!(
            doc,
            "See <https://example.com/x>. Use `a`\n\\[beta\\] &lt;id> or [docs](https://d.io)"
        );
    }

    #[test]
    fn code_blocks_never_become_doctests() {
        let doc = rustdoc("```\ncurl x\n```\n    indented").unwrap();
        assert_eq!(doc, "```text\ncurl x\n```\nindented");
    }
}
