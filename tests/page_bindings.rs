//! The page's controls and the scenario schema must agree: every `data-param` in
//! www/index.html is a scenario key, every slider's range lies inside the key's allowed range
//! (log-scale sliders hold log10 of the value), and every option of a select parses.

use collapse::scenario::Scenario;

fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(&tag[start..start + tag[start..].find('"')?])
}

#[test]
fn every_control_names_a_key_and_stays_in_range() {
    let html = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/www/index.html")).unwrap();
    let keys = Scenario::keys();
    let mut seen = 0;
    for (i, _) in html.match_indices("data-param=\"") {
        let open = html[..i].rfind('<').unwrap();
        let tag = &html[open..open + html[open..].find('>').unwrap()];
        let key = attribute(tag, "data-param").unwrap();
        assert!(keys.iter().any(|k| k == key), "{key} is not a scenario key");
        seen += 1;
        if let (Some(min), Some(max)) = (attribute(tag, "min"), attribute(tag, "max")) {
            let log = attribute(tag, "data-scale") == Some("log");
            let value = |s: &str| {
                let x: f64 = s.parse().unwrap();
                if log {
                    10f64.powf(x).round()
                } else {
                    x
                }
            };
            for end in [value(min), value(max)] {
                Scenario::default().with_setting(key, &end.to_string()).unwrap_or_else(|e| panic!("slider {key}: {e}"));
            }
        }
        if tag.starts_with("<select") {
            let close = open + html[open..].find("</select>").unwrap();
            for (j, _) in html[open..close].match_indices("<option value=\"") {
                let v = &html[open + j + 15..];
                let v = &v[..v.find('"').unwrap()];
                Scenario::default().with_setting(key, v).unwrap_or_else(|e| panic!("option {key}={v}: {e}"));
            }
        }
        if tag.contains("type=\"radio\"") {
            Scenario::default().with_setting(key, attribute(tag, "value").unwrap()).unwrap();
        }
    }
    assert!(seen >= 14, "found only {seen} controls");
}
