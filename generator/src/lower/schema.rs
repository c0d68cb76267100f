//! Lowering of JSON schemas (components and inline schemas) into IR types.

use super::view::{Extra, Node, View};
use super::Diagnostic;
use crate::docs::rustdoc;
use crate::ir::{
    Discriminator, Enum, EnumRepr, EnumValue, EnumVariant, ExtraProperties, Field, Struct, TypeDef,
    TypeKind, TypeRef, Union, UnionVariant,
};
use crate::names::{
    field_name, shortened_names, type_name, variant_name, NameScope, RESERVED_TYPE_NAMES,
    TYPE_NAME_BUDGET,
};
use heck::ToUpperCamelCase;
use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// The last variant of every untagged union.
const FALLBACK_VARIANT: &str = "Other";

/// An array item or map value that may be null is an `Option` inside the collection.
fn nullable_inside(lowered: Lowered) -> TypeRef {
    if lowered.nullable && lowered.ty != TypeRef::Json {
        TypeRef::Nullable(Box::new(lowered.ty))
    } else {
        lowered.ty
    }
}

/// A type at a use site: what to write, and whether `null` is allowed there.
#[derive(Debug, Clone)]
pub struct Lowered {
    pub ty: TypeRef,
    pub nullable: bool,
}

/// What one allOf member adds to the merged type.
enum MemberPart {
    Object(Struct),
    Union(TypeRef),
    Other(TypeRef),
}

/// A flattened field holding a union's variant-specific properties.
fn variant_field(name: String, union: TypeRef) -> Field {
    Field {
        name,
        wire_name: String::new(),
        ty: union,
        required: true,
        nullable: false,
        flatten: true,
        base: false,
        integer_on_wire: false,
        docs: Some("The variant-specific properties.".to_owned()),
        default: None,
        deprecated: false,
    }
}

/// What a schema becomes: a type of its own, or a reference to an existing/primitive type.
enum Shape {
    Named(TypeKind),
    Existing(Lowered),
}

/// Lowers schemas, collecting the named types they introduce.
///
/// Types are kept in one slot per component (in spec order) so that inline types appear right
/// after the component that introduced them, whatever order lowering visits them in.
pub struct SchemaLowerer<'a> {
    components: &'a IndexMap<String, ReferenceOr<Schema>>,
    component_names: HashMap<&'a str, String>,
    names: NameScope,
    /// Each hint's positional path (by its type name): its owner's name, then each property,
    /// variant or `Item` segment that led to it (unshortened), for [`shortened_names`].
    paths: HashMap<String, Vec<String>>,
    slots: Vec<Vec<TypeDef>>,
    current_slot: usize,
    done: HashSet<&'a str>,
    in_progress: HashSet<&'a str>,
    /// Places where the description is wrong and lowering degraded the type.
    warnings: Vec<Diagnostic>,
}

impl<'a> SchemaLowerer<'a> {
    pub fn new(components: &'a IndexMap<String, ReferenceOr<Schema>>) -> Self {
        let mut names = NameScope::default();
        let component_names = components
            .keys()
            .map(|raw| (raw.as_str(), names.claim(&type_name(raw))))
            .collect::<HashMap<_, _>>();
        let paths = component_names
            .values()
            .map(|name| (name.clone(), vec![name.clone()]))
            .collect();
        Self {
            components,
            component_names,
            names,
            paths,
            // One slot per component, plus a last one for types introduced by operations.
            slots: vec![Vec::new(); components.len() + 1],
            current_slot: components.len(),
            done: HashSet::new(),
            in_progress: HashSet::new(),
            warnings: Vec::new(),
        }
    }

    /// Lowers every component schema; inline schemas of operations go through `lower_use`.
    pub fn lower_components(&mut self, diagnostics: &mut Vec<Diagnostic>) {
        for raw in self.components.keys() {
            if let Err(diagnostic) = self.ensure_component(raw) {
                diagnostics.push(diagnostic);
            }
        }
    }

    /// The types lowered, in their final order, and the warnings lowering them raised.
    pub fn into_types(self) -> (Vec<TypeDef>, Vec<Diagnostic>) {
        (self.slots.into_iter().flatten().collect(), self.warnings)
    }

