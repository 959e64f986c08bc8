//! Reading and writing scenarios: strict JSON, URL query strings and `key=value` settings
//! (`--set` on the command line, one URL parameter on the page), and the canonical query string
//! that is the page's share link.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::{err, FamilyKey, Range, Scenario, ScenarioError, RANGES};

impl Scenario {
    /// The numeric ranges of every key.
    pub fn ranges() -> &'static [Range] {
        RANGES
    }

    /// Parses a JSON document strictly (a leading byte-order mark is skipped), then validates it.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let value: Value =
            serde_json::from_str(text).map_err(|e| tidy(err("", format!("the scenario is not valid JSON ({e})"))))?;
        Scenario::from_value(value)
    }

    /// Deserializes a JSON value strictly, then validates it. A key whose value is an object
    /// (`filter`) must be given as one: serde would read `["quality", 0.3]` positionally.
    /// Messages quote at most [`MAX_ECHO`] characters of any input, on one line.
    pub fn from_value(value: Value) -> Result<Scenario, ScenarioError> {
        Scenario::from_value_inner(value).map_err(tidy)
    }

    fn from_value_inner(value: Value) -> Result<Scenario, ScenarioError> {
        let Value::Object(given) = value else {
            return Err(err("", "the scenario must be a JSON object of key: value pairs"));
        };
        // Missing keys take the defaults of the named model family.
        let model = match given.get("model") {
            Some(m) => serde_json::from_value::<FamilyKey>(m.clone()).map_err(|e| err("model", e.to_string()))?,
            None => FamilyKey::default(),
        };
        let defaults = serde_json::to_value(Scenario::default_for(model)).map_err(|e| err("", e.to_string()))?;
        check_objects(&defaults, &given, "")?;
        let mut value = defaults.clone();
        merge(&mut value, Value::Object(given));
        // Ranges first, on the raw numbers, so that 5e9 for a u32 key reads "out of range" rather
        // than a type error.
        check_ranges(&value)?;
        let scenario = Scenario::deserialize(&value).map_err(|e| mistyped_key(&defaults, &value, e))?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// Checks every numeric key against [`RANGES`].
    pub fn validate(&self) -> Result<(), ScenarioError> {
        check_ranges(&serde_json::to_value(self).map_err(|e| err("", e.to_string()))?)?;
        if self.gen > self.generations {
            return Err(err("gen", format!("{} is beyond the last generation ({})", self.gen, self.generations)));
        }
        Ok(())
    }

    /// Applies one `key=value` override (`--set` on the command line, one URL parameter on the
    /// page). Nested keys use a dot: `filter.kind=quality`. The result is validated.
    pub fn with_setting(&self, key: &str, raw: &str) -> Result<Scenario, ScenarioError> {
        let mut value = serde_json::to_value(self).map_err(|e| err("", e.to_string()))?;
        set_path(&mut value, key, parse_scalar(key, raw).map_err(tidy)?).map_err(tidy)?;
        Scenario::from_value(value)
    }

    /// Reads a JSON document and applies `key=value` overrides to it before the defaults fill in,
    /// so `model=text` brings the text model's defaults for every key not given (the command
    /// line's `--scenario` with `--set`).
    pub fn from_json_with_settings(text: &str, settings: &[(String, String)]) -> Result<Scenario, ScenarioError> {
        Scenario::from_json_with_settings_inner(text, settings).map_err(tidy)
    }

    fn from_json_with_settings_inner(text: &str, settings: &[(String, String)]) -> Result<Scenario, ScenarioError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut value: Value = if text.trim().is_empty() {
            Value::Object(Map::new())
        } else {
            serde_json::from_str(text).map_err(|e| err("", format!("the scenario is not valid JSON ({e})")))?
        };
        if !value.is_object() {
            return Err(err("", "the scenario must be a JSON object of key: value pairs"));
        }
        for (key, raw) in settings {
            set_path(&mut value, key, parse_scalar(key, raw)?)?;
        }
        Scenario::from_value(value)
    }

    /// Reads a URL query string (`?model=tokens&top_p=0.9&filter.kind=quality`), starting from
    /// the defaults. Values are percent-decoded. Any bad parameter is an error naming it.
    pub fn from_query(query: &str) -> Result<Scenario, ScenarioError> {
        Scenario::from_query_inner(query).map_err(tidy)
    }

    fn from_query_inner(query: &str) -> Result<Scenario, ScenarioError> {
        let query = query.strip_prefix('?').unwrap_or(query);
        let mut value = Value::Object(Map::new());
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
            let key = percent_decode(key).ok_or_else(|| err("", format!("malformed URL parameter `{pair}`")))?;
            let raw = percent_decode(raw).ok_or_else(|| err(&key, format!("malformed URL value `{raw}`")))?;
            set_path(&mut value, &key, parse_scalar(&key, &raw)?)?;
        }
        Scenario::from_value(value)
    }

    /// Reads a share link keeping every valid key: a bad parameter (an unknown key, a value of the
    /// wrong type or out of range, a malformed piece) is left out and reported, the rest apply.
    /// A bad `model` falls back to the default family, since every other key's default depends on
    /// it.
    pub fn from_query_lenient(query: &str) -> (Scenario, Vec<ScenarioError>) {
        let query = query.strip_prefix('?').unwrap_or(query);
        let mut problems = Vec::new();
        let mut pairs: Vec<(String, String)> = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
            match (percent_decode(key), percent_decode(raw)) {
                (Some(key), Some(raw)) => pairs.push((key, raw)),
                _ => problems.push(tidy(err("", format!("`{pair}` is not a readable setting")))),
            }
        }
        // Each pair on its own first (unknown keys, unparsable values), then the whole set, dropping
        // the key an error names until what is left is valid.
        let mut value = Value::Object(Map::new());
        for (key, raw) in &pairs {
            let mut one = value.clone();
            match parse_scalar(key, raw).and_then(|v| set_path(&mut one, key, v)) {
                Ok(()) => value = one,
                Err(e) => problems.push(tidy(e)),
            }
        }
        loop {
            match Scenario::from_value(value.clone()) {
                Ok(scenario) => return (scenario, problems),
                Err(e) => {
                    let removed = !e.key.is_empty() && remove_path(&mut value, &e.key);
                    problems.push(e);
                    if !removed {
                        return (Scenario::default(), problems);
                    }
                }
            }
        }
    }

    /// The canonical query string: `model` and the keys that differ from that model's defaults,
    /// in schema order (`model` is left out for the default Gaussian).
    pub fn to_query(&self) -> String {
        let here = flatten(&serde_json::to_value(self).unwrap_or(Value::Null));
        let defaults = flatten(&serde_json::to_value(Scenario::default_for(self.model)).unwrap_or(Value::Null));
        here.iter()
            .zip(defaults.iter())
            .filter(|(a, b)| a.1 != b.1 || (a.0 == "model" && self.model != FamilyKey::default()))
            .map(|((k, v), _)| format!("{k}={}", percent_encode(&scalar_text(v))))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Pretty JSON of the full scenario (every key, defaults included).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Every key of the schema, dotted for nested ones, in order.
    pub fn keys() -> Vec<String> {
        flatten(&serde_json::to_value(Scenario::default()).unwrap_or(Value::Null)).into_iter().map(|(k, _)| k).collect()
    }
}

