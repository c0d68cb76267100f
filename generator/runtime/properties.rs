//! [`AdditionalProperties`]: the properties of a JSON object that its struct does not declare,
//! kept as the JSON text they came as.
//!
//! A response carries many properties its description does not declare (the 2.14 contact
//! example has 15). Nothing may be lost, so a struct keeps them; but building a [`Value`] tree
//! for each costs as much as reading all the declared fields (a string, a map node and a vector
//! per nested value). So a struct keeps them as text instead: each value's text is copied from
//! the input into one small string per object (no value tree is built; a few short properties,
//! such as `"type":"list"`, fit in the struct without any allocation), and parsed only when
//! someone asks for it.

use super::object::Key;
use compact_str::CompactString;
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;
use std::sync::OnceLock;

/// The properties of a JSON object that its struct does not declare, and declared properties
/// whose value does not fit the declared type, kept as sent (in their order) so that nothing the
/// server sends is lost, and written back when the struct is written.
///
/// They are kept as the text of a JSON object and parsed when read: [`get`](Self::get) gives
/// a [`Value`], [`get_as`](Self::get_as) any type, [`get_raw`](Self::get_raw) the text.
///
/// ```
/// # use intercom_api::AdditionalProperties;
/// let mut other = AdditionalProperties::new();
/// other.insert("plan", serde_json::json!({"name": "pro"}));
/// assert_eq!(other.get_raw("plan"), Some(r#"{"name":"pro"}"#));
/// assert_eq!(other.get("plan").unwrap()["name"], "pro");
/// assert_eq!(other.as_json(), r#"{"plan":{"name":"pro"}}"#);
/// ```
#[derive(Clone, Default)]
pub struct AdditionalProperties {
    /// The properties as a JSON object's text (`{"name":value,...}`), each value as it came;
    /// empty when there are none. Short texts are stored inline, without an allocation.
    text: CompactString,
}

impl AdditionalProperties {
    /// No properties.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many properties there are.
    pub fn len(&self) -> usize {
        self.members().len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The properties as the text of a JSON object (`{}` when there are none).
    pub fn as_json(&self) -> &str {
        if self.text.is_empty() {
            "{}"
        } else {
            &self.text
        }
    }

    /// The properties' names and values (as JSON text), in the order they came.
    pub fn iter_raw(&self) -> impl Iterator<Item = (Cow<'_, str>, &str)> + '_ {
        self.members()
            .into_iter()
            .map(|(name, value)| (name, value.get()))
    }

    /// The properties' names, in the order they came.
    pub fn keys(&self) -> impl Iterator<Item = Cow<'_, str>> + '_ {
        self.iter_raw().map(|(name, _)| name)
    }

    /// The JSON text of the property `name` (of its last occurrence, as `serde_json` keeps the
    /// last of repeated keys).
    pub fn get_raw(&self, name: &str) -> Option<&str> {
        self.members().find(name).map(RawValue::get)
    }

    /// The value of the property `name`, parsed.
    pub fn get(&self, name: &str) -> Option<Value> {
        self.get_as(name).and_then(Result::ok)
    }

    /// The value of the property `name` read as `T`, or why it cannot be.
    pub fn get_as<T: DeserializeOwned>(&self, name: &str) -> Option<Result<T, serde_json::Error>> {
        self.get_raw(name).map(serde_json::from_str)
    }

    /// Whether the property `name` is there.
    pub fn contains_key(&self, name: &str) -> bool {
        self.members().find(name).is_some()
    }

    /// Sets the property `name` (replacing it if it is there).
    pub fn insert(&mut self, name: impl Into<String>, value: Value) {
        let name = name.into();
        let mut text = self.without(&name);
        text.keep_value(&name, &value);
        *self = text.close();
    }

    /// Removes the property `name` (every occurrence) and gives its value.
    pub fn remove(&mut self, name: &str) -> Option<Value> {
        let removed = self.get(name)?;
        *self = self.without(name).close();
        Some(removed)
    }

    /// The text of every property but `name`, open for more.
    fn without(&self, name: &str) -> OpenText {
        let mut text = OpenText::default();
        for (key, value) in self.iter_raw().filter(|(key, _)| key != name) {
            text.push_member(&key, value);
        }
        text
    }

    /// The properties as a JSON object.
    pub fn to_map(&self) -> Map<String, Value> {
        self.iter_raw()
            .map(|(name, value)| (name.into_owned(), parse(value)))
            .collect()
    }

    /// The properties, parsed into their names and values' texts.
    pub(crate) fn members(&self) -> Members<'_> {
        if self.text.is_empty() {
            return Members(Vec::new());
        }
        // The text is only ever written as a JSON object, so it reads back as one.
        serde_json::from_str(&self.text).unwrap_or(Members(Vec::new()))
    }
}

/// The text of the properties kept while a struct is read: a JSON object's text without its
/// closing brace (empty until the first property).
///
/// Its buffer comes from a small pool per thread and goes back to it when the read ends, so a
/// property is written into room that is already there, and the struct gets its text in one
/// allocation of the size it needs (none when it fits inline). Growing a text per struct, by
/// steps, then giving back the room it did not use, cost about a third of keeping a property.
/// Structs read inside a struct (its declared fields) take buffers of their own.
#[derive(Default)]
pub struct OpenText(String);

impl OpenText {
    /// Keeps a property by copying its value, the next value of `map`.
    pub(crate) fn keep_next_value<'de, A: MapAccess<'de>>(
        &mut self,
        name: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        self.push_name(name);
        map.next_value_seed(CopyValue(&mut self.0))
    }

