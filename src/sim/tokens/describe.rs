//! The word-frequency family's description of itself, for the registry ([`crate::families`]).

use std::sync::Arc;

use super::Tokens;
use crate::corpus::Corpus;
use crate::experiment::{Lineages, Simulation};
use crate::families::{pool_note, thousands, FamilyInfo, HumanText, MainView, MetricInfo};
use crate::scenario::Scenario;
use crate::sim::ModelSpec;

pub static FAMILY: FamilyInfo = FamilyInfo {
    key: "tokens",
    label: "Word frequencies",
    summary: "A categorical distribution over a Zipf vocabulary of real words, refit to N draws (Wright–Fisher drift): rare words vanish for good; top-p and temperature cut the tail at once.",
    default_samples: 10_000,
    default_generations: 100,
    human_text: HumanText::Labels,
    headline_metric: "surviving_types",
    metrics: &[
        MetricInfo {
            key: "entropy_bits",
            title: "Entropy (bits)",
            caption: "How unpredictable the next word is by the model's own reckoning: the lower, the more confident the model is in its own output, and the blander its text. Above the human level is not richer: the model is flatter than human text, using rare words nearly as often as common ones (the diversity filter does this).",
            log: false,
        },
        MetricInfo {
            key: "gini_simpson",
            title: "Diversity (Gini–Simpson)",
            caption: "The chance that two random words differ. Above the human level means flatter than human text, not closer to it.",
            log: false,
        },
        MetricInfo {
            key: "surviving_types",
            title: "Surviving words",
            caption: "How many words the model can still produce. A word that disappears never comes back unless human data brings it. The first drop is the sample: counting only a few thousand words misses most of the rarest ones, and the control loses as many; after that, the control holds steady while the run keeps losing words — that gap is the photocopy effect.",
            log: true,
        },
        MetricInfo {
            key: "tail_mass",
            title: "Tail mass",
            caption: "Probability on the rarer half of the human vocabulary.",
            log: false,
        },
        MetricInfo {
            key: "tv_to_human",
            title: "Distance to human (TV)",
            caption: "Total variation distance between the model's word frequencies and the human ones (0 = identical, 1 = disjoint). A model flatter than human text (entropy above the human level, as with the diversity filter) is far from it too: keeping every word alive is not keeping the frequencies.",
            log: false,
        },
        MetricInfo {
            key: "types_lost",
            title: "Words lost per generation",
            caption: "How many words vanished in this generation.",
            log: false,
        },
        MetricInfo {
            key: "human_cross_entropy_bits",
            title: "Error on human text (bits)",
            caption: "How surprised the model is by real human text: the average bits per human word under the model (cross-entropy; a word the model has lost gets the small chance of one extra count in its training set). The human level is the human entropy; above it, the model is wrong about human text, however confident it has become.",
            log: false,
        },
    ],
    confidence: Some(("entropy_bits", "human_cross_entropy_bits")),
    controls: &["top_p", "vocab", "zipf_exponent", "filter.kind", "filter.keep"],
    analysis_replicates: 4,
    band_replicates: 40,
    run_seconds,
    view_bytes,
    decode_view: crate::experiment::decode_view::<super::TokensView>,
    main_view: MainView::Chart,
    view_caption: caption,
    prepare,
};

fn caption(s: &Scenario, t: usize) -> String {
    if t == 0 {
        format!("Generation 0: the human word frequencies, a Zipf law over {} words (labelled with the words of Moby-Dick, most frequent first). Each generation counts {} words drawn from the previous model and uses those counts as its new frequencies.", thousands(s.vocab), thousands(s.samples))
    } else {
        format!("{}Dots: how often generation {t}'s model uses each word, placed by the word's rank in human text. Dashed blue: the human frequencies. Grey marks along the bottom: words the model can no longer produce. A word drawn zero times is gone for good, unless fresh human data brings it back. Most of generation 1's losses are the sample, not recursion: {} draws miss most of the rarest words whatever their source, and a model trained on fresh human data only (the control in the charts below) loses as many; the losses after that are the photocopy effect.", pool_note(s, t), thousands(s.samples))
    }
}

/// Every model shares the Zipf law and the labels (the human text's words, most frequent first,
/// when one is loaded); model k cannot generate the words of its blind spot
/// ([`Scenario::blind_spot_of`]). The pool is measured with the family itself, with no blind spot.
fn prepare(scenario: &Scenario, human: Option<&Arc<Corpus>>) -> Result<Box<dyn Simulation>, String> {
    let labels = human.map(|c| c.ranked_words()).unwrap_or(&[]);
    let family = Tokens::new(scenario, labels);
    let models = (0..scenario.model_count)
        .map(|k| ModelSpec {
            family: family.clone().with_blind_spot(&scenario.blind_spot_of(k)),
            bias: scenario.sampling_bias(),
        })
        .collect();
    Ok(Box::new(Lineages::new(scenario, models, family)))
}

/// A run in the page: each generation draws `samples` words and measures every type.
fn run_seconds(scenario: &Scenario) -> f64 {
    let per_model = 2e-5 + 4e-8 * scenario.samples as f64 + 6e-8 * scenario.vocab as f64;
    let models = scenario.model_count as f64 + if scenario.model_count > 1 { 1.0 } else { 0.0 };
    scenario.generations as f64 * models * per_model
}

/// Generation 0's view: a number for each word, and the (few) words named lost.
fn view_bytes(scenario: &Scenario) -> usize {
    8 * scenario.vocab as usize + 16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_say_above_the_human_level_is_flatter_and_the_confidence_pair_is_set() {
        let caption = |key: &str| FAMILY.metric(key).unwrap().caption;
        for key in ["entropy_bits", "gini_simpson", "tv_to_human"] {
            assert!(caption(key).contains("flatter than human text"), "{key}: {}", caption(key));
        }
        assert!(caption("entropy_bits").contains("diversity filter"));
        assert_eq!(FAMILY.confidence, Some(("entropy_bits", "human_cross_entropy_bits")));
        let keys: Vec<&str> = FAMILY.metrics.iter().map(|m| m.key).collect();
        assert_eq!(keys, super::super::METRICS);
    }
}