    /// Records that the description is wrong at `pointer` and what was made of it.
    pub fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Diagnostic::new(pointer, message));
    }

    pub fn types(&self) -> impl Iterator<Item = &TypeDef> {
        self.slots.iter().flatten()
    }

    fn ensure_component(&mut self, raw: &str) -> Result<(), Diagnostic> {
        let Some((index, raw, node)) = self.components.get_full(raw) else {
            return Err(Diagnostic::new(
                format!("{COMPONENT_PREFIX}{raw}"),
                "schema is referenced but not defined",
            ));
        };
        if self.done.contains(raw.as_str()) || self.in_progress.contains(raw.as_str()) {
            return Ok(());
        }
        let pointer = format!("{COMPONENT_PREFIX}{}", escape_pointer(raw));
        let schema = match node {
            ReferenceOr::Item(schema) => schema,
            ReferenceOr::Reference { reference } => {
                // A component that is only a `$ref` is another name for the referenced type.
                self.in_progress.insert(raw);
                let target = self.lower_ref(reference, &pointer);
                self.in_progress.remove(raw.as_str());
                let kind = TypeKind::Alias(target?.ty);
                let name = self.component_names[raw.as_str()].clone();
                self.slots[index].insert(
                    0,
                    TypeDef {
                        name,
                        origin: pointer,
                        docs: None,
                        kind,
                        resources: Vec::new(),
                    },
                );
                self.done.insert(raw);
                return Ok(());
            }
        };
        self.in_progress.insert(raw);
        let saved_slot = std::mem::replace(&mut self.current_slot, index);
        let name = self.component_names[raw.as_str()].clone();
        let view = View::of(schema);
        let result = self.shape(&view, &name, &pointer);
        self.current_slot = saved_slot;
        self.in_progress.remove(raw.as_str());
        let kind = match result? {
            Shape::Named(kind) => kind,
            Shape::Existing(lowered) => TypeKind::Alias(lowered.ty),
        };
        let def = TypeDef {
            name,
            origin: pointer,
            docs: type_docs(&view),
            kind,
            resources: Vec::new(),
        };
        self.slots[index].insert(0, def);
        self.done.insert(raw);
        Ok(())
    }

    /// Lowers a schema where it is used (a property, an item, a parameter, a body).
    /// `hint` names any type the schema needs; `pointer` locates it in the spec.
    pub fn lower_use(
        &mut self,
        node: Node<'a>,
        hint: &str,
        pointer: &str,
    ) -> Result<Lowered, Diagnostic> {
        match node {
            Node::Ref(reference) => self.lower_ref(reference, pointer),
            Node::Schema(schema) => {
                let view = View::of(schema);
                let position = self.slots[self.current_slot].len();
                // Before the shape: the types inside it are named (and claimed) first, from
                // this hint.
                self.register_path(hint);
                match self.shape(&view, hint, pointer)? {
                    Shape::Existing(lowered) => Ok(lowered),
                    Shape::Named(kind) => {
                        let name = self.claim_inline(hint);
                        let def = TypeDef {
                            name: name.clone(),
                            origin: pointer.to_owned(),
                            docs: type_docs(&view),
                            kind,
                            resources: Vec::new(),
                        };
                        self.slots[self.current_slot].insert(position, def);
                        Ok(Lowered {
                            ty: TypeRef::Named(name),
                            nullable: view.nullable,
                        })
                    }
                }
            }
        }
    }

    /// The name of an inline type comes from its position (parent type + property, variant,
    /// ...). When that name is taken (by a component, or an inline type lowered earlier), the
    /// type is `{name}Inline`: a plain counter would depend on how many similar names the rest
    /// of the spec claimed, so adding an unrelated component (`ticket_type2`) could rename it.
    ///
    /// A positional name longer than [`TYPE_NAME_BUDGET`] takes the first of its shorter forms
    /// that no type has (see [`shortened_names`]), else the positional name as above.
    fn claim_inline(&mut self, hint: &str) -> String {
        let wanted = type_name(hint);
        let path = self.register_path(hint);
        let shorter = shortened_names(&path, TYPE_NAME_BUDGET)
            .into_iter()
            .find(|name| self.is_free_short_name(name));
        match shorter {
            Some(name) => self.names.claim(&name),
            None if self.names.contains(&wanted) => self.names.claim(&format!("{wanted}Inline")),
            None => self.names.claim(&wanted),
        }
    }

    /// Whether a shortened name is free: no type has it, and it is not the positional name of a
    /// type being lowered (an enclosing one, whose name is claimed once its content is).
    fn is_free_short_name(&self, name: &str) -> bool {
        !self.names.contains(name)
            && !self.paths.contains_key(name)
            && !RESERVED_TYPE_NAMES.contains(&name)
    }

    /// The positional path of a hint, recorded so that the hints built from it (`{hint}Item`,
    /// `{hint}{Property}`) extend it.
    fn register_path(&mut self, hint: &str) -> Vec<String> {
        let wanted = type_name(hint);
        if let Some(path) = self.paths.get(&wanted) {
            return path.clone();
        }
        let path = self.positional_path(&wanted);
        self.paths.insert(wanted, path.clone());
        path
    }

    /// The path of a positional name: a hint is `{parent}{segment}`, where the parent is a hint
    /// (or component name) recorded before, the longest such prefix at a word boundary, whose
    /// own path it extends. A name without a known parent (an operation's `{Builder}Response`)
    /// is its own owner.
    fn positional_path(&self, wanted: &str) -> Vec<String> {
        let boundaries = wanted
            .char_indices()
            .filter(|&(i, c)| i > 0 && c.is_ascii_uppercase())
            .map(|(i, _)| i);
        let parent = boundaries
            .rev()
            .find_map(|i| Some((self.paths.get(&wanted[..i])?, &wanted[i..])));
        match parent {
            Some((path, segment)) => {
                let mut path = path.clone();
                path.push(segment.to_owned());
                path
            }
            None => vec![wanted.to_owned()],
        }
    }

    fn lower_ref(&mut self, reference: &str, pointer: &str) -> Result<Lowered, Diagnostic> {
        let raw = component_of(reference, pointer)?;
        let raw = raw.as_str();
        if !self.components.contains_key(raw) {
            return Err(Diagnostic::new(
                pointer,
                format!("`$ref: {reference}` names a schema that is not defined"),
            ));
        }
        self.ensure_component(raw)?;
        let name = self.component_names.get(raw).cloned().ok_or_else(|| {
            Diagnostic::new(
                pointer,
                format!("`$ref: {reference}` names a schema that does not exist"),
            )
        })?;
        Ok(Lowered {
            ty: TypeRef::Named(name),
            nullable: self.component_nullable(raw),
        })
    }

    fn component_view(&self, raw: &str) -> Option<View<'a>> {
        match self.components.get(raw)? {
            ReferenceOr::Item(schema) => Some(View::of(schema)),
            ReferenceOr::Reference { .. } => None,
        }
    }

    /// A component is nullable when it says so, or when it only wraps (allOf) a nullable one.
    fn component_nullable(&self, raw: &str) -> bool {
        let mut seen = HashSet::new();
        let mut current = raw.to_owned();
        while seen.insert(current.clone()) {
            let Some(view) = self.component_view(&current) else {
                return false;
            };
            if view.nullable {
                return true;
            }
            match single_ref_wrapper(&view) {
                Some(next) => match next.strip_prefix(COMPONENT_PREFIX) {
                    Some(next) => current = crate::resolve::unescape_segment(next),
                    None => return false,
                },
                None => return false,
            }
        }
        false
    }

    fn shape(&mut self, view: &View<'a>, name: &str, pointer: &str) -> Result<Shape, Diagnostic> {
        if !view.one_of.is_empty() || !view.any_of.is_empty() {
            return self.composition(view, name, pointer);
        }
        if !view.all_of.is_empty() {
            return self.all_of(view, name, pointer);
        }
        let values = view.enum_values();
        if !values.is_empty() && matches!(view.typ, None | Some("string") | Some("integer")) {
            if let Some(kind) = enum_shape(&values) {
                return Ok(Shape::Named(kind));
            }
            if view.typ == Some("integer") && values.iter().any(|v| !v.is_i64()) {
                self.warn(
                    pointer,
                    "integer enum with values beyond 64-bit integers; the value is read as a number",
                );
                return Ok(Shape::Existing(Lowered {
                    ty: TypeRef::Number,
                    nullable: view.nullable,
                }));
            }
        }
        let existing = |ty| {
            Ok(Shape::Existing(Lowered {
                ty,
                nullable: view.nullable,
            }))
        };
        match view.typ {
            Some("string") => existing(TypeRef::String),
            Some("integer") if matches!(view.format, Some("date-time" | "timestamp")) => {
                existing(TypeRef::Timestamp)
            }
            Some("integer") => existing(TypeRef::Integer),
            Some("number") => existing(TypeRef::Number),
            Some("boolean") => existing(TypeRef::Boolean),
            Some("array") => {
                let item = match view.items {
                    Some(items) => {
                        let item = self.lower_use(
                            items,
                            &format!("{name}Item"),
                            &format!("{pointer}/items"),
                        )?;
                        nullable_inside(item)
                    }
                    None => TypeRef::Json,
                };
                existing(TypeRef::Array(Box::new(item)))
            }
            Some("object") | None if !view.properties.is_empty() => {
                let object = self.object(view, name, pointer)?;
                Ok(Shape::Named(TypeKind::Struct(object)))
            }
            Some("object") => match view.extra {
                Extra::Typed(node) => {
                    let value = self.lower_use(
                        node,
                        &format!("{name}Value"),
                        &format!("{pointer}/additionalProperties"),
                    )?;
                    existing(TypeRef::Map(Box::new(nullable_inside(value))))
                }
                Extra::Unspecified | Extra::Any | Extra::Forbidden => existing(TypeRef::Object),
            },
            // Without `type` (and without properties) a schema accepts any JSON.
            None => existing(TypeRef::Json),
            Some(other) => {
                self.warn(
                    pointer,
                    format!("`type: {other}` is not an OpenAPI 3.0 type; the value is treated as any JSON"),
                );
                existing(TypeRef::Json)
            }
        }
    }

    /// The fields a schema declares itself, with its `additionalProperties`.
    fn object(&mut self, view: &View<'a>, name: &str, pointer: &str) -> Result<Struct, Diagnostic> {
        let fields = self.own_fields(view, name, pointer)?;
        self.object_from(view, fields, name, pointer)
    }

    /// A struct of `fields` (lowered from `view`) with the schema's `additionalProperties`.
    fn object_from(
        &mut self,
        view: &View<'a>,
        fields: Vec<Field>,
        name: &str,
        pointer: &str,
    ) -> Result<Struct, Diagnostic> {
        let extra = match view.extra {
            Extra::Typed(node) => ExtraProperties::Typed(
                self.lower_use(
                    node,
                    &format!("{name}Value"),
                    &format!("{pointer}/additionalProperties"),
                )?
                .ty,
            ),
            _ => ExtraProperties::Keep,
        };
        Ok(Struct {
            fields: dedupe_field_names(fields),
            defaultable: false,
            extra,
            at_least_one_of: Vec::new(),
            search_query: None,
        })
    }

    fn own_fields(
        &mut self,
        view: &View<'a>,
        name: &str,
        pointer: &str,
    ) -> Result<Vec<Field>, Diagnostic> {
        self.own_fields_except(view, name, pointer, &[])
    }

    /// The fields a schema declares, but those named in `skip` (lowered elsewhere).
    fn own_fields_except(
        &mut self,
        view: &View<'a>,
        name: &str,
        pointer: &str,
        skip: &[&str],
    ) -> Result<Vec<Field>, Diagnostic> {
        let mut fields = Vec::with_capacity(view.properties.len());
        for (wire, node) in &view.properties {
            if skip.contains(wire) {
                continue;
            }
            let property_pointer = format!("{pointer}/properties/{}", escape_pointer(wire));
            let hint = format!("{name}{}", wire.to_upper_camel_case());
            let lowered = self.lower_use(*node, &hint, &property_pointer)?;
            let property = match node {
                Node::Schema(schema) => Some(View::of(schema)),
                Node::Ref(_) => None,
            };
            fields.push(Field {
                name: field_name(wire),
                wire_name: (*wire).to_owned(),
                ty: lowered.ty,
                required: view.required.contains(wire),
                nullable: lowered.nullable,
                flatten: false,
                base: false,
                integer_on_wire: false,
                docs: property
                    .as_ref()
                    .and_then(|p| p.description.or(p.title))
                    .and_then(rustdoc),
                default: property.as_ref().and_then(|p| p.default.cloned()),
                deprecated: property.as_ref().is_some_and(|p| p.deprecated),
            });
        }
        Ok(fields)
    }

    /// `allOf`: members that only annotate (a description, `nullable`, a `required` list) are
    /// folded into the result; a single remaining member is that member's type; objects merge
    /// their fields, and union members become flattened fields beside them. Members that cannot
    /// all hold at once (an object and a string) describe no value: any JSON, with a warning.
    fn all_of(&mut self, view: &View<'a>, name: &str, pointer: &str) -> Result<Shape, Diagnostic> {
        self.all_of_with(view, name, pointer, Vec::new())
    }

    /// `allOf` with unions (from a `oneOf` beside it) to flatten into the merged object.
    fn all_of_with(
        &mut self,
        view: &View<'a>,
        name: &str,
        pointer: &str,
        mut unions: Vec<TypeRef>,
    ) -> Result<Shape, Diagnostic> {
        if let (Some(reference), true) = (single_ref_wrapper(view), unions.is_empty()) {
            let lowered = self.lower_ref(reference, &format!("{pointer}/allOf/0"))?;
            return Ok(Shape::Existing(Lowered {
                ty: lowered.ty,
                nullable: lowered.nullable || view.nullable,
            }));
        }
        let mut nullable = view.nullable;
        let mut required: Vec<&'a str> = view.required.clone();
        let mut members = Vec::new();
        for (index, member) in view.all_of.iter().enumerate() {
            if let Node::Schema(schema) = member {
                let member_view = View::of(schema);
                if member_view.is_unconstrained() {
                    nullable |= member_view.nullable;
                    required.extend(member_view.required.iter().copied());
                    continue;
                }
            }
            members.push((index, *member));
        }
        let own_object = !view.properties.is_empty()
            || matches!(view.extra, Extra::Typed(_))
            || !unions.is_empty();
        if members.is_empty() && !own_object {
            return Ok(Shape::Existing(Lowered {
                ty: TypeRef::Json,
                nullable,
            }));
        }
        if let ([(index, only)], false, true) =
            (members.as_slice(), own_object, required.is_empty())
        {
            let lowered = self.lower_use(*only, name, &format!("{pointer}/allOf/{index}"))?;
            return Ok(Shape::Existing(Lowered {
                ty: lowered.ty,
                nullable: lowered.nullable || nullable,
            }));
        }
        let mut merged: Vec<Field> = Vec::new();
        let mut extra = ExtraProperties::Keep;
        let mut others = Vec::new();
        for (index, member) in members {
            let member_pointer = format!("{pointer}/allOf/{index}");
            match self.member_part(member, name, &member_pointer)? {
                MemberPart::Object(member_struct) => {
                    if let ExtraProperties::Typed(ty) = member_struct.extra {
                        extra = ExtraProperties::Typed(ty);
                    }
                    merge_fields(&mut merged, member_struct.fields);
                }
                MemberPart::Union(ty) => unions.push(ty),
                MemberPart::Other(ty) => others.push(ty),
            }
        }
        if !others.is_empty() {
            let all_same = others.windows(2).all(|pair| pair[0] == pair[1]);
            if all_same && merged.is_empty() && unions.is_empty() && !own_object {
                return Ok(Shape::Existing(Lowered {
                    ty: others.swap_remove(0),
                    nullable,
                }));
            }
            self.warn(
                pointer,
                "allOf members that no single value can satisfy (an object and a non-object, or different types); the value is treated as any JSON",
            );
            return Ok(Shape::Existing(Lowered {
                ty: TypeRef::Json,
                nullable,
            }));
        }
        let own = self.object(view, name, pointer)?;
        if let ExtraProperties::Typed(ty) = own.extra {
            extra = ExtraProperties::Typed(ty);
        }
        merge_fields(&mut merged, own.fields);
        for field in &mut merged {
            field.required |= required.contains(&field.wire_name.as_str());
        }
        for (position, union) in unions.into_iter().enumerate() {
            extra = ExtraProperties::Flattened;
            merged.push(variant_field(
                if position == 0 {
                    "variant".to_owned()
                } else {
                    format!("variant_{}", position + 1)
                },
                union,
            ));
        }
        Ok(Shape::Named(TypeKind::Struct(Struct {
            fields: dedupe_field_names(merged),
            defaultable: false,
            extra,
            at_least_one_of: Vec::new(),
            search_query: None,
        })))
    }

    /// What an allOf member contributes: an object's fields, a union to flatten, or another type.
    fn member_part(
        &mut self,
        member: Node<'a>,
        name: &str,
        pointer: &str,
    ) -> Result<MemberPart, Diagnostic> {
        let ty = match member {
            Node::Ref(reference) => self.lower_ref(reference, pointer)?.ty,
            Node::Schema(schema) => {
                let view = View::of(schema);
                match self.shape(&view, name, pointer)? {
                    Shape::Named(TypeKind::Struct(found)) => return Ok(MemberPart::Object(found)),
                    Shape::Named(kind) => {
                        let is_union = matches!(kind, TypeKind::Union(_));
                        let ty = self.add_inline_type(&format!("{name}Part"), pointer, kind);
                        return Ok(if is_union {
                            MemberPart::Union(ty)
                        } else {
                            MemberPart::Other(ty)
                        });
                    }
                    Shape::Existing(lowered) => lowered.ty,
                }
            }
        };
        Ok(match &ty {
            TypeRef::Object => MemberPart::Object(Struct {
                fields: Vec::new(),
                defaultable: false,
                extra: ExtraProperties::Keep,
                at_least_one_of: Vec::new(),
                search_query: None,
            }),
            TypeRef::Named(target) => match self.resolve_alias(target) {
                Some(TypeKind::Struct(found)) => MemberPart::Object(found.clone()),
                Some(TypeKind::Union(_)) => MemberPart::Union(ty),
                _ => MemberPart::Other(ty),
            },
            _ => MemberPart::Other(ty),
        })
    }

    /// Registers an inline type in the current slot and names it.
    fn add_inline_type(&mut self, hint: &str, pointer: &str, kind: TypeKind) -> TypeRef {
        let claimed = self.claim_inline(hint);
        let position = self.slots[self.current_slot].len();
        let def = TypeDef {
            name: claimed.clone(),
            origin: pointer.to_owned(),
            docs: None,
            kind,
            resources: Vec::new(),
        };
        self.slots[self.current_slot].insert(position, def);
        TypeRef::Named(claimed)
    }

    /// The view of a schema or of the component a `$ref` names (following `$ref`-only
    /// components), for callers that read properties directly (multipart forms).
    pub fn node_view(&self, node: Node<'a>) -> Option<View<'a>> {
        let mut current = node;
        for _ in 0..64 {
            match current {
                Node::Schema(schema) => return Some(View::of(schema)),
                Node::Ref(reference) => {
                    let raw = component_of(reference, "").ok()?;
                    current = Node::from(self.components.get(raw.as_str())?);
                }
            }
        }
        None
    }

    /// The one value a schema allows, when it is a string enum of exactly one value.
    pub fn single_string_value(&self, node: Node<'a>) -> Option<String> {
        match string_enum_values(&self.node_view(node)?)?.as_slice() {
            [Value::String(only)] => Some(only.clone()),
            _ => None,
        }
    }

    /// The object schema a body's schema is (through `$ref`s and an allOf of one member).
    pub fn object_view(&self, schema: &'a ReferenceOr<Schema>) -> Option<View<'a>> {
        let view = self.node_view(Node::from(schema))?;
        match view.all_of.as_slice() {
            [only] if view.properties.is_empty() => self.node_view(*only),
            _ => Some(view),
        }
    }

    /// A unique type name for a type that an operation introduces.
    pub fn claim_type_name(&mut self, hint: &str) -> String {
        self.claim_inline(hint)
    }

    /// Adds a type introduced by an operation (after the component types).
    pub fn add_operation_type(&mut self, def: TypeDef) {
        let last = self.slots.len() - 1;
        self.slots[last].push(def);
    }

    /// Whether values of `ty` are written as plain text in a parameter: primitives and enums.
    pub fn is_scalar(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::String
            | TypeRef::Integer
            | TypeRef::Timestamp
            | TypeRef::Number
            | TypeRef::Boolean => true,
            TypeRef::Named(name) => match self.resolve_alias(name) {
                Some(TypeKind::Enum(_)) => true,
                Some(TypeKind::Alias(target)) => self.is_scalar(target),
                _ => false,
            },
            _ => false,
        }
    }

    fn resolve_alias(&self, name: &str) -> Option<&TypeKind> {
        let mut current = name;
        for _ in 0..32 {
            let def = self.types().find(|def| def.name == current)?;
            match &def.kind {
                TypeKind::Alias(TypeRef::Named(next)) => current = next,
                kind => return Some(kind),
            }
        }
        None
    }

    /// `oneOf` / `anyOf` without a discriminator.
    fn composition(
        &mut self,
        view: &View<'a>,
        name: &str,
        pointer: &str,
    ) -> Result<Shape, Diagnostic> {
        let (keyword, members) = if view.one_of.is_empty() {
            ("anyOf", &view.any_of)
        } else {
            ("oneOf", &view.one_of)
        };
        if !view.all_of.is_empty() {
            // `allOf` beside `oneOf`/`anyOf`: the merged object plus the union, flattened.
            let union_hint = format!("{name}Variant");
            let union = match self.shape(&View::of_composition(view), &union_hint, pointer)? {
                Shape::Named(kind) => self.add_inline_type(&union_hint, pointer, kind),
                Shape::Existing(lowered) => lowered.ty,
            };
            let mut base = view.clone();
            base.one_of.clear();
            base.any_of.clear();
            return self.all_of_with(&base, name, pointer, vec![union]);
        }
        // With both `oneOf` and `anyOf`, the `oneOf` alternatives decide the type; the `anyOf`
        // constraint is not checked.
        let member_views: Vec<Option<View<'a>>> = members
            .iter()
            .map(|m| match m {
                Node::Schema(s) => Some(View::of(s)),
                Node::Ref(_) => None,
            })
            .collect();
        let all_constraints = member_views
            .iter()
            .all(|v| v.as_ref().is_some_and(is_constraint_member));
        if !view.properties.is_empty() && all_constraints {
            return self
                .constrained_object(view, &member_views, name, pointer)
                .map(Shape::Named);
        }
        if !view.properties.is_empty() {
            return self
                .object_with_variant(view, name, pointer)
                .map(Shape::Named);
        }
        if members.len() == 1 {
            let only = self.lower_use(members[0], name, &format!("{pointer}/{keyword}/0"))?;
            return Ok(Shape::Existing(Lowered {
                ty: only.ty,
                nullable: only.nullable || view.nullable,
            }));
        }
        if let Some(values) = self.enum_union_values(members) {
            let values: Vec<&Value> = values.iter().collect();
            if let Some(kind) = enum_shape(&values) {
                return Ok(Shape::Named(kind));
            }
        }
        let mut labels = NameScope::with_reserved([FALLBACK_VARIANT]);
        let mut variants = Vec::with_capacity(members.len());
        for (index, (member, member_view)) in members.iter().zip(&member_views).enumerate() {
            let label = labels.claim(&self.variant_label(*member, member_view.as_ref()));
            let lowered = self.lower_use(
                *member,
                &format!("{name}{label}"),
                &format!("{pointer}/{keyword}/{index}"),
            )?;
            let docs = member_view
                .as_ref()
                .and_then(|v| v.description)
                .and_then(rustdoc);
            variants.push(UnionVariant {
                name: label,
                ty: lowered.ty,
                docs,
                shape: Default::default(),
            });
        }
        let discriminator = view
            .discriminator
            .and_then(|declared| declared_discriminator(declared, members));
        variants.push(UnionVariant {
            name: FALLBACK_VARIANT.to_owned(),
            ty: TypeRef::Json,
            docs: Some("JSON that fits none of the variants above, kept as sent.".to_owned()),
            shape: Default::default(),
        });
        Ok(Shape::Named(TypeKind::Union(Union {
            variants,
            discriminator,
            default_variant: None,
        })))
    }

    /// Properties plus members that only add `required` lists (and maybe properties): one struct,
    /// with the member requirements kept as documented "at least one of" groups.
    fn constrained_object(
        &mut self,
        view: &View<'a>,
        members: &[Option<View<'a>>],
        name: &str,
        pointer: &str,
    ) -> Result<TypeKind, Diagnostic> {
        let declarations: Vec<&View<'a>> = std::iter::once(view)
            .chain(members.iter().flatten())
            .collect();
        let merged = merged_enum_properties(&declarations);
        let skip: Vec<&str> = merged.iter().map(|(wire, _)| *wire).collect();
        let own = self.own_fields_except(view, name, pointer, &skip)?;
        let mut object = self.object_from(view, own, name, pointer)?;
        let mut fields = object.fields;
        for (wire, values) in &merged {
            fields.push(self.merged_enum_field(wire, values, &declarations, name, pointer));
        }
        for member in members.iter().flatten() {
            let added = self.own_fields_except(member, name, pointer, &skip)?;
            for mut field in added {
                if !fields.iter().any(|f| f.wire_name == field.wire_name) {
                    field.required = view.required.contains(&field.wire_name.as_str());
                    fields.push(field);
                }
            }
            if !member.required.is_empty() {
                object
                    .at_least_one_of
                    .push(member.required.iter().map(|r| (*r).to_owned()).collect());
            }
        }
        for field in &mut fields {
            field.required |= view.required.contains(&field.wire_name.as_str());
        }
        object.fields = dedupe_field_names(fields);
        Ok(TypeKind::Struct(object))
    }

    /// A property that the parent and its constraint members each declare as a string enum
    /// (`data_type: [options]` in one member, `[string, integer, ...]` in another): one enum of
    /// every value, documented by the first declaration that has a description.
    fn merged_enum_field(
        &mut self,
        wire: &str,
        values: &[Value],
        declarations: &[&View<'a>],
        name: &str,
        pointer: &str,
    ) -> Field {
        let property_pointer = format!("{pointer}/properties/{}", escape_pointer(wire));
        let hint = format!("{name}{}", wire.to_upper_camel_case());
        let values: Vec<&Value> = values.iter().collect();
        let ty = match enum_shape(&values) {
            Some(kind) => self.add_inline_type(&hint, &property_pointer, kind),
            None => TypeRef::String,
        };
        let property = declarations
            .iter()
            .filter_map(|view| property_view(view, wire))
            .find(|view| view.description.is_some());
        Field {
            name: field_name(wire),
            wire_name: wire.to_owned(),
            ty,
            required: declarations[0].required.contains(&wire),
            nullable: false,
            flatten: false,
            base: false,
            integer_on_wire: false,
            docs: property
                .as_ref()
                .and_then(|p| p.description)
                .and_then(rustdoc),
            default: None,
            deprecated: false,
        }
    }

    /// The strings allowed by a oneOf/anyOf whose members are all string enums (inline or
    /// `$ref`): the value is one of them, so one enum of all the values, in member order.
    fn enum_union_values(&self, members: &[Node<'a>]) -> Option<Vec<Value>> {
        let mut values = Vec::new();
        for member in members {
            values.extend(string_enum_values(&self.node_view(*member)?)?);
        }
        Some(values)
    }

    /// Properties beside a real union: the properties plus a flattened field holding the union.
    fn object_with_variant(
        &mut self,
        view: &View<'a>,
        name: &str,
        pointer: &str,
    ) -> Result<TypeKind, Diagnostic> {
        let object = self.object(view, name, pointer)?;
        let union_view = View::of_composition(view);
        let union_name = format!("{name}Variant");
        let union = match self.shape(&union_view, &union_name, pointer)? {
            Shape::Named(kind) => self.add_inline_type(&union_name, pointer, kind),
            Shape::Existing(lowered) => lowered.ty,
        };
        let mut fields = object.fields;
        fields.push(variant_field("variant".to_owned(), union));
        Ok(TypeKind::Struct(Struct {
            fields: dedupe_field_names(fields),
            defaultable: false,
            extra: ExtraProperties::Flattened,
            at_least_one_of: Vec::new(),
            search_query: None,
        }))
    }

    /// A readable variant name: the referenced type, the member's title, or its shape.
    fn variant_label(&self, member: Node<'a>, view: Option<&View<'a>>) -> String {
        match (member, view) {
            (Node::Ref(reference), _) => reference
                .strip_prefix(COMPONENT_PREFIX)
                .map(crate::resolve::unescape_segment)
                .and_then(|raw| self.component_names.get(raw.as_str()).cloned())
                .unwrap_or_else(|| "Ref".to_owned()),
            (_, Some(view)) => match view.title {
                Some(title) => variant_name(title),
                None => shape_label(view),
            },
            (Node::Schema(_), None) => "Value".to_owned(),
        }
    }
}

impl<'a> View<'a> {
    /// The same schema without its own object properties: just the oneOf/anyOf part.
    fn of_composition(view: &View<'a>) -> View<'a> {
        View {
            typ: None,
            nullable: view.nullable,
            title: None,
            description: None,
            default: None,
            deprecated: false,
            enumeration: Vec::new(),
            properties: Vec::new(),
            required: Vec::new(),
            extra: Extra::Unspecified,
            items: None,
            one_of: view.one_of.clone(),
            any_of: view.any_of.clone(),
            all_of: Vec::new(),
            has_not: false,
            format: None,
            discriminator: view.discriminator,
        }
    }
}

fn shape_label(view: &View<'_>) -> String {
    if !view.required.is_empty() {
        return view
            .required
            .iter()
            .map(|r| r.to_upper_camel_case())
            .collect();
    }
    match view.typ {
        Some("array") => match view.items {
            Some(Node::Schema(items)) => format!("{}List", shape_label(&View::of(items))),
            _ => "List".to_owned(),
        },
        Some(other) => other.to_upper_camel_case(),
        None if !view.properties.is_empty() => "Object".to_owned(),
        None => "Value".to_owned(),
    }
}

/// The values of a declared `discriminator` for each member: those its `mapping` lists for the
/// member's `$ref`, else (OpenAPI's implicit mapping) the referenced schema's name. `None` when a
/// member is inline, since no value can then select it: the union stays untagged.
fn declared_discriminator(
    declared: &openapiv3::Discriminator,
    members: &[Node<'_>],
) -> Option<Discriminator> {
    let mut values = Vec::new();
    for (index, member) in members.iter().enumerate() {
        let Node::Ref(reference) = member else {
            return None;
        };
        let component = reference.strip_prefix(COMPONENT_PREFIX)?;
        let component = crate::resolve::unescape_segment(component);
        let mapped: Vec<&String> = declared
            .mapping
            .iter()
            .filter(|(_, target)| target.as_str() == *reference || target.as_str() == component)
            .map(|(value, _)| value)
            .collect();
        if mapped.is_empty() {
            values.push((index, component));
        } else {
            values.extend(mapped.into_iter().map(|value| (index, value.clone())));
        }
    }
    Some(Discriminator {
        wire_name: declared.property_name.clone(),
        values,
    })
}

/// The values of a schema that is a string enum and nothing more (not nullable, no other
/// structure): what a oneOf of such schemas, or several declarations of one property, merge.
fn string_enum_values(view: &View<'_>) -> Option<Vec<Value>> {
    let values = view.enum_values();
    let plain = matches!(view.typ, None | Some("string"))
        && !view.nullable
        && view.properties.is_empty()
        && view.one_of.is_empty()
        && view.any_of.is_empty()
        && view.all_of.is_empty();
    (plain && !values.is_empty() && values.iter().all(|v| v.is_string()))
        .then(|| values.into_iter().cloned().collect())
}

/// The inline schema of a property (`None` for a `$ref` or an undeclared property).
fn property_view<'a>(view: &View<'a>, wire: &str) -> Option<View<'a>> {
    view.properties
        .iter()
        .find(|(name, _)| *name == wire)
        .and_then(|(_, node)| match node {
            Node::Schema(schema) => Some(View::of(schema)),
            Node::Ref(_) => None,
        })
}

/// Properties declared more than once among `declarations` (a parent and its constraint
/// members), each time as an inline string enum: the values of all declarations, in order.
/// A property declared once, or once as anything else, is lowered as usual.
fn merged_enum_properties<'a>(declarations: &[&View<'a>]) -> Vec<(&'a str, Vec<Value>)> {
    let mut merged: Vec<(&'a str, Vec<Value>)> = Vec::new();
    let mut seen: Vec<&'a str> = Vec::new();
    for view in declarations {
        for (wire, _) in &view.properties {
            if seen.contains(wire) {
                continue;
            }
            seen.push(wire);
            let declared: Vec<Option<Vec<Value>>> = declarations
                .iter()
                .filter(|other| other.properties.iter().any(|(name, _)| name == wire))
                .map(|other| property_view(other, wire).and_then(|p| string_enum_values(&p)))
                .collect();
            if declared.len() > 1 && declared.iter().all(Option::is_some) {
                merged.push((wire, declared.into_iter().flatten().flatten().collect()));
            }
        }
    }
    merged
}

/// A oneOf/anyOf member that only restates which of the parent's properties are required.
fn is_constraint_member(view: &View<'_>) -> bool {
    matches!(view.typ, None | Some("object"))
        && !view.has_not
        && view.one_of.is_empty()
        && view.any_of.is_empty()
        && view.all_of.is_empty()
        && view.items.is_none()
        && view.enumeration.is_empty()
}

/// `allOf: [$ref]`, possibly beside members that only annotate (a description, a title).
fn single_ref_wrapper<'a>(view: &View<'a>) -> Option<&'a str> {
    if !view.properties.is_empty() || !view.required.is_empty() {
        return None;
    }
    let mut references = view.all_of.iter().filter_map(|member| match member {
        Node::Ref(reference) => Some(*reference),
        Node::Schema(_) => None,
    });
    let reference = references.next()?;
    let others_annotate = view.all_of.iter().all(|member| match member {
        Node::Ref(_) => true,
        Node::Schema(schema) => View::of(schema).is_unconstrained(),
    });
    (references.next().is_none() && others_annotate).then_some(reference)
}

