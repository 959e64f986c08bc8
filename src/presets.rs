//! The published settings, one click (and one URL) each. The list is data: a preset is a query
//! string over the ordinary scenario keys, so the page, the command line (`--preset`) and a
//! shared link all mean the same thing.

/// One preset; serialised as the page's `presets_json` lists it: `{"id", "title", "paper",
/// "description", "query"}`.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Preset {
    /// Short name, used on the command line.
    pub id: &'static str,
    pub title: &'static str,
    /// The paper it follows, or "" when it shows a mechanism the article names without one.
    pub paper: &'static str,
    /// One line for the reader.
    pub description: &'static str,
    /// The scenario, as a query string.
    pub query: &'static str,
}

pub const PRESETS: &[Preset] = &[
    Preset {
        id: "gaussian-refit",
        title: "Bell curve refit, M = 100",
        paper: "Shumailov et al., Nature 2024",
        description: "A bell curve refit to 100 of its own samples each generation: the spread drains away and the typical run collapses long before the average does.",
        query: "model=gaussian&samples=100&generations=300",
    },
    Preset {
        id: "sampling-bias",
        title: "Sampling bias λ = 0.7",
        paper: "Alemohammad et al., ICLR 2024",
        description: "Each model samples a little conservatively (variance × 0.7): outputs look typical, and diversity collapses geometrically.",
        query: "model=gaussian&samples=100&temperature=0.7&generations=50",
    },
    Preset {
        id: "fresh-data",
        title: "Fresh human data at 10%",
        paper: "Alemohammad et al., ICLR 2024 (the fresh-data loop)",
        description: "A tenth of each generation's words are fresh human text: diversity settles at a stable level instead of draining, though the rarest words still come and go.",
        query: "model=tokens&human_fraction=0.1&generations=200",
    },
    Preset {
        id: "accumulate",
        title: "Accumulate instead of replace",
        paper: "Gerstgrasser et al., 2024",
        description: "Keep every generation's data instead of replacing it: the error stays bounded, while replacing lets it grow.",
        query: "model=gaussian&samples=100&data=accumulate&generations=300",
    },
    Preset {
        id: "top-p",
        title: "Top-p 0.9 on a Zipf vocabulary",
        paper: "Dohmatob et al., ICML 2024",
        description: "Nucleus sampling cuts the long tail of rare words at the first generation; drift then narrows what is left.",
        query: "model=tokens&top_p=0.9",
    },
    Preset {
        id: "fixed-human-data",
        title: "A fixed human dataset, reused",
        paper: "Bertrand et al., ICLR 2024",
        description: "10% human data as in “Fresh human data at 10%”, but the same human sample every generation, as when a fixed real dataset is mixed with ever newer synthetic data: compare the two presets.",
        query: "model=tokens&human_fraction=0.1&generations=200&human_data=fixed",
    },
    Preset {
        id: "pooled-models",
        title: "Four models, different blind spots",
        paper: "",
        description: "Four models, each unable to produce its own fifth of the human word mass, train on their own output: each loses its blind spot at once, but the pool of all four (thick line) keeps far more words than any one of them. Raise “blind spots shared” and the advantage of mixing goes.",
        query: "model=tokens&model_count=4&blind_spot=0.2",
    },
    Preset {
        id: "contaminated-web",
        title: "A web that fills with AI text",
        paper: "",
        description: "The pipeline means to train on human text only, but most new text online is written by models that sample conservatively; a detector with 95% recall and 5% false positives filters it.",
        query: "model=gaussian&human_fraction=1&contamination_rate=0.8&temperature=0.7&detector_recall=0.95&detector_false_positive_rate=0.05&generations=60",
    },
];

/// The preset with this id.
pub fn find(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    #[test]
    fn every_preset_is_a_valid_scenario_with_a_unique_id() {
        for p in PRESETS {
            Scenario::from_query(p.query).unwrap_or_else(|e| panic!("{}: {e}", p.id));
            assert_eq!(PRESETS.iter().filter(|q| q.id == p.id).count(), 1);
            assert!(!p.title.is_empty() && !p.description.is_empty());
        }
        assert_eq!(find("top-p").unwrap().query, "model=tokens&top_p=0.9");
        assert!(find("nope").is_none());
    }

    #[test]
    fn the_published_settings_are_the_ones_named() {
        let s = |id: &str| Scenario::from_query(find(id).unwrap().query).unwrap();
        assert_eq!(s("gaussian-refit").samples, 100);
        assert_eq!(s("sampling-bias").temperature, 0.7);
        assert_eq!(s("fresh-data").human_fraction, 0.1);
        assert_eq!(s("accumulate").data, crate::scenario::DataRegime::Accumulate);
        assert_eq!(s("top-p").top_p, 0.9);
        assert!(s("pooled-models").model_count > 1);
        assert!(s("contaminated-web").contamination_rate > 0.0);
    }
}
