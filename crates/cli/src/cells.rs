//! One listing row as named cells, in the order its type declares its fields.
//!
//! CSV, Parquet and the terminal table need flat columns in a stable order; the
//! JSON outputs need the nested shape. Serializing each row through this small
//! serializer gives both from one `Serialize` impl: top-level fields become cells,
//! and anything nested (lists, objects) is kept as a JSON value in its cell.

use serde::ser::{self, Impossible, Serialize, SerializeMap, SerializeStruct, Serializer};
use serde_json::Value;

/// Field name → value, in declaration order.
pub type Cells = Vec<(String, Value)>;

#[derive(Debug)]
pub struct NotARecord(String);

impl std::fmt::Display for NotARecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a listing row must be a struct or map: {}", self.0)
    }
}

impl std::error::Error for NotARecord {}

impl ser::Error for NotARecord {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        NotARecord(msg.to_string())
    }
}

/// The row's top-level fields with their values.
pub fn cells<T: Serialize>(row: &T) -> Result<Cells, NotARecord> {
    row.serialize(RowSerializer)
}

struct RowSerializer;

pub struct Fields {
    cells: Cells,
    pending_key: Option<String>,
}

fn value<T: Serialize + ?Sized>(v: &T) -> Result<Value, NotARecord> {
    let mut v = serde_json::to_value(v).map_err(|e| NotARecord(e.to_string()))?;
    tidy_floats(&mut v);
    Ok(v)
}

/// `to_value` widens an `f32` to the nearest `f64` (0.85 becomes
/// 0.8500000238418579); written as text that noise would reach the CSV. A float
/// that is exactly an `f32` is given back its short `f32` form.
fn tidy_floats(v: &mut Value) {
    match v {
        Value::Number(n) if n.is_f64() => {
            if let Some(x) = n.as_f64() {
                let narrow = x as f32;
                if f64::from(narrow) == x {
                    if let Some(short) = narrow
                        .to_string()
                        .parse::<f64>()
                        .ok()
                        .and_then(serde_json::Number::from_f64)
                    {
                        *n = short;
                    }
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(tidy_floats),
        Value::Object(map) => map.values_mut().for_each(tidy_floats),
        _ => {}
    }
}

impl SerializeStruct for Fields {
    type Ok = Cells;
    type Error = NotARecord;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), NotARecord> {
        // `#[serde(flatten)]` fields arrive through the map interface instead.
        self.cells.push((key.to_string(), value(v)?));
        Ok(())
    }
    fn end(self) -> Result<Cells, NotARecord> {
        Ok(self.cells)
    }
}

impl SerializeMap for Fields {
    type Ok = Cells;
    type Error = NotARecord;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), NotARecord> {
        self.pending_key = Some(match value(key)? {
            Value::String(s) => s,
            other => other.to_string(),
        });
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), NotARecord> {
        let key = self
            .pending_key
            .take()
            .ok_or_else(|| NotARecord("map value without a key".into()))?;
        self.cells.push((key, value(v)?));
        Ok(())
    }
    fn end(self) -> Result<Cells, NotARecord> {
        Ok(self.cells)
    }
}

macro_rules! not_a_record {
    ($($name:ident: $ty:ty),*) => {
        $(fn $name(self, _: $ty) -> Result<Cells, NotARecord> {
            Err(NotARecord(stringify!($ty).into()))
        })*
    };
}

impl Serializer for RowSerializer {
    type Ok = Cells;
    type Error = NotARecord;
    type SerializeSeq = Impossible<Cells, NotARecord>;
    type SerializeTuple = Impossible<Cells, NotARecord>;
    type SerializeTupleStruct = Impossible<Cells, NotARecord>;
    type SerializeTupleVariant = Impossible<Cells, NotARecord>;
    type SerializeMap = Fields;
    type SerializeStruct = Fields;
    type SerializeStructVariant = Impossible<Cells, NotARecord>;

    not_a_record!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_f32: f32, serialize_f64: f64, serialize_char: char,
        serialize_str: &str, serialize_bytes: &[u8]);

    fn serialize_none(self) -> Result<Cells, NotARecord> {
        Err(NotARecord("none".into()))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<Cells, NotARecord> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<Cells, NotARecord> {
        Err(NotARecord("unit".into()))
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<Cells, NotARecord> {
        Err(NotARecord(name.into()))
    }
    fn serialize_unit_variant(
        self,
        name: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<Cells, NotARecord> {
        Err(NotARecord(name.into()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<Cells, NotARecord> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Cells, NotARecord> {
        Err(NotARecord(name.into()))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NotARecord> {
        Err(NotARecord("sequence".into()))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NotARecord> {
        Err(NotARecord("tuple".into()))
    }
    fn serialize_tuple_struct(
        self,
        name: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, NotARecord> {
        Err(NotARecord(name.into()))
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, NotARecord> {
        Err(NotARecord(name.into()))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Fields, NotARecord> {
        Ok(Fields {
            cells: Vec::with_capacity(len.unwrap_or(8)),
            pending_key: None,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Fields, NotARecord> {
        Ok(Fields {
            cells: Vec::with_capacity(len),
            pending_key: None,
        })
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, NotARecord> {
        Err(NotARecord(name.into()))
    }
}

/// A cell as CSV text: strings as they are, nothing for null, nested values as JSON.
pub fn csv_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Serialize)]
    struct Inner {
        kind: &'static str,
    }

    #[derive(Serialize)]
    struct Row {
        zeta: u32,
        alpha: Option<String>,
        list: Vec<&'static str>,
        #[serde(flatten)]
        inner: Inner,
    }

    #[test]
    fn fields_keep_declaration_order_and_nesting() {
        let r = Row {
            zeta: 3,
            alpha: None,
            list: vec!["a", "b"],
            inner: Inner { kind: "KILL" },
        };
        let c = cells(&r).unwrap();
        let names: Vec<&str> = c.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["zeta", "alpha", "list", "kind"]);
        assert_eq!(csv_text(&c[0].1), "3");
        assert_eq!(csv_text(&c[1].1), "");
        assert_eq!(csv_text(&c[2].1), r#"["a","b"]"#);
        assert_eq!(csv_text(&c[3].1), "KILL");
        assert!(cells(&5u32).is_err());
        #[derive(Serialize)]
        struct F {
            c: f32,
        }
        assert_eq!(csv_text(&cells(&F { c: 0.85 }).unwrap()[0].1), "0.85");
    }
}