    /// Keeps a property whose value was read already (a declared property that does not fit).
    pub(crate) fn keep_value(&mut self, name: &str, value: &Value) {
        self.push_member(name, &value.to_string());
    }

    /// Adds a property whose value's JSON text is at hand.
    fn push_member(&mut self, name: &str, value: &str) {
        self.push_name(name);
        self.0.push_str(value);
    }

    /// Starts a property: its name, after the object's opening or the previous value.
    fn push_name(&mut self, name: &str) {
        let opening = if self.0.is_empty() {
            self.0 = spare_buffer();
            Opening::First
        } else {
            Opening::Next
        };
        push_member_name(&mut self.0, opening, name);
    }

    /// Ends the read: the properties, their text closed.
    pub(crate) fn close(mut self) -> AdditionalProperties {
        if self.0.is_empty() {
            return AdditionalProperties::new();
        }
        self.0.push('}');
        AdditionalProperties {
            text: CompactString::from(self.0.as_str()),
        }
    }
}

impl Drop for OpenText {
    fn drop(&mut self) {
        give_back(std::mem::take(&mut self.0));
    }
}

thread_local! {
    /// Buffers for [`OpenText`], kept between reads on this thread.
    static SPARE_BUFFERS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// The most buffers a thread keeps: one per struct being read at once, nested.
const MAX_SPARE_BUFFERS: usize = 8;

/// The largest buffer a thread keeps (a larger one is freed: it came from a rare object with
/// a long text, and would otherwise be held by the thread for good).
const MAX_SPARE_CAPACITY: usize = 16 * 1024;

/// The room a new buffer starts with: what most of the API's objects keep, or a dozen
/// properties.
const FIRST_CAPACITY: usize = 512;

/// An empty buffer from the pool, or a new one.
fn spare_buffer() -> String {
    SPARE_BUFFERS
        .try_with(|spare| spare.borrow_mut().pop())
        .ok()
        .flatten()
        .unwrap_or_else(|| String::with_capacity(FIRST_CAPACITY))
}

/// Puts a buffer back into the pool, unless it is full, the buffer is too big, or the thread
/// is ending.
fn give_back(mut buffer: String) {
    if buffer.capacity() == 0 || buffer.capacity() > MAX_SPARE_CAPACITY {
        return;
    }
    buffer.clear();
    let _ = SPARE_BUFFERS.try_with(|spare| {
        let mut spare = spare.borrow_mut();
        if spare.len() < MAX_SPARE_BUFFERS {
            spare.push(buffer);
        }
    });
}

/// What comes before a member's name in an object's text.
#[derive(Clone, Copy)]
enum Opening {
    /// The object's opening brace: the first member.
    First,
    /// A comma after the previous member.
    Next,
}

/// Writes `opening`, `name` as a JSON string, and a colon, in as few writes as can be (each
/// write to the text has a cost of its own).
fn push_member_name(out: &mut String, opening: Opening, name: &str) {
    // Every byte is looked at (no early exit), which the compiler does many bytes at a time.
    let escapes = name.bytes().fold(false, |escapes, b| {
        escapes | (b < 0x20) | (b == b'"') | (b == b'\\')
    });
    if escapes {
        out.push(match opening {
            Opening::First => '{',
            Opening::Next => ',',
        });
        out.push_str(&Value::from(name).to_string());
        out.push(':');
    } else {
        out.push_str(match opening {
            Opening::First => "{\"",
            Opening::Next => ",\"",
        });
        out.push_str(name);
        out.push_str("\":");
    }
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

/// The properties of an [`AdditionalProperties`], read from its text: each name (borrowed unless
/// it has escapes) and value.
pub struct Members<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'a> Members<'a> {
    fn len(&self) -> usize {
        self.0.len()
    }

    /// The value of the last property named `name`.
    pub(crate) fn find(&self, name: &str) -> Option<&'a RawValue> {
        self.0
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| *value)
    }

    /// Writes each property as an entry of `map` (each value's text read again as it is written,
    /// so any serializer works).
    pub(crate) fn write_entries<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        for (name, value) in &self.0 {
            let mut json = serde_json::Deserializer::from_str(value.get());
            map.serialize_entry(name, &serde_transcode::Transcoder::new(&mut json))?;
        }
        Ok(())
    }
}

