//! Findings about a description, each located by a JSON pointer.
//!
//! The same type serves two purposes: an *error* (lowering cannot go on) and a *warning* (the
//! description is wrong somewhere and the generator degraded that place, e.g. a dangling `$ref`
//! became an any-JSON type). Warnings travel with the IR so that the generated crate can list
//! them in its docs.

use std::fmt;

/// Something about the spec, and where it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Diagnostic {
    /// JSON pointer into the description, e.g. `#/components/schemas/contact/properties/id`.
    pub pointer: String,
    pub message: String,
}

impl Diagnostic {
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

/// RFC 6901 escaping of one pointer segment.
pub fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// A JSON pointer (`#/a/b~1c`) from its unescaped segments.
pub fn pointer_from<S: AsRef<str>>(segments: &[S]) -> String {
    let mut pointer = String::from("#");
    for segment in segments {
        pointer.push('/');
        pointer.push_str(&escape_pointer(segment.as_ref()));
    }
    pointer
}
