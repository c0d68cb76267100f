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

/// Type names the emitted code uses unqualified (the std prelude, serde's traits and derives):
/// a generated type or request builder with such a name would shadow them, so it is renamed.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "String",
    "Option",
    "Vec",
    "Box",
    "Result",
    "Some",
    "None",
    "Ok",
    "Err",
    "Self",
    "Default",
    "Serialize",
    "Deserialize",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "Clone",
    "Copy",
    "Debug",
    "PartialEq",
    "Eq",
    "Hash",
    "PartialOrd",
    "Ord",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "Extend",
    "ToString",
    "ToOwned",
    "AsRef",
    "AsMut",
];

/// What the `operations` module imports from the runtime (besides `types` and `Client` from its
/// parent); request builders must not take these names.
pub const OPERATIONS_RUNTIME_IMPORTS: &[&str] =
    &["ApiRequest", "Endpoint", "Error", "Paginated", "Request"];

/// Members of every request builder (its fields and methods), which parameter setters must not
/// shadow, and the operator method names clippy's `should_implement_trait` rejects on a setter.
pub const BUILDER_MEMBERS: &[&str] = &[
    "client",
    "options",
    "body",
    "new",
    "send",
    "send_with_response",
    "into_stream",
    "pages",
    "endpoint",
    "into_future",
    "clone",
    "add",
    "sub",
    "mul",
    "div",
    "rem",
    "shl",
    "shr",
    "bitand",
    "bitor",
    "bitxor",
];

/// Methods of every generated `Client`, which operation methods must not shadow, and the trait
/// method names clippy's `should_implement_trait` rejects on a client method.
pub const CLIENT_MEMBERS: &[&str] = &[
    "new",
    "builder",
    "transport",
    "rate_limit",
    "api_version",
    "from",
    "clone",
    "cmp",
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

/// The spec name spelled in ASCII: `prénom` becomes `prenom`, `x²` becomes `x2`, `名前` becomes
/// `Ming Qian`. Identifiers stay ASCII so that rustc's default-on lints about Unicode identifiers
/// (`uncommon_codepoints`, `confusable_idents`, `mixed_script_confusables`) cannot fire in the
/// generated crate; characters without a transliteration separate words.
fn ascii(raw: &str) -> std::borrow::Cow<'_, str> {
    deunicode::deunicode_with_tofu_cow(raw, " ")
}

/// Makes `candidate` (ASCII letters, digits and underscores) a usable identifier: `fallback`
/// when it has no letter or digit, `prefix` in front when it does not start with a letter.
fn identifier(candidate: String, prefix: &str, fallback: &str) -> String {
    if !candidate.chars().any(|c| c.is_ascii_alphanumeric()) {
        return fallback.to_owned();
    }
    if candidate.starts_with(|c: char| c.is_ascii_alphabetic()) {
        candidate
    } else {
        format!("{prefix}{candidate}")
    }
}

/// UpperCamelCase type name for a schema name or a name hint.
pub fn type_name(raw: &str) -> String {
    let camel = identifier(ascii(raw).to_upper_camel_case(), "T", "Unnamed");
    if RESERVED_TYPE_NAMES.contains(&camel.as_str()) {
        format!("{camel}Schema")
    } else {
        camel
    }
}

/// snake_case identifier for a property, parameter or operation name.
pub fn field_name(raw: &str) -> String {
    let raw = ascii(raw);
    let snake = raw.to_snake_case();
    let snake = if snake.is_empty() {
        let words: Vec<&str> = raw.chars().filter_map(char_word).collect();
        words.join("_").to_lowercase()
    } else {
        snake
    };
    let snake = identifier(snake, "n", "field");
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
    let value = ascii(value);
    if let Some(number) = number_variant(&value) {
        return number;
    }
    if value.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("V{}", value.to_upper_camel_case());
    }
    let camel = value.to_upper_camel_case();
    let camel = if camel.is_empty() {
        value.chars().filter_map(char_word).collect()
    } else {
        camel
    };
    let camel = identifier(camel, "V", "Value");
    if KEYWORDS.contains(&camel.as_str()) {
        format!("{camel}Value")
    } else {
        camel
    }
}