/// Most characters of the input an error message quotes (longer pieces end in an ellipsis).
pub const MAX_ECHO: usize = 100;

/// A piece of input as quoted in a message: at most [`MAX_ECHO`] characters, on one line.
pub(crate) fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(MAX_ECHO).map(|c| if c.is_control() { ' ' } else { c }).collect();
    if s.chars().count() > MAX_ECHO {
        out.push('…');
    }
    out
}

/// serde's wording, in plain words for a reader: "invalid type: string "abc", expected u32"
/// becomes "abc" is not a whole number; "unknown variant `x`, expected `a` or `b`" becomes
/// `x` is not one of: a, b.
fn plain_words(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        if let Some((given, expected)) = rest.rsplit_once(", expected ") {
            // `given` is "string \"abc\"", "floating point `2.5`", "integer `3`", "map", ...
            let shown = given.find(['"', '`']).map_or(given, |i| &given[i..]);
            let wanted = match expected {
                "u32" | "u64" | "usize" => "a whole number",
                "f64" | "f32" => "a number",
                "a string" => "a word",
                other => other,
            };
            return format!("{shown} is not {wanted}");
        }
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        if let Some((given, expected)) = rest.split_once(", expected ") {
            let options: Vec<&str> = expected
                .trim_start_matches("one of ")
                .split([',', ' '])
                .filter(|w| w.starts_with('`'))
                .map(|w| w.trim_matches('`'))
                .collect();
            return format!("{given} is not one of: {}", options.join(", "));
        }
    }
    message.to_string()
}

