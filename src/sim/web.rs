//! A web that fills with AI text, and a provenance detector: how the scraped "human" share of a
//! training set is contaminated, and what the detector drops.

use crate::families::MetricInfo;
use crate::rng::SimRng;
use crate::sampling::{binomial, multinomial};
use crate::scenario::{DetectorMode, Scenario};

/// The loop's own metrics, reported when the web is contaminated or a detector runs: the share
/// of the generation's new training data that is really human, and its size (the detector's
/// drops shrink it).
pub const WEB_METRICS: &[&str] = &["real_human_share", "training_size"];

/// What the web metrics mean, for the page and the docs.
pub const WEB_METRIC_INFO: &[MetricInfo] = &[
    MetricInfo {
        key: "real_human_share",
        title: "Really human",
        caption: "Share of each generation's new training data that people actually wrote, after contamination and the detector.",
        log: false,
    },
    MetricInfo {
        key: "training_size",
        title: "Training data kept",
        caption: "Items in each generation's new training data after the detector dropped what it flagged.",
        log: false,
    },
];

/// The share of scraped web text written by models at generation t: the web starts human and
/// grows by its original size every generation; a share c of each generation's new content is
/// written by that generation's models; scraping samples the whole web. So at generation t the
/// web holds t - 1 generations of new content beside the original and the share is
/// c (t - 1) / t: 0 at generation 1, rising toward c, so humans still write (1 - c) of it.
pub fn contaminated_share(contamination_rate: f64, generation: usize) -> f64 {
    let t = generation.max(1) as f64;
    contamination_rate * (t - 1.0) / t
}

/// Whether the web is contaminated or a detector runs.
pub fn web_active(scenario: &Scenario) -> bool {
    scenario.contamination_rate > 0.0 || scenario.detector_recall > 0.0 || scenario.detector_false_positive_rate > 0.0
}

/// The web's settings, read once from the scenario.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Web {
    pub contamination_rate: f64,
    pub detector_recall: f64,
    pub detector_false_positive_rate: f64,
    pub detector_mode: DetectorMode,
}

/// One model's scraped share after contamination and the detector.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scraped {
    /// Real human items kept.
    pub human: usize,
    /// Model-written items that passed the detector.
    pub contaminated: usize,
}

/// How many generations' writers the web remembers exactly: the model text of an older
/// generation is drawn from the oldest writers kept. The budget keeps memory bounded for large
/// training sets (about `WEB_MEMORY_ITEMS` items' worth of models).
const WEB_MEMORY_ITEMS: f64 = 4e6;
const MAX_WEB_WRITERS: usize = 256;
const MIN_WEB_WRITERS: usize = 8;

impl Web {
    /// The web of `scenario`, or `None` when it is clean and no detector runs.
    pub fn of(scenario: &Scenario) -> Option<Web> {
        web_active(scenario).then_some(Web {
            contamination_rate: scenario.contamination_rate,
            detector_recall: scenario.detector_recall,
            detector_false_positive_rate: scenario.detector_false_positive_rate,
            detector_mode: scenario.detector_mode,
        })
    }

    /// How many past generations' writers a run of `models` models training on `samples` items
    /// keeps (see [`WEB_MEMORY_ITEMS`]): 256 for one model of up to 15,625 items, at least 8.
    pub fn writers_kept(samples: usize, models: usize) -> usize {
        ((WEB_MEMORY_ITEMS / (samples.max(1) * models.max(1)) as f64) as usize).clamp(MIN_WEB_WRITERS, MAX_WEB_WRITERS)
    }

    /// The probabilities that the detector keeps an item it flagged and one it did not, when
    /// model text makes up a share `share` of what is scraped. `drop` keeps no flagged item.
    /// `reweight` gives each item a weight proportional to the probability that it is human given
    /// the detector's verdict, P(human | flagged) or P(human | not flagged), and keeps it with
    /// probability weight / largest weight: rejection sampling from the web reweighted toward
    /// human text, so a flagged item counts, in expectation, with that lower weight. A perfect
    /// detector (recall 1, no false positives) makes both modes the same.
    pub fn keep_probabilities(&self, share: f64) -> (f64, f64) {
        match self.detector_mode {
            DetectorMode::Drop => (0.0, 1.0),
            DetectorMode::Reweight => {
                let (r, f) = (self.detector_recall, self.detector_false_positive_rate);
                let human = 1.0 - share;
                let p_human = |human_rate: f64, model_rate: f64| {
                    let total = human * human_rate + share * model_rate;
                    if total > 0.0 {
                        human * human_rate / total
                    } else {
                        1.0
                    }
                };
                let (flagged, unflagged) = (p_human(f, r), p_human(1.0 - f, 1.0 - r));
                let top = flagged.max(unflagged);
                if top > 0.0 {
                    (flagged / top, unflagged / top)
                } else {
                    (1.0, 1.0)
                }
            }
        }
    }