/// Versions and numbers, signed or not: `2.14` becomes `V2_14` (the digits kept apart), `-1`
/// becomes `Minus1`, `+1` becomes `Plus1`.
fn number_variant(value: &str) -> Option<String> {
    let (prefix, digits) = match value.split_at_checked(1) {
        Some(("-", rest)) => ("Minus", rest),
        Some(("+", rest)) => ("Plus", rest),
        _ => ("V", value),
    };
    let numeric = digits.starts_with(|c: char| c.is_ascii_digit())
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if !numeric {
        return None;
    }
    let joined: String = digits
        .chars()
        .map(|c| if c.is_ascii_digit() { c } else { '_' })
        .collect();
    Some(format!("{prefix}{}", joined.trim_matches('_')))
}

/// Whether `name` is an identifier the emitters can use as is: ASCII, not a keyword, not `_`.
pub fn is_identifier(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_"
        && !KEYWORDS.contains(&name)
}

/// `name` if it is an identifier, else the closest identifier keeping its case: other characters
/// become `_`, a leading digit gets a `_` before it, a keyword an `_` after it. Lowering hands
/// emission only identifiers, so this is a last line of defence against a panic, not a naming rule.
pub fn repair(name: &str) -> std::borrow::Cow<'_, str> {
    if is_identifier(name) {
        return name.into();
    }
    let mut repaired: String = ascii(name)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if !repaired.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        repaired.insert(0, '_');
    }
    if repaired == "_" || KEYWORDS.contains(&repaired.as_str()) {
        repaired.push('_');
    }
    repaired.into()
}

/// How long an inline type's name may grow before it is shortened (see [`shortened_names`]).
/// Names built from a position (`{Parent}{Property}`) grow with every level of nesting; past
/// this length they stop reading as names.
pub const TYPE_NAME_BUDGET: usize = 40;

/// The shorter names an inline type may take, best first, when its positional name (the
/// concatenation of `segments`: the owning type's name, then each property, variant or `Item`
/// on the way) is longer than `budget`. Empty when it is not. Each step keeps what says what
/// the type is (the owner first, the last property last) and removes what the path repeats:
///
/// 1. `Item` segments inside the path (an array's item is named after its property already);
/// 2. words a segment starts with that the name already has (`RedactConversationRequest` +
///    `RedactConversationSourceRequest` → `RedactConversationRequestSourceRequest`);
/// 3. the middle of the path: the owner and as many of the last segments as fit (at least the
///    last, and its parent too when the last is one word: `SummaryType`, not `Type`).
///
/// Candidates that fit come first (the least shortened first), then the others, shortest first.
///
/// The caller takes the first candidate that no other type has, so two types never share a
/// name, and falls back to the positional name when every candidate is taken. A candidate
/// depends only on the type's own path: changes elsewhere in the description cannot rename it
/// unless they claim that very name.
pub fn shortened_names(segments: &[String], budget: usize) -> Vec<String> {
    if segments.concat().len() <= budget || segments.len() < 2 {
        return Vec::new();
    }
    let last = segments.len() - 1;
    let without_items: Vec<String> = segments
        .iter()
        .enumerate()
        .filter(|(i, segment)| *i == 0 || *i == last || segment.as_str() != "Item")
        .map(|(_, segment)| segment.clone())
        .collect();
    let without_repeats =
        without_repeated_leading_words(&with_last_item_joined(without_items.clone()));
    let mut candidates = vec![without_items.concat(), without_repeats.concat()];
    let (owner, path) = (&without_repeats[0], &without_repeats[1..]);
    // A one-word property (`type`, `status`) says what it is only with its parent's name.
    let fewest = (1..=path.len())
        .find(|&kept| camel_words(&path[path.len() - kept..].concat()).len() >= 2)
        .unwrap_or(path.len());
    let cropped: Vec<String> = (fewest..path.len())
        .rev()
        .map(|kept| format!("{owner}{}", path[path.len() - kept..].concat()))
        .collect();
    let (fitting, too_long): (Vec<String>, Vec<String>) =
        cropped.into_iter().partition(|name| name.len() <= budget);
    candidates.extend(fitting);
    candidates.extend(too_long);
    let (mut fits, mut rest): (Vec<String>, Vec<String>) = candidates
        .into_iter()
        .partition(|name| name.len() <= budget);
    rest.sort_by_key(String::len);
    fits.extend(
        rest.into_iter()
            .filter(|name| name.len() < segments.concat().len()),
    );
    let mut seen = BTreeSet::new();
    fits.retain(|name| seen.insert(name.clone()));
    fits
}

