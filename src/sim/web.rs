//! A web that fills with AI text, and a provenance detector: how the scraped "human" share of a
//! training set is contaminated, and what the detector drops.

use crate::families::MetricInfo;
use crate::rng::SimRng;
use crate::sampling::binomial;
use crate::scenario::Scenario;

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
}

/// One model's scraped share after contamination and the detector.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scraped {
    /// Real human items kept.
    pub human: usize,
    /// Model-written items that passed the detector.
    pub contaminated: usize,
}

impl Web {
    /// The web of `scenario`, or `None` when it is clean and no detector runs.
    pub fn of(scenario: &Scenario) -> Option<Web> {
        web_active(scenario).then_some(Web {
            contamination_rate: scenario.contamination_rate,
            detector_recall: scenario.detector_recall,
            detector_false_positive_rate: scenario.detector_false_positive_rate,
        })
    }

    /// Scrapes `n` items at generation t: each is model text with the contaminated share; the
    /// detector then drops each model item it flags and each human item it wrongly flags
    /// (dropped items are not replaced, so false positives cost human data).
    pub fn scrape(&self, n: usize, generation: usize, rng: &mut SimRng) -> Scraped {
        let n_contaminated = binomial(n as u64, contaminated_share(self.contamination_rate, generation), rng) as usize;
        let human = binomial((n - n_contaminated) as u64, 1.0 - self.detector_false_positive_rate, rng) as usize;
        let contaminated = binomial(n_contaminated as u64, 1.0 - self.detector_recall, rng) as usize;
        Scraped { human, contaminated }
    }
}