/// An enum of strings and/or 64-bit integers; `None` for other values (numbers, booleans,
/// objects), whose schema is then lowered as its plain type.
fn enum_shape(values: &[&Value]) -> Option<TypeKind> {
    let strings = values.iter().all(|v| v.is_string());
    let integers = values.iter().all(|v| v.is_i64());
    let repr = match (strings, integers) {
        (true, _) => EnumRepr::String,
        (_, true) => EnumRepr::Integer,
        _ if values.iter().all(|v| v.is_string() || v.is_i64()) => EnumRepr::Mixed,
        _ => return None,
    };
    let mut scope = NameScope::with_reserved(["Unknown"]);
    let mut variants = Vec::with_capacity(values.len());
    let mut seen = HashSet::new();
    for value in values {
        if !seen.insert(value.to_string()) {
            continue;
        }
        let (label, value) = match value {
            Value::String(s) => (variant_name(s), EnumValue::String(s.clone())),
            other => {
                let number = other.as_i64().unwrap_or_default();
                let label = if number < 0 {
                    format!("Minus{}", number.unsigned_abs())
                } else {
                    format!("V{number}")
                };
                (label, EnumValue::Integer(number))
            }
        };
        variants.push(EnumVariant {
            name: scope.claim(&label),
            value,
        });
    }
    // One allowed string is a tag the type writes itself (`Enum::set_by_type`).
    let set_by_type = repr == EnumRepr::String && variants.len() == 1;
    Some(TypeKind::Enum(Enum {
        repr,
        variants,
        set_by_type,
    }))
}