impl<'a> IntoIterator for Members<'a> {
    type Item = (Cow<'a, str>, &'a RawValue);
    type IntoIter = std::vec::IntoIter<Self::Item>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MembersVisitor;

        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = Members<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::new();
                while let Some(Key(name)) = map.next_key::<Key<'de>>()? {
                    members.push((name, map.next_value()?));
                }
                Ok(Members(members))
            }
        }

        deserializer.deserialize_map(MembersVisitor)
    }
}

struct CopyValue<'a>(&'a mut String);

impl<'de> de::DeserializeSeed<'de> for CopyValue<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        match raw_value_token() {
            Some(token) => deserializer.deserialize_newtype_struct(token, CopyVisitor(self.0)),
            None => deserializer.deserialize_any(CopyVisitor(self.0)),
        }
    }
}

struct CopyVisitor<'a>(&'a mut String);

impl CopyVisitor<'_> {
    fn push<E: de::Error>(self, value: impl Serialize) -> Result<(), E> {
        let text = serde_json::to_string(&value).map_err(E::custom)?;
        self.0.push_str(&text);
        Ok(())
    }
}

impl<'de> Visitor<'de> for CopyVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<(), E> {
        self.push(value)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<(), E> {
        self.push(value)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<(), E> {
        self.push(value)
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<(), E> {
        self.push(value)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<(), E> {
        self.push(value)
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.0.push_str("null");
        Ok(())
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        de::DeserializeSeed::deserialize(CopyValue(self.0), deserializer)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.0.push('[');
        let mut first = true;
        while seq.next_element_seed(Element(self.0, first))?.is_some() {
            first = false;
        }
        self.0.push(']');
        Ok(())
    }

    /// `serde_json`'s raw value comes as a map of one entry: the token, then the text.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut first = true;
        while let Some(name) = map.next_key_seed(Name(self.0, first))? {
            match name {
                Named::RawValue => {
                    map.next_value_seed(RawText(self.0))?;
                    return Ok(());
                }
                Named::Property => map.next_value_seed(CopyValue(self.0))?,
            }
            first = false;
        }
        self.0.push_str(if first { "{}" } else { "}" });
        Ok(())
    }
}

/// An array's element, copied after the separator (unless it is the first).
struct Element<'a>(&'a mut String, bool);

impl<'de> de::DeserializeSeed<'de> for Element<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let Element(text, first) = self;
        if !first {
            text.push(',');
        }
        de::DeserializeSeed::deserialize(CopyValue(text), deserializer)
    }
}

/// What a map's key was.
enum Named {
    /// `serde_json`'s raw value token: the value is the text to copy.
    RawValue,
    /// A property name, written (after `{` or `,`) with its colon.
    Property,
}

/// Reads a map's key: `serde_json`'s raw value token (only as the first key), or a property
/// name that it writes.
struct Name<'a>(&'a mut String, bool);

impl<'de> de::DeserializeSeed<'de> for Name<'_> {
    type Value = Named;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Named, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Name<'_> {
    type Value = Named;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Named, E> {
        let Name(text, first) = self;
        if first && Some(name) == raw_value_token() {
            return Ok(Named::RawValue);
        }
        let opening = if first { Opening::First } else { Opening::Next };
        push_member_name(text, opening, name);
        Ok(Named::Property)
    }
}

/// The text of a raw value, appended as it is.
struct RawText<'a>(&'a mut String);

impl<'de> de::DeserializeSeed<'de> for RawText<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for RawText<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON text")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<(), E> {
        self.0.push_str(text);
        Ok(())
    }
}