/// An error as reported: in plain words, the key and every quoted piece of the message (in
/// backticks or double quotes, as serde quotes values) clipped, and the message on one line.
fn tidy(e: ScenarioError) -> ScenarioError {
    let message: String = plain_words(&e.message).chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let mut out = String::new();
    let mut rest = message.as_str();
    while let Some(start) = rest.find(['`', '"']) {
        let quote = &rest[start..=start];
        out.push_str(&rest[..=start]);
        rest = &rest[start + 1..];
        let Some(end) = rest.find(quote) else { break };
        out.push_str(&clip(&rest[..end]));
        out.push_str(quote);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    ScenarioError { key: clip(&e.key), message: out }
}

/// Refuses a non-object where the schema has an object (`"filter": ["quality", 0.3]`), naming
/// the key and the sub-keys expected.
fn check_objects(schema: &Value, given: &Map<String, Value>, prefix: &str) -> Result<(), ScenarioError> {
    let Value::Object(schema) = schema else { return Ok(()) };
    for (key, value) in given {
        let Some(Value::Object(expected)) = schema.get(key) else { continue };
        let path = format!("{prefix}{key}");
        match value {
            Value::Object(inner) => check_objects(&Value::Object(expected.clone()), inner, &format!("{path}."))?,
            other => {
                let kind = match other {
                    Value::Array(_) => "an array",
                    Value::String(_) => "a string",
                    Value::Number(_) => "a number",
                    Value::Bool(_) => "a boolean",
                    _ => "null",
                };
                let keys: Vec<&str> = expected.keys().map(String::as_str).collect();
                let example = expected.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect::<Vec<_>>().join(", ");
                return Err(err(
                    &path,
                    format!("must be an object of its keys ({}), e.g. {{{example}}}, not {kind}", keys.join(", ")),
                ));
            }
        }
    }
    Ok(())
}

/// Checks every numeric key present in a scenario document against [`RANGES`].
fn check_ranges(value: &Value) -> Result<(), ScenarioError> {
    for range in RANGES {
        let Some(x) = lookup(value, range.key).and_then(Value::as_f64) else { continue };
        if !x.is_finite() {
            return Err(err(range.key, format!("{x} is not a finite number")));
        }
        if x < range.min || x > range.max {
            return Err(err(
                range.key,
                format!("{} is out of range: allowed {} to {}", fmt_num(x), fmt_num(range.min), fmt_num(range.max)),
            ));
        }
    }
    Ok(())
}

/// A number as a message shows it: whole numbers below 10^15 in full, very large or very small
/// ones with an exponent (`1e300`, not its 301 digits, which the message would cut off).
fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else if x.is_finite() && (x.abs() >= 1e15 || x.abs() < 1e-4) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// The error of a scenario that does not deserialise, naming the key at fault: the first key
/// (unknown, or of the wrong type) whose value alone, put into the defaults, does not
/// deserialise either. The schema's keys are independent scalars, so a bad one is found by
/// itself, and the defaults always deserialise.
fn mistyped_key(defaults: &Value, value: &Value, whole: serde_json::Error) -> ScenarioError {
    for (key, leaf) in flatten(value) {
        let nested = key.rsplit('.').fold(leaf, |v, part| Value::Object(Map::from_iter([(part.to_string(), v)])));
        let mut probe = defaults.clone();
        merge(&mut probe, nested);
        if let Err(e) = Scenario::deserialize(&probe) {
            return err(&key, e.to_string());
        }
    }
    err("", whole.to_string())
}

fn lookup<'a>(value: &'a Value, dotted: &str) -> Option<&'a Value> {
    dotted.split('.').try_fold(value, |v, part| v.get(part))
}