/// An array's item named after its property (`Attributes`, `Item` → `AttributesItem`), so that
/// shortening keeps them together: a name cannot end in a bare `Item`.
fn with_last_item_joined(mut segments: Vec<String>) -> Vec<String> {
    if segments.len() > 2 && segments.last().is_some_and(|last| last == "Item") {
        segments.pop();
        if let Some(property) = segments.last_mut() {
            property.push_str("Item");
        }
    }
    segments
}

/// Each segment but the first (the owner) without the words it starts with that the segments
/// before it contain; an inner segment keeps at least its last word, the last segment (the
/// property, which says what the type is) its last two.
fn without_repeated_leading_words(segments: &[String]) -> Vec<String> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut result = Vec::with_capacity(segments.len());
    for (i, segment) in segments.iter().enumerate() {
        let words = camel_words(segment);
        // The property keeps two words, so that `SlaDefinition` stays, while a variant named
        // after its union (`RedactConversationPartRequest`) loses what its union says.
        let keep = if i == segments.len() - 1 { 2 } else { 1 };
        let repeated = if i == 0 {
            0
        } else {
            words
                .iter()
                .take(words.len().saturating_sub(keep))
                .take_while(|word| seen.contains(*word))
                .count()
        };
        result.push(words[repeated..].concat());
        seen.extend(words);
    }
    result
}

