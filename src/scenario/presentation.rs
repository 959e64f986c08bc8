//! The presentation keys of the scenario: how the page shows a run (embedded, what is hidden, the
//! generation it opens at, whether it plays, its theme, the lesson chapter). The simulation
//! ignores them; they live in the one schema so that a share link, an embed link and a lesson
//! link are all the same kind of query string, validated the same way, and left out of the
//! canonical query at their defaults.

use std::fmt;

use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A part of the page that `hide` can hide.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Hidden {
    /// The settings panel (the player above the main chart stays).
    Controls,
    /// The row of published settings.
    Presets,
    /// The two on-demand analyses.
    Analyses,
    /// The numbers under the main chart.
    Numbers,
}

impl Hidden {
    pub const ALL: [Hidden; 4] = [Hidden::Controls, Hidden::Presets, Hidden::Analyses, Hidden::Numbers];

    pub fn as_str(self) -> &'static str {
        match self {
            Hidden::Controls => "controls",
            Hidden::Presets => "presets",
            Hidden::Analyses => "analyses",
            Hidden::Numbers => "numbers",
        }
    }

    fn parse(word: &str) -> Result<Hidden, String> {
        Hidden::ALL.into_iter().find(|h| h.as_str() == word).ok_or_else(|| {
            let names: Vec<&str> = Hidden::ALL.iter().map(|h| h.as_str()).collect();
            format!("`{word}` is not one of: {}", names.join(", "))
        })
    }
}

/// `hide`: a set of page parts, written as a comma list (`controls,numbers`) in a query and as
/// that string or an array of words in JSON. Kept sorted and without repeats, so equal sets have
/// one canonical text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HideList(Vec<Hidden>);

impl HideList {
    /// Parses a comma list; empty items are ignored.
    pub fn parse(text: &str) -> Result<HideList, String> {
        let words = text.split(',').map(str::trim).filter(|w| !w.is_empty());
        HideList::from_words(words)
    }

    fn from_words<'a>(words: impl Iterator<Item = &'a str>) -> Result<HideList, String> {
        let named = words.map(Hidden::parse).collect::<Result<Vec<_>, _>>()?;
        // In `ALL`'s order (the type's), once each: no sort to compile for four parts.
        Ok(HideList(Hidden::ALL.into_iter().filter(|h| named.contains(h)).collect()))
    }

    pub fn contains(&self, part: Hidden) -> bool {
        self.0.contains(&part)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for HideList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let words: Vec<&str> = self.0.iter().map(|h| h.as_str()).collect();
        f.write_str(&words.join(","))
    }
}

impl Serialize for HideList {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for HideList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Words;
        impl<'de> Visitor<'de> for Words {
            type Value = HideList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a comma list of: controls, presets, analyses, numbers")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<HideList, E> {
                HideList::parse(text).map_err(E::custom)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<HideList, A::Error> {
                let mut words = Vec::new();
                while let Some(word) = seq.next_element::<String>()? {
                    words.push(word);
                }
                HideList::from_words(words.iter().map(|w| w.trim())).map_err(de::Error::custom)
            }
        }
        deserializer.deserialize_any(Words)
    }
}

/// `theme`: the page's colours and sizes, the charts' included.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThemeChoice {
    /// Follow the reader's system setting (`prefers-color-scheme`): light or dark.
    #[default]
    Auto,
    Light,
    Dark,
    /// For a room: thicker lines, larger text, higher contrast, on white.
    Projector,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    #[test]
    fn hide_lists_are_canonical_and_name_a_bad_word() {
        let list = HideList::parse(" numbers,controls,,numbers").unwrap();
        assert_eq!(list.to_string(), "controls,numbers");
        assert!(list.contains(Hidden::Numbers) && !list.contains(Hidden::Presets));
        let e = Scenario::from_query("hide=controls,menus").unwrap_err();
        assert_eq!(e.to_string(), "hide: `menus` is not one of: controls, presets, analyses, numbers");
        let s = Scenario::from_json(r#"{"hide": ["presets", "analyses"]}"#).unwrap();
        assert_eq!(s.hide.to_string(), "presets,analyses");
    }

    #[test]
    fn presentation_keys_round_trip_and_are_left_out_at_their_defaults() {
        let q = "model=tokens&top_p=0.9&embed=1&hide=controls%2Cnumbers&gen=40&autoplay=1&theme=projector&lesson=3";
        let s = Scenario::from_query(q).unwrap();
        assert_eq!((s.embed, s.gen, s.autoplay, s.theme, s.lesson), (1, 40, 1, ThemeChoice::Projector, 3));
        assert_eq!(s.to_query(), q);
        assert_eq!(Scenario::from_query(&s.to_query()).unwrap(), s);
        let plain = Scenario::from_query("model=tokens&top_p=0.9&embed=0&hide=&theme=auto").err();
        assert!(plain.is_some_and(|e| e.key == "hide"), "an empty value is refused like any other");
        let s = Scenario::from_query("model=tokens&top_p=0.9&embed=0&theme=auto&gen=0&lesson=0").unwrap();
        assert_eq!(s.to_query(), "model=tokens&top_p=0.9");
    }

    #[test]
    fn presentation_keys_are_validated_with_clear_messages() {
        let e = Scenario::from_query("embed=2").unwrap_err();
        assert_eq!(e.to_string(), "embed: 2 is out of range: allowed 0 to 1");
        let e = Scenario::from_query("theme=neon").unwrap_err();
        assert_eq!(e.to_string(), "theme: `neon` is not one of: auto, light, dark, projector");
        let e = Scenario::from_query("generations=50&gen=60").unwrap_err();
        assert_eq!(e.to_string(), "gen: 60 is beyond the last generation (50)");
        let e = Scenario::from_query("lesson=9").unwrap_err();
        assert_eq!(e.to_string(), "lesson: 9 is out of range: allowed 0 to 8");
        // A share link keeps the rest when one presentation key is bad.
        let (s, problems) = Scenario::from_query_lenient("samples=50&gen=500&theme=dark");
        assert_eq!((s.samples, s.gen, s.theme), (50, 0, ThemeChoice::Dark));
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn presentation_keys_change_nothing_in_the_simulation() {
        let plain = Scenario::from_query("samples=20&generations=10").unwrap();
        let shown = Scenario::from_query("samples=20&generations=10&embed=1&gen=5&theme=dark&hide=numbers").unwrap();
        let run = |s: &Scenario| crate::experiment::Experiment::new(s, None).unwrap().run_with_views(0).run.metrics;
        assert_eq!(run(&plain), run(&shown));
    }
}