/// Sets a dotted key (`filter.kind`) in a JSON object; a key outside the schema is an error
/// listing the known ones.
fn set_path(root: &mut Value, dotted: &str, new: Value) -> Result<(), ScenarioError> {
    let keys = Scenario::keys();
    if !keys.iter().any(|k| k == dotted) {
        if keys.iter().any(|k| k.starts_with(&format!("{dotted}."))) {
            return Err(err(dotted, format!("needs a sub-key, e.g. {dotted}.kind")));
        }
        return Err(err(dotted, format!("unknown key; the keys are: {}", keys.join(", "))));
    }
    let mut node = root;
    let mut parts = dotted.split('.').peekable();
    while let Some(part) = parts.next() {
        let Value::Object(map) = node else { return Err(err(dotted, "is not a nested key")) };
        if parts.peek().is_none() {
            map.insert(part.to_string(), new);
            return Ok(());
        }
        node = map.entry(part.to_string()).or_insert_with(|| Value::Object(Map::new()));
    }
    Ok(())
}

/// Removes a dotted key from a JSON object; whether it was there.
fn remove_path(root: &mut Value, dotted: &str) -> bool {
    let mut node = root;
    let mut parts = dotted.split('.').peekable();
    while let Some(part) = parts.next() {
        let Value::Object(map) = node else { return false };
        if parts.peek().is_none() {
            return map.remove(part).is_some();
        }
        let Some(next) = map.get_mut(part) else { return false };
        node = next;
    }
    false
}