/// The name under which `serde_json` hands over a value's text (its `RawValue` asks for a
/// newtype struct of that name), found once by asking `RawValue` to read from a deserializer
/// that notes the name; `None` if `RawValue` reads some other way.
fn raw_value_token() -> Option<&'static str> {
    static TOKEN: OnceLock<Option<&'static str>> = OnceLock::new();
    *TOKEN.get_or_init(|| match Box::<RawValue>::deserialize(TokenProbe) {
        Err(Probed(token)) => token,
        Ok(_) => None,
    })
}

/// A deserializer that only notes the name of the newtype struct it is asked for.
struct TokenProbe;

#[derive(Debug)]
struct Probed(Option<&'static str>);

impl fmt::Display for Probed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("probed")
    }
}

impl std::error::Error for Probed {}

impl de::Error for Probed {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Probed(None)
    }
}

impl<'de> Deserializer<'de> for TokenProbe {
    type Error = Probed;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Probed> {
        Err(Probed(None))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _: V,
    ) -> Result<V::Value, Probed> {
        Err(Probed(Some(name)))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// Equal when they hold the same properties with the same values (the order aside).
impl PartialEq for AdditionalProperties {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text || self.to_map() == other.to_map()
    }
}

impl fmt::Debug for AdditionalProperties {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Raw<'a>(&'a str);

        impl fmt::Debug for Raw<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.0)
            }
        }

        f.debug_map()
            .entries(self.iter_raw().map(|(name, value)| (name, Raw(value))))
            .finish()
    }
}

impl From<Map<String, Value>> for AdditionalProperties {
    fn from(map: Map<String, Value>) -> Self {
        map.into_iter().collect()
    }
}

impl From<AdditionalProperties> for Map<String, Value> {
    fn from(properties: AdditionalProperties) -> Self {
        properties.to_map()
    }
}

impl<K: Into<String>> FromIterator<(K, Value)> for AdditionalProperties {
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(entries: I) -> Self {
        let mut properties = Self::new();
        properties.extend(entries);
        properties
    }
}

impl<K: Into<String>> Extend<(K, Value)> for AdditionalProperties {
    fn extend<I: IntoIterator<Item = (K, Value)>>(&mut self, entries: I) {
        for (name, value) in entries {
            self.insert(name, value);
        }
    }
}

/// Writes the properties as a map of their values (through any serializer: each value's text is
/// read again as it is written).
impl Serialize for AdditionalProperties {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let members = self.members();
        let mut map = serializer.serialize_map(Some(members.len()))?;
        members.write_entries(&mut map)?;
        map.end()
    }
}

/// Reads any JSON object.
impl<'de> Deserialize<'de> for AdditionalProperties {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PropertiesVisitor;

        impl<'de> Visitor<'de> for PropertiesVisitor {
            type Value = AdditionalProperties;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut text = OpenText::default();
                while let Some(Key(name)) = map.next_key::<Key<'de>>()? {
                    text.keep_next_value(&name, &mut map)?;
                }
                Ok(text.close())
            }
        }

        deserializer.deserialize_map(PropertiesVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::AdditionalProperties;

    #[test]
    fn a_read_holds_its_text_and_reads_back_in_order() {
        // Two properties spill out of the inline buffer; the text is allocated at its size.
        let json = r#"{"has_more":false,"total_count":0,"url":"/contacts/1/companies"}"#;
        let read: AdditionalProperties = serde_json::from_str(json).unwrap();
        assert_eq!(read.as_json(), json);
        assert!(read.text.capacity() - read.text.len() < 32);
        let keys: Vec<_> = read.keys().collect();
        assert_eq!(keys, ["has_more", "total_count", "url"]);
    }

    #[test]
    fn a_failed_read_leaves_nothing_behind_for_the_next() {
        let failed = serde_json::from_str::<AdditionalProperties>(r#"{"a":1,"b":[}"#);
        assert!(failed.is_err());
        let read: AdditionalProperties = serde_json::from_str(r#"{"c":2}"#).unwrap();
        assert_eq!(read.as_json(), r#"{"c":2}"#);
    }

    #[test]
    fn insert_and_remove_keep_the_text_an_object() {
        let mut properties: AdditionalProperties =
            serde_json::from_str(r#"{"a":1,"b":2}"#).unwrap();
        properties.insert("c", serde_json::json!([3]));
        properties.insert("a", serde_json::json!("one"));
        assert_eq!(properties.as_json(), r#"{"b":2,"c":[3],"a":"one"}"#);
        assert_eq!(properties.remove("b"), Some(serde_json::json!(2)));
        assert_eq!(properties.as_json(), r#"{"c":[3],"a":"one"}"#);
        properties.remove("c");
        properties.remove("a");
        assert!(properties.is_empty());
        assert_eq!(properties.as_json(), "{}");
    }
}