/// Later declarations of a property replace earlier ones in place (allOf overrides).
fn merge_fields(into: &mut Vec<Field>, fields: Vec<Field>) {
    for field in fields {
        match into.iter_mut().find(|f| f.wire_name == field.wire_name) {
            Some(existing) => {
                let required = existing.required || field.required;
                *existing = Field { required, ..field };
            }
            None => into.push(field),
        }
    }
}

/// Distinct wire names can map to the same Rust name (`fooBar`, `foo_bar`).
fn dedupe_field_names(mut fields: Vec<Field>) -> Vec<Field> {
    let mut scope = NameScope::with_reserved(["additional_properties"]);
    for field in &mut fields {
        field.name = scope.claim(&field.name);
    }
    fields
}

fn type_docs(view: &View<'_>) -> Option<String> {
    match (view.title, view.description.and_then(rustdoc)) {
        (_, Some(description)) => Some(description),
        (Some(title), None) => rustdoc(title),
        (None, None) => None,
    }
}

/// The component name a `$ref` names. Loading (`crate::resolve`) has made every schema
/// reference point at a component that exists, so anything else is a generator bug, reported.
fn component_of(reference: &str, pointer: &str) -> Result<String, Diagnostic> {
    reference
        .strip_prefix(COMPONENT_PREFIX)
        .map(crate::resolve::unescape_segment)
        .ok_or_else(|| {
            Diagnostic::new(
                pointer,
                format!(
                    "`$ref: {reference}` was not resolved to {COMPONENT_PREFIX}* (generator bug)"
                ),
            )
        })
}

pub use crate::diagnostic::escape_pointer;