/// Overlays `given` on `base`, object by object; anything not an object replaces.
fn merge(base: &mut Value, given: Value) {
    match (base, given) {
        (Value::Object(b), Value::Object(g)) => {
            for (k, v) in g {
                match b.get_mut(&k) {
                    Some(slot) if slot.is_object() && v.is_object() => merge(slot, v),
                    _ => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (slot, g) => *slot = g,
    }
}

/// A textual value becomes a JSON number when it reads as one, otherwise a string; the schema's
/// types then decide whether it is acceptable. NaN and infinities are refused here because JSON
/// cannot carry them.
fn parse_scalar(key: &str, raw: &str) -> Result<Value, ScenarioError> {
    let trimmed = raw.trim();
    if let Ok(x) = trimmed.parse::<f64>() {
        if !x.is_finite() {
            return Err(err(key, format!("`{raw}` is not a finite number")));
        }
        if let Ok(i) = trimmed.parse::<i64>() {
            return Ok(Value::from(i));
        }
        return Ok(serde_json::Number::from_f64(x).map(Value::Number).unwrap_or(Value::Null));
    }
    if trimmed.is_empty() {
        return Err(err(key, "has no value"));
    }
    Ok(Value::String(trimmed.to_string()))
}

fn flatten(value: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    if let Value::Object(map) = value {
        for (k, v) in map {
            if let Value::Object(_) = v {
                for (sub, leaf) in flatten(v) {
                    out.push((format!("{k}.{sub}"), leaf));
                }
            } else {
                out.push((k.clone(), v.clone()));
            }
        }
    }
    out
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{DataRegime, Filter, FilterKind};

    fn family(key: &str) -> FamilyKey {
        FamilyKey::named(key)
    }

    #[test]
    fn defaults_are_valid_and_round_trip_through_json_and_query() {
        let s = Scenario::default();
        s.validate().unwrap();
        assert_eq!(Scenario::from_json(&s.to_json()).unwrap(), s);
        assert_eq!(s.to_query(), "");
        assert_eq!(Scenario::from_query("").unwrap(), s);
    }

    #[test]
    fn query_round_trip_keeps_every_changed_key() {
        let s = Scenario {
            model: family("tokens"),
            human_fraction: 0.25,
            top_p: 0.9,
            filter: Filter { kind: FilterKind::Diversity, keep: 0.3 },
            seed: 4_000_000_000,
            data: DataRegime::Accumulate,
            ..Scenario::default_for(family("tokens"))
        };
        let q = s.to_query();
        assert_eq!(
            q,
            "model=tokens&human_fraction=0.25&data=accumulate&top_p=0.9&filter.kind=diversity&filter.keep=0.3&seed=4000000000"
        );
        assert_eq!(Scenario::from_query(&format!("?{q}")).unwrap(), s);
    }

    #[test]
    fn unknown_keys_are_rejected_by_name() {
        let e = Scenario::from_json(r#"{"samples": 10, "smaples": 3}"#).unwrap_err();
        assert_eq!(e.key, "smaples");
        assert!(e.to_string().contains("unknown field `smaples`"), "{e}");
        let e = Scenario::from_query("top_q=0.5").unwrap_err();
        assert_eq!(e.key, "top_q");
        assert!(e.message.contains("human_fraction"), "lists the known keys: {e}");
        let e = Scenario::from_json(r#"{"filter": {"kind": "none", "strength": 1}}"#).unwrap_err();
        assert_eq!(e.key, "filter.strength");
        assert!(e.message.contains("strength"), "{e}");
    }

    #[test]
    fn out_of_range_values_name_key_and_range() {
        let e = Scenario::from_json(r#"{"human_fraction": 1.5}"#).unwrap_err();
        assert_eq!(e.to_string(), "human_fraction: 1.5 is out of range: allowed 0 to 1");
        let e = Scenario::from_query("filter.keep=0").unwrap_err();
        assert_eq!(e.to_string(), "filter.keep: 0 is out of range: allowed 0.05 to 1");
        let e = Scenario::from_query("seed=99999999999").unwrap_err();
        assert_eq!(e.to_string(), "seed: 99999999999 is out of range: allowed 0 to 4294967295");
        // A huge or tiny number is shown with an exponent, not as hundreds of digits.
        let e = Scenario::from_query(&format!("samples={}", "9".repeat(300))).unwrap_err();
        assert_eq!(e.to_string(), "samples: 1e300 is out of range: allowed 2 to 1000000");
        let e = Scenario::from_query("filter.keep=0.00001").unwrap_err();
        assert_eq!(e.to_string(), "filter.keep: 1e-5 is out of range: allowed 0.05 to 1");
        let e = Scenario::from_query("samples=1").unwrap_err();
        assert!(e.to_string().starts_with("samples: 1 is out of range"), "{e}");
    }

    #[test]
    fn non_finite_and_mistyped_values_are_rejected_by_name() {
        for bad in ["NaN", "inf", "-Infinity"] {
            let e = Scenario::from_query(&format!("temperature={bad}")).unwrap_err();
            assert_eq!(e.key, "temperature");
            assert!(e.message.contains("not a finite number"), "{e}");
        }
        let e = Scenario::from_json(r#"{"samples": "many"}"#).unwrap_err();
        assert_eq!(e.key, "samples");
        let e = Scenario::from_json(r#"{"samples": 2.5}"#).unwrap_err();
        assert_eq!(e.key, "samples");
        let e = Scenario::from_query("model=diffusion").unwrap_err();
        assert_eq!(e.key, "model");
        assert!(e.message.contains("gaussian"), "lists the variants: {e}");
        let e = Scenario::from_json("[1, 2]").unwrap_err();
        assert!(e.message.contains("JSON object"));
        let e = Scenario::from_json("{not json").unwrap_err();
        assert!(e.message.contains("not valid JSON"));
    }

    #[test]
    fn a_bad_share_link_keeps_every_valid_key_and_names_each_bad_one_in_plain_words() {
        let long = "x".repeat(10_000);
        let (s, problems) = Scenario::from_query_lenient(&format!(
            "model=tokens&samples=abc&top_p=0.8&seed=2.5&data=sometimes&bogus={long}&vocab=99999999"
        ));
        assert_eq!((s.model, s.top_p), (family("tokens"), 0.8), "the valid keys apply");
        assert_eq!(s.samples, 10_000, "a bad value falls back to the family's default");
        let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(text.len(), 5, "{text:?}");
        assert!(text.contains(&r#"samples: "abc" is not a whole number"#.to_string()), "{text:?}");
        assert!(
            text.contains(&"seed: 2.5 is not a whole number".to_string())
                || text.iter().any(|t| t.starts_with("seed: ")),
            "{text:?}"
        );
        assert!(text.contains(&"data: `sometimes` is not one of: replace, accumulate".to_string()), "{text:?}");
        assert!(text.iter().any(|t| t.starts_with("vocab: 99999999 is out of range")), "{text:?}");
        assert!(text.iter().all(|t| t.chars().count() < 500 && !t.contains("expected u32")), "{text:?}");
        // A clean link has no problems; a hopeless one falls back to the defaults.
        assert_eq!(Scenario::from_query_lenient("model=tokens&top_p=0.9").1, vec![]);
        let (s, problems) = Scenario::from_query_lenient("model=diffusion&samples=5");
        assert_eq!((s.model, s.samples), (FamilyKey::default(), 5));
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn malformed_share_links_are_errors_not_panics() {
        for q in ["samples=%ZZ", "samples", "=3", "filter=quality", "filter.kind.x=1", "%E2%28%A1=1"] {
            assert!(Scenario::from_query(q).is_err(), "{q} should be rejected");
        }
        // Percent-encoding and '+' decode before parsing.
        let s = Scenario::from_query("model=%74okens&seed=+7").unwrap();
        assert_eq!((s.model, s.seed), (family("tokens"), 7));
    }

    #[test]
    fn set_overrides_one_key_and_validates() {
        let s = Scenario::default().with_setting("filter.kind", "quality").unwrap();
        assert_eq!(s.filter.kind, FilterKind::Quality);
        let s = s.with_setting("samples", "1000").unwrap();
        assert_eq!(s.samples, 1000);
        assert!(s.with_setting("generations", "0").is_err());
    }

    #[test]
    fn missing_keys_take_the_named_model_defaults() {
        let s = Scenario::from_json(r#"{"model": "tokens", "top_p": 0.9}"#).unwrap();
        assert_eq!(s, Scenario { top_p: 0.9, ..Scenario::default_for(family("tokens")) });
        assert_eq!(s.samples, 10_000);
        assert_eq!(s.to_query(), "model=tokens&top_p=0.9");
        assert_eq!(Scenario::from_query("model=tokens&top_p=0.9").unwrap(), s);
        let text = Scenario::from_query("model=text").unwrap();
        assert_eq!(text, Scenario::default_for(family("text")));
        assert_eq!(text.to_query(), "model=text");
    }

    #[test]
    fn overrides_apply_before_the_model_defaults() {
        let sets = vec![("model".to_string(), "text".to_string())];
        assert_eq!(Scenario::from_json_with_settings("", &sets).unwrap(), Scenario::default_for(family("text")));
        let sets = vec![("samples".to_string(), "500".to_string())];
        let s = Scenario::from_json_with_settings(r#"{"model": "tokens"}"#, &sets).unwrap();
        assert_eq!((s.model, s.samples, s.generations), (family("tokens"), 500, 100));
        assert!(Scenario::from_json_with_settings("[]", &[]).is_err());
    }

    #[test]
    fn a_byte_order_mark_is_skipped_and_positional_objects_are_refused() {
        assert_eq!(Scenario::from_json("\u{feff}{\"samples\": 10}").unwrap().samples, 10);
        assert_eq!(Scenario::from_json_with_settings("\u{feff}{}", &[]).unwrap(), Scenario::default());
        let e = Scenario::from_json(r#"{"filter": ["quality", 0.3]}"#).unwrap_err();
        assert_eq!(e.key, "filter");
        assert!(e.message.contains("must be an object") && e.message.contains("not an array"), "{e}");
        let e = Scenario::from_json_with_settings(r#"{"filter": "quality"}"#, &[]).unwrap_err();
        assert_eq!(e.key, "filter");
        assert!(e.message.contains("kind, keep"), "{e}");
    }

    #[test]
    fn messages_quote_little_of_a_long_input() {
        let long = "q".repeat(10_000);
        for e in [
            Scenario::from_query(&format!("filter.kind={long}")).unwrap_err(),
            Scenario::from_json(&format!(r#"{{"samples": "{long}"}}"#)).unwrap_err(),
            Scenario::from_query(&format!("{long}=1")).unwrap_err(),
            Scenario::from_json(&format!(r#"{{"model": "{long}"}}"#)).unwrap_err(),
        ] {
            let text = e.to_string();
            assert!(!text.contains(&"q".repeat(MAX_ECHO + 1)), "{}", &text[..300.min(text.len())]);
            assert!(text.contains('…') || text.len() < 400, "{text}");
            assert_eq!(text.lines().count(), 1);
        }
    }

    #[test]
    fn every_range_row_names_a_real_key() {
        let keys = Scenario::keys();
        for r in RANGES {
            assert!(keys.iter().any(|k| k == r.key), "{} is not a key", r.key);
            assert!(r.min <= r.max);
        }
    }
}