    /// Scrapes `n` items at generation t: each is model text with the contaminated share; the
    /// detector then flags each model item with probability `detector_recall` and each human item
    /// with `detector_false_positive_rate`, and keeps flagged and unflagged items with the
    /// probabilities of [`Web::keep_probabilities`]. Items it does not keep are not replaced, so
    /// false positives cost human data.
    pub fn scrape(&self, n: usize, generation: usize, rng: &mut SimRng) -> Scraped {
        let share = contaminated_share(self.contamination_rate, generation);
        let n_contaminated = binomial(n as u64, share, rng) as usize;
        let (keep_flagged, keep_unflagged) = self.keep_probabilities(share);
        // An item survives with probability P(flag) keep_flagged + P(no flag) keep_unflagged.
        let survive = |flag: f64| flag * keep_flagged + (1.0 - flag) * keep_unflagged;
        let human = binomial((n - n_contaminated) as u64, survive(self.detector_false_positive_rate), rng) as usize;
        let contaminated = binomial(n_contaminated as u64, survive(self.detector_recall), rng) as usize;
        Scraped { human, contaminated }
    }
}

/// Which generations wrote `count` items of model text scraped at generation `generation`:
/// every generation s = 1..t-1 added an equal increment to the web, so each item comes from a
/// generation chosen uniformly (`counts[s - 1]` items from generation s).
pub fn authors(count: usize, generation: usize, rng: &mut SimRng) -> Vec<u32> {
    let older = generation.saturating_sub(1).max(1);
    multinomial(count as u64, &vec![1.0 / older as f64; older], rng)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::replicate_rng;

    fn web(recall: f64, fpr: f64, mode: DetectorMode) -> Web {
        Web { contamination_rate: 0.5, detector_recall: recall, detector_false_positive_rate: fpr, detector_mode: mode }
    }

    #[test]
    fn reweighting_keeps_flagged_items_by_how_likely_they_are_human() {
        // Drop keeps nothing it flags.
        assert_eq!(web(0.9, 0.1, DetectorMode::Drop).keep_probabilities(0.3), (0.0, 1.0));
        // A perfect detector: reweighting is dropping.
        assert_eq!(web(1.0, 0.0, DetectorMode::Reweight).keep_probabilities(0.3), (0.0, 1.0));
        // A noisy one: P(human | flagged) = 0.7*0.1 / (0.7*0.1 + 0.3*0.9) = 0.2059;
        // P(human | not flagged) = 0.7*0.9 / (0.7*0.9 + 0.3*0.1) = 0.9545.
        let (flagged, unflagged) = web(0.9, 0.1, DetectorMode::Reweight).keep_probabilities(0.3);
        assert!((flagged - (0.07 / 0.34) / (0.63 / 0.66)).abs() < 1e-12 && unflagged == 1.0, "{flagged}");
        // A useless detector (flags as often either way) changes nothing.
        assert_eq!(web(0.3, 0.3, DetectorMode::Reweight).keep_probabilities(0.4), (1.0, 1.0));
    }

    #[test]
    fn every_earlier_generation_writes_an_equal_share_of_the_model_text() {
        let mut rng = replicate_rng(3, 0);
        let counts = authors(90_000, 10, &mut rng);
        assert_eq!(counts.len(), 9);
        assert_eq!(counts.iter().sum::<u32>(), 90_000);
        for &c in &counts {
            // Binomial(90000, 1/9): sd about 94.
            assert!((f64::from(c) - 10_000.0).abs() < 500.0, "{counts:?}");
        }
        assert_eq!(authors(5, 2, &mut rng), vec![5]);
        assert!(Web::writers_kept(100, 1) == 256 && Web::writers_kept(1_000_000, 8) == 8);
    }
}
