//! Turning spec names (schema names, property names, enum values, operation ids) into Rust
//! identifiers that are valid, readable and unique within their scope.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Words that cannot be plain identifiers: all Rust keywords, reserved words included.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names the emitted code uses unqualified; a schema with such a name is renamed so that it
/// cannot shadow them.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "String", "Option", "Vec", "Box", "Result", "Some", "None", "Ok", "Err", "Self", "Default",
];

/// Readable names for the operator-like values Intercom uses in search filters.
const SYMBOL_WORDS: &[(&str, &str)] = &[
    ("=", "Eq"),
    ("!=", "NotEq"),
    ("<", "Lt"),
    (">", "Gt"),
    ("<=", "Le"),
    (">=", "Ge"),
    ("~", "Contains"),
    ("!~", "NotContains"),
    ("^", "StartsWith"),
    ("$", "EndsWith"),
];

fn char_word(c: char) -> Option<&'static str> {
    Some(match c {
        '=' => "Eq",
        '!' => "Not",
        '<' => "Lt",
        '>' => "Gt",
        '~' => "Tilde",
        '^' => "Caret",
        '$' => "Dollar",
        '+' => "Plus",
        '-' => "Minus",
        '*' => "Star",
        '/' => "Slash",
        '.' => "Dot",
        '@' => "At",
        '&' => "Amp",
        '|' => "Pipe",
        '%' => "Percent",
        '#' => "Hash",
        '?' => "Question",
        ':' => "Colon",
        _ => return None,
    })
}

/// UpperCamelCase type name for a schema name or a name hint.
pub fn type_name(raw: &str) -> String {
    let camel = raw.to_upper_camel_case();
    let camel = if camel.is_empty() {
        "Unnamed".to_owned()
    } else {
        camel
    };
    let camel = if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("T{camel}")
    } else {
        camel
    };
    if RESERVED_TYPE_NAMES.contains(&camel.as_str()) {
        format!("{camel}Schema")
    } else {
        camel
    }
}

/// snake_case identifier for a property, parameter or operation name.
pub fn field_name(raw: &str) -> String {
    let snake = raw.to_snake_case();
    let snake = if snake.is_empty() {
        let words: Vec<&str> = raw.chars().filter_map(char_word).collect();
        if words.is_empty() {
            "field".to_owned()
        } else {
            words.join("_").to_lowercase()
        }
    } else {
        snake
    };
    let snake = if snake.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{snake}")
    } else {
        snake
    };
    if KEYWORDS.contains(&snake.as_str()) {
        format!("{snake}_")
    } else {
        snake
    }
}

/// UpperCamelCase variant name for an enum value, readable also for values that are not words.
pub fn variant_name(value: &str) -> String {
    if let Some((_, word)) = SYMBOL_WORDS.iter().find(|(symbol, _)| *symbol == value) {
        return (*word).to_owned();
    }
    if value.is_empty() {
        return "Empty".to_owned();
    }
    if value.starts_with(|c: char| c.is_ascii_digit()) {
        if value
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        {
            // Versions and numbers: `2.14` becomes `V2_14`, keeping the digits apart.
            let joined: String = value
                .chars()
                .map(|c| if c.is_ascii_digit() { c } else { '_' })
                .collect();
            return format!("V{}", joined.trim_matches('_'));
        }
        return format!("V{}", value.to_upper_camel_case());
    }
    let camel = value.to_upper_camel_case();
    if camel.is_empty() {
        let words: String = value.chars().filter_map(char_word).collect();
        if words.is_empty() {
            "Value".to_owned()
        } else {
            words
        }
    } else if KEYWORDS.contains(&camel.as_str()) {
        format!("{camel}Value")
    } else {
        camel
    }
}

/// Hands out names that are unique within one scope, suffixing a counter on collision.
#[derive(Debug, Default, Clone)]
pub struct NameScope {
    used: BTreeSet<String>,
}

impl NameScope {
    pub fn with_reserved<'a>(reserved: impl IntoIterator<Item = &'a str>) -> Self {
        Self {
            used: reserved.into_iter().map(str::to_owned).collect(),
        }
    }

    /// `wanted` if free, else `wanted2`, `wanted3`, ... (`wanted_2` for snake_case names).
    pub fn claim(&mut self, wanted: &str) -> String {
        if self.used.insert(wanted.to_owned()) {
            return wanted.to_owned();
        }
        let separator = if wanted.contains('_') || wanted.starts_with(|c: char| c.is_lowercase()) {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|n| format!("{wanted}{separator}{n}"))
            .find(|candidate| self.used.insert(candidate.clone()))
            .expect("an unbounded counter always finds a free name")
    }

    pub fn contains(&self, name: &str) -> bool {
        self.used.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_values_get_readable_variants() {
        assert_eq!(variant_name("="), "Eq");
        assert_eq!(variant_name("!="), "NotEq");
        assert_eq!(variant_name("~"), "Contains");
        assert_eq!(variant_name("2.14"), "V2_14");
        assert_eq!(variant_name("Unstable"), "Unstable");
        assert_eq!(variant_name("in_app"), "InApp");
        assert_eq!(variant_name("**"), "StarStar");
        assert_eq!(variant_name("3rd_party_error"), "V3rdPartyError");
    }

    #[test]
    fn keywords_and_digits_become_identifiers() {
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("2fa_enabled"), "n2fa_enabled");
        assert_eq!(field_name("$"), "dollar");
        assert_eq!(type_name("string"), "StringSchema");
        assert_eq!(type_name("3d_model"), "T3dModel");
    }

    #[test]
    fn collisions_get_counters() {
        let mut scope = NameScope::default();
        assert_eq!(scope.claim("Contact"), "Contact");
        assert_eq!(scope.claim("Contact"), "Contact2");
        let mut fields = NameScope::default();
        assert_eq!(fields.claim("foo_bar"), "foo_bar");
        assert_eq!(fields.claim("foo_bar"), "foo_bar_2");
    }
}