/// An UpperCamelCase name's words (`ShowContactById` → `Show`, `Contact`, `By`, `Id`).
pub fn camel_words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for c in name.chars() {
        match words.last_mut() {
            Some(word) if !c.is_ascii_uppercase() => word.push(c),
            _ => words.push(c.to_string()),
        }
    }
    words
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
        // `foo_bar_2` for snake_case names, `Contact2` for types, and `type_2` (not `type__2`,
        // which rustc's `non_snake_case` lint rejects) for an escaped keyword.
        let separator = if wanted.ends_with('_') {
            ""
        } else if wanted.contains('_') || wanted.starts_with(|c: char| c.is_lowercase()) {
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

/// Cargo features of the generated crate that a resource's feature must not take: the crate's
/// own (TLS, `tracing`, `test-util`), the shipped version modules' and the features every
/// generated crate has for its resources.
const RESERVED_FEATURES: &[&str] = &[
    "default",
    "all-resources",
    "webhooks",
    "other-schemas",
    "untagged",
    "v2_14",
    "unstable",
    "preview",
    "api",
    "rustls-webpki-roots",
    "rustls-platform-roots",
    "native-tls",
    "jiff",
    "tracing",
    "test-util",
    "_rustls",
];

/// The cargo feature of an operation tag (a resource): its words in lowercase ASCII joined by
/// `-`, `Data Connectors` becomes `data-connectors`. A tag whose name is one of the crate's other features gets a
/// `-resource` suffix; a tag without a letter or digit is `resource`.
pub fn feature_name(tag: &str) -> String {
    // Words as written, lowercased: `WhatsApp` is `whatsapp`, `AI Content` is `ai-content`.
    let kebab = ascii(tag)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-");
    if kebab.is_empty() {
        return "resource".to_owned();
    }
    if RESERVED_FEATURES.contains(&kebab.as_str()) {
        format!("{kebab}-resource")
    } else {
        kebab
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

    fn strings(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|p| (*p).to_owned()).collect()
    }

    #[test]
    fn short_names_stay() {
        assert!(shortened_names(&strings(&["Contact", "Location"]), 40).is_empty());
    }

    #[test]
    fn long_names_lose_items_repeats_and_the_middle() {
        let path = strings(&[
            "DataConnectorDetail",
            "ObjectMappings",
            "Item",
            "ReferenceMappings",
            "Item",
            "IntercomObjectType",
        ]);
        assert_eq!(
            shortened_names(&path, 40),
            [
                "DataConnectorDetailIntercomObjectType",
                "DataConnectorDetailReferenceMappingsIntercomObjectType",
                "DataConnectorDetailObjectMappingsReferenceMappingsIntercomObjectType",
            ]
        );
        let variant = strings(&[
            "RedactConversationRequest",
            "RedactConversationSourceRequest",
            "Type",
        ]);
        assert_eq!(
            shortened_names(&variant, 40),
            ["RedactConversationRequestSourceRequestType"]
        );
    }

    #[test]
    fn collisions_get_counters() {
        let mut scope = NameScope::default();
        assert_eq!(scope.claim("Contact"), "Contact");
        assert_eq!(scope.claim("Contact"), "Contact2");
        let mut fields = NameScope::default();
        assert_eq!(fields.claim("foo_bar"), "foo_bar");
        assert_eq!(fields.claim("foo_bar"), "foo_bar_2");
        assert_eq!(fields.claim("type_"), "type_");
        assert_eq!(fields.claim("type_"), "type_2");
    }

    #[test]
    fn odd_spellings_become_readable_identifiers() {
        assert_eq!(variant_name("+1"), "Plus1");
        assert_eq!(variant_name("-1"), "Minus1");
        assert_eq!(variant_name("-1.5"), "Minus1_5");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("-"), "Minus");
        assert_eq!(variant_name("self"), "SelfValue");
        assert_eq!(variant_name("①"), "V1");
        assert_eq!(field_name("x²"), "x2");
        assert_eq!(field_name("prénom"), "prenom");
        assert_eq!(field_name("名前"), "ming_qian");
        assert_eq!(field_name(""), "field");
        assert_eq!(field_name("_"), "field");
        assert_eq!(field_name("٣"), "n3");
        assert_eq!(field_name("\u{1F600}"), "grinning");
        assert_eq!(type_name("Serialize"), "SerializeSchema");
        assert_eq!(type_name("from"), "FromSchema");
        assert_eq!(type_name("½"), "T12");
        assert_eq!(type_name("\u{E000}"), "Unnamed");
    }

    #[test]
    fn repair_keeps_valid_names_and_fixes_the_rest() {
        assert_eq!(repair("Contact"), "Contact");
        assert_eq!(repair("type"), "type_");
        assert_eq!(repair("1x"), "_1x");
        assert_eq!(repair(""), "__");
        assert_eq!(repair("a-b"), "a_b");
    }

    fn assert_identifier(name: &str, from: &str) {
        assert!(
            is_identifier(name),
            "{name:?} (from {from:?}) is not an identifier"
        );
        assert!(
            syn::parse_str::<syn::Ident>(name).is_ok(),
            "{name:?} (from {from:?}) does not parse as an identifier"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        #[test]
        fn every_string_becomes_an_identifier(raw in "\\PC{0,12}|[-+._ $0-9a-zA-Z]{0,6}") {
            assert_identifier(&type_name(&raw), &raw);
            assert_identifier(&field_name(&raw), &raw);
            assert_identifier(&variant_name(&raw), &raw);
            assert_identifier(&repair(&raw), &raw);
            proptest::prop_assert!(!RESERVED_TYPE_NAMES.contains(&type_name(&raw).as_str()));
        }

        #[test]
        fn claimed_names_stay_identifiers_and_unique(raws in proptest::collection::vec("\\PC{0,6}", 1..8)) {
            let mut scope = NameScope::with_reserved(BUILDER_MEMBERS.iter().copied());
            let mut seen = BTreeSet::new();
            for raw in &raws {
                let name = scope.claim(&field_name(raw));
                assert_identifier(&name, raw);
                proptest::prop_assert!(!BUILDER_MEMBERS.contains(&name.as_str()));
                proptest::prop_assert!(seen.insert(name));
            }
        }
    }
}
