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
            caption: "How unpredictable the next word is. Less entropy, blander text.",
            log: false,
        },
        MetricInfo {
            key: "gini_simpson",
            title: "Diversity (Gini–Simpson)",
            caption: "The chance that two random words differ.",
            log: false,
        },
        MetricInfo {
            key: "surviving_types",
            title: "Surviving words",
            caption: "How many words the model can still produce. A word that disappears never comes back unless human data brings it.",
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
            caption: "Total variation distance between the model's word frequencies and the human ones (0 = identical, 1 = disjoint).",
            log: false,
        },
        MetricInfo {
            key: "types_lost",
            title: "Words lost per generation",
            caption: "How many words vanished in this generation.",
            log: false,
        },
    ],
    confidence: None,
    controls: &["top_p", "vocab", "zipf_exponent", "filter.kind", "filter.keep"],
    analysis_replicates: 4,
    main_view: MainView::Chart,
    view_caption: caption,
    prepare,
};

fn caption(s: &Scenario, t: usize) -> String {
    if t == 0 {
        format!("Generation 0: the human word frequencies, a Zipf law over {} words (labelled with the words of Moby-Dick, most frequent first). Each generation counts {} words drawn from the previous model and uses those counts as its new frequencies.", thousands(s.vocab), thousands(s.samples))
    } else {
        format!("{}Dots: how often generation {t}'s model uses each word, placed by the word's rank in human text. Dashed blue: the human frequencies. Grey marks along the bottom: words the model can no longer produce. A word drawn zero times is gone for good, unless fresh human data brings it back.", pool_note(s, t))
    }
}

/// Every model shares the Zipf law and the labels (the human text's words, most frequent first,
/// when one is loaded).
fn prepare(scenario: &Scenario, human: Option<&Arc<Corpus>>) -> Result<Box<dyn Simulation>, String> {
    let labels = human.map(|c| c.ranked_words()).unwrap_or(&[]);
    let family = Tokens::new(scenario, labels);
    let models = (0..scenario.model_count)
        .map(|_| ModelSpec { family: family.clone(), bias: scenario.sampling_bias() })
        .collect();
    Ok(Box::new(Lineages::new(scenario, models, family)))
}
