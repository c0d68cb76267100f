//! Detects paginated operations from the shapes of their parameters and responses, so a new
//! paginated endpoint gets a stream without anyone keeping a list of operation names.

use super::type_index::TypeIndex;
use crate::ir::{
    Field, FieldPath, FieldStep, HttpMethod, Operation, Pagination, PaginationStyle, Param,
    ParamLocation, Struct, SuccessResponse, TypeRef,
};
use crate::names::{NameScope, BUILDER_MEMBERS};

/// Fills `operation.pagination` when its shapes match one of Intercom's pagination styles.
pub fn detect(operation: &mut Operation, types: &TypeIndex<'_>) {
    let SuccessResponse::Json(response_type) = &operation.response else {
        return;
    };
    let Some(response) = types.structure(response_type) else {
        return;
    };
    let Some((items, item_type)) = items_field(response, types) else {
        return;
    };
    let pages = field(response, "pages");
    let next_cursor = pages.and_then(|pages| {
        let pages_struct = types.structure(&pages.ty)?;
        let next = field(pages_struct, "next")?;
        let cursor = field(types.structure(&next.ty)?, "starting_after")?;
        (cursor.ty == TypeRef::String).then(|| vec![step(pages), step(next), step(cursor)])
    });
    let total_pages = pages.and_then(|pages| {
        let total = field(types.structure(&pages.ty)?, "total_pages")?;
        (total.ty == TypeRef::Integer).then(|| vec![step(pages), step(total)])
    });
    // The stream sets the cursor or page parameter from the previous page: both must have the
    // type the emitted stream passes (a `String` cursor, an `i64` page number).
    let query_param = |wire: &str, ty: TypeRef| {
        operation
            .params
            .iter()
            .find(|p| p.wire_name == wire && p.location == ParamLocation::Query)
            .map(|p| (p.ty == ty).then(|| p.name.clone()))
    };
    let scroll = field(response, "scroll_param").filter(|f| f.ty == TypeRef::String);
    let style = if let (Some(Some(param)), Some(scroll)) =
        (query_param("scroll_param", TypeRef::String), scroll)
    {
        Some(PaginationStyle::Scroll {
            param,
            next: vec![step(scroll)],
        })
    } else if let (Some(Some(param)), Some(total_pages)) =
        (query_param("page", TypeRef::Integer), total_pages)
    {
        Some(PaginationStyle::PageNumber { param, total_pages })
    } else if let (HttpMethod::Post, Some(next)) = (operation.method, next_cursor.clone()) {
        body_cursor(operation, types).map(|cursor| PaginationStyle::BodyCursor { cursor, next })
    } else if let (HttpMethod::Get, Some(next)) = (operation.method, next_cursor) {
        let style = match query_param("starting_after", TypeRef::String) {
            Some(Some(param)) => Some(PaginationStyle::QueryCursor { param, next }),
            Some(None) => None,
            None => Some(PaginationStyle::QueryCursor {
                param: add_query_param(operation, CURSOR_PARAM),
                next,
            }),
        };
        let pages_declare_size = pages
            .and_then(|pages| types.structure(&pages.ty))
            .and_then(|pages| field(pages, "per_page"))
            .is_some();
        let has_size_param = operation
            .params
            .iter()
            .any(|p| p.wire_name == "per_page" && p.location == ParamLocation::Query);
        if style.is_some() && pages_declare_size && !has_size_param {
            add_query_param(operation, PAGE_SIZE_PARAM);
        }
        style
    } else {
        None
    };
    operation.pagination = style.map(|style| Pagination {
        style,
        items,
        item_type,
    });
}

/// The single array field of a page response holds its items.
fn items_field(response: &Struct, types: &TypeIndex<'_>) -> Option<(FieldPath, TypeRef)> {
    let mut arrays = response
        .fields
        .iter()
        .filter_map(|f| types.array_item(&f.ty).map(|item| (f, item)));
    let (found, item) = arrays.next()?;
    if arrays.next().is_some() {
        return None;
    }
    Some((vec![step(found)], item))
}

/// Search bodies carry the cursor in `pagination.starting_after`; setting it needs the
/// pagination object to be constructible with `Default` when absent.
fn body_cursor(operation: &Operation, types: &TypeIndex<'_>) -> Option<FieldPath> {
    let body = operation.body.as_ref().filter(|b| b.required)?;
    let pagination = field(types.structure(&body.ty)?, "pagination")?;
    let cursor = field(types.structure(&pagination.ty)?, "starting_after")?;
    let constructible = !pagination.is_optional() || types.is_defaultable(&pagination.ty);
    (constructible && cursor.ty == TypeRef::String).then(|| vec![step(pagination), step(cursor)])
}

/// A query parameter of Intercom's cursor pagination that a description may leave out.
struct ConventionalParam {
    wire_name: &'static str,
    ty: TypeRef,
    docs: &'static str,
}

/// The page's `next.starting_after` cursor is sent back as the `starting_after` query parameter
/// (Intercom's cursor convention) even where the description forgot to declare it.
const CURSOR_PARAM: ConventionalParam = ConventionalParam {
    wire_name: "starting_after",
    ty: TypeRef::String,
    docs: "The cursor of the page to fetch: `pages.next.starting_after` of the previous page.",
};

/// Cursor-paginated lists take the page size as `per_page` (the pagination guide the
/// descriptions link to; `GET /conversations` declares it, `GET /contacts` only mentions it),
/// added where the page reports `pages.per_page` but the description declares no parameter.
const PAGE_SIZE_PARAM: ConventionalParam = ConventionalParam {
    wire_name: "per_page",
    ty: TypeRef::Integer,
    docs: "How many items each page holds (the page's `pages.per_page`); the API's default \
           when unset.",
};

/// Adds an optional query parameter the description left out; returns its Rust name.
fn add_query_param(operation: &mut Operation, param: ConventionalParam) -> String {
    let mut names = NameScope::with_reserved(
        operation
            .params
            .iter()
            .map(|p| p.name.as_str())
            .chain(BUILDER_MEMBERS.iter().copied()),
    );
    let name = names.claim(param.wire_name);
    operation.params.push(Param {
        name: name.clone(),
        wire_name: param.wire_name.to_owned(),
        location: ParamLocation::Query,
        ty: param.ty,
        required: false,
        docs: Some(param.docs.to_owned()),
        serialization: crate::ir::ParamSerialization::Display,
    });
    name
}

fn field<'s>(object: &'s Struct, wire: &str) -> Option<&'s Field> {
    object
        .fields
        .iter()
        .find(|f| f.wire_name == wire && !f.flatten)
}

fn step(field: &Field) -> FieldStep {
    FieldStep {
        name: field.name.clone(),
        optional: field.is_optional(),
        boxed: matches!(field.ty, TypeRef::Boxed(_)),
    }
}
