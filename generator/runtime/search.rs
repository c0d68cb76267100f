//! Search queries that read like the query: filters joined by `AND`/`OR`.
//!
//! The search endpoints (`search_contacts`, `search_conversations`, `search_tickets`, ...) take a
//! body whose `query` is either one filter (`field`, `operator`, `value`) or an `AND`/`OR` of
//! nested queries. Their request types implement `From<Query>`, so a query becomes the body with
//! `.into()`:
//!
//! ```
//! use intercom_api::search::{Filter, Query};
//!
//! let query = Query::and([
//!     Filter::eq("email", "a@b.c"),
//!     Filter::gt("created_at", 1_700_000_000),
//! ]);
//! assert_eq!(
//!     query.to_json(),
//!     serde_json::json!({"operator": "AND", "value": [
//!         {"field": "email", "operator": "=", "value": "a@b.c"},
//!         {"field": "created_at", "operator": ">", "value": 1_700_000_000},
//!     ]}),
//! );
//! ```

use serde::{Serialize, Serializer};
use serde_json::{json, Value};

/// One condition on one field: `{"field": .., "operator": .., "value": ..}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    field: String,
    operator: String,
    value: Value,
}

impl Filter {
    /// A filter with any operator Intercom accepts (`=`, `!=`, `IN`, `NIN`, `<`, `>`, `<=`,
    /// `>=`, `~`, `!~`, `^`, `$`).
    pub fn new(
        field: impl Into<String>,
        operator: impl Into<String>,
        value: impl Into<Value>,
    ) -> Self {
        Self {
            field: field.into(),
            operator: operator.into(),
            value: value.into(),
        }
    }

    /// `field = value`.
    pub fn eq(field: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::new(field, "=", value)
    }

    /// `field != value`.
    pub fn ne(field: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::new(field, "!=", value)
    }

    /// `field > value`.
    pub fn gt(field: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::new(field, ">", value)
    }

    /// `field >= value`.
    pub fn ge(field: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::new(field, ">=", value)
    }

    /// `field < value`.
    pub fn lt(field: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::new(field, "<", value)
    }

    /// `field <= value`.
    pub fn le(field: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::new(field, "<=", value)
    }

    /// `field` is one of `values` (`IN`).
    pub fn is_in<V: Into<Value>>(
        field: impl Into<String>,
        values: impl IntoIterator<Item = V>,
    ) -> Self {
        Self::new(
            field,
            "IN",
            values.into_iter().map(Into::into).collect::<Vec<Value>>(),
        )
    }

    /// `field` is none of `values` (`NIN`).
    pub fn not_in<V: Into<Value>>(
        field: impl Into<String>,
        values: impl IntoIterator<Item = V>,
    ) -> Self {
        Self::new(
            field,
            "NIN",
            values.into_iter().map(Into::into).collect::<Vec<Value>>(),
        )
    }

    /// `field` contains `value` (`~`).
    pub fn contains(field: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::new(field, "~", value)
    }

    /// `field` does not contain `value` (`!~`).
    pub fn not_contains(field: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::new(field, "!~", value)
    }

    /// `field` starts with `value` (`^`).
    pub fn starts_with(field: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::new(field, "^", value)
    }

    /// `field` ends with `value` (`$`).
    pub fn ends_with(field: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::new(field, "$", value)
    }
}

/// A search query: one filter, or an `AND`/`OR` of queries.
#[derive(Debug, Clone, PartialEq)]
pub enum Query {
    Filter(Filter),
    And(Vec<Query>),
    Or(Vec<Query>),
}

impl Query {
    /// Every query must hold.
    pub fn and<Q: Into<Query>>(queries: impl IntoIterator<Item = Q>) -> Self {
        Self::And(queries.into_iter().map(Into::into).collect())
    }

    /// At least one query must hold.
    pub fn or<Q: Into<Query>>(queries: impl IntoIterator<Item = Q>) -> Self {
        Self::Or(queries.into_iter().map(Into::into).collect())
    }

    /// The query as Intercom's JSON.
    pub fn to_json(&self) -> Value {
        match self {
            Self::Filter(filter) => json!({
                "field": filter.field,
                "operator": filter.operator,
                "value": filter.value,
            }),
            Self::And(queries) => json!({
                "operator": "AND",
                "value": queries.iter().map(Self::to_json).collect::<Vec<_>>(),
            }),
            Self::Or(queries) => json!({
                "operator": "OR",
                "value": queries.iter().map(Self::to_json).collect::<Vec<_>>(),
            }),
        }
    }
}

impl From<Filter> for Query {
    fn from(filter: Filter) -> Self {
        Self::Filter(filter)
    }
}

impl Serialize for Query {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

impl Serialize for Filter {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Query::Filter(self.clone()).to_json().serialize(serializer)
    }
}
