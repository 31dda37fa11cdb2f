//! Just enough JSON writing for the page's answers (the crate stays std-only and small).

/// An object being written: `Json::object().str("k", "v").finish()` is `{"k":"v"}`.
pub struct Json(String);

impl Json {
    pub fn object() -> Json {
        Json(String::from("{"))
    }

    /// `"text"` with JSON's escapes.
    pub fn string(text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 2);
        out.push('"');
        for c in text.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    /// `[a,b,…]` of values already written.
    pub fn array(items: impl Iterator<Item = String>) -> String {
        let items: Vec<String> = items.collect();
        format!("[{}]", items.join(","))
    }

    /// A member whose value is already JSON.
    pub fn raw(mut self, key: &str, value: String) -> Json {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        self.0.push_str(&Json::string(key));
        self.0.push(':');
        self.0.push_str(&value);
        self
    }

    pub fn str(self, key: &str, value: &str) -> Json {
        self.raw(key, Json::string(value))
    }

    pub fn num(self, key: &str, value: u64) -> Json {
        self.raw(key, value.to_string())
    }

    pub fn bool(self, key: &str, value: bool) -> Json {
        self.raw(key, value.to_string())
    }

    pub fn finish(mut self) -> String {
        self.0.push('}');
        self.0
    }
}
