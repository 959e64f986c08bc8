//! The text family's description of itself, for the registry ([`crate::families`]).

use std::sync::Arc;

use super::Text;
use crate::corpus::Corpus;
use crate::experiment::{Lineages, Simulation};
use crate::families::{pool_note, thousands, FamilyInfo, HumanText, MainView, MetricInfo};
use crate::scenario::Scenario;
use crate::sim::ModelSpec;

pub static FAMILY: FamilyInfo = FamilyInfo {
    key: "text",
    label: "Text",
    summary: "A word n-gram language model trained on a human text, then on its own text: vocabulary, rare words and phrasing narrow; perplexity on real text rises; passages repeat.",
    default_samples: 20_000,
    default_generations: 20,
    human_text: HumanText::Required,
    headline_metric: "types",
    metrics: &[
        MetricInfo { key: "types", title: "Vocabulary", caption: "Distinct words the model can still produce.", log: true },
        MetricInfo {
            key: "type_token_ratio",
            title: "Type–token ratio",
            caption: "Distinct words per word of generated text: lower means more repetitive.",
            log: false,
        },
        MetricInfo {
            key: "distinct_2",
            title: "Distinct word pairs",
            caption: "Share of distinct two-word sequences in generated text.",
            log: false,
        },
        MetricInfo {
            key: "rare_word_share",
            title: "Rare words still possible",
            caption: "Share of the human text's rare words that the model can still produce.",
            log: false,
        },
        MetricInfo {
            key: "heldout_perplexity",
            title: "Perplexity on held-out human text",
            caption: "How surprised the model is by real text it never trained on. Rising means it forgets how people write.",
            log: true,
        },
        MetricInfo {
            key: "repeated_4gram_share",
            title: "Repeated phrases",
            caption: "Share of four-word phrases in generated text that occur more than once.",
            log: false,
        },
    ],
    confidence: None,
    controls: &["top_p", "ngram_order", "filter.kind", "filter.keep"],
    analysis_replicates: 1,
    main_view: MainView::Passages,
    view_caption: caption,
    prepare,
};

fn caption(s: &Scenario, t: usize) -> String {
    if t == 0 {
        format!("Generation 0 is human text: a real passage of the corpus. Highlighted: words that are rare in it (seen once or twice). Each generation trains a {}-word model on {} words written by the previous generation's model.", s.ngram_order, thousands(s.samples))
    } else {
        format!("{}Passages written by the models of successive generations, each starting with the same word. Highlighted: words that are rare in the human text. Generation 1 learns from {} words rather than the whole book, so part of its first drop is that smaller sample; every later drop is the photocopy effect. Watch rare words vanish and phrases repeat: the few rare words that survive are drawn again and again, because chance, not the book, now decides what the shrunken vocabulary holds.", pool_note(s, t), thousands(s.samples))
    }
}

/// Model k has its own n-gram order; the pool is fitted and measured at the scenario's own order
/// and bias (so the pool's generation 0 is the human row). Fitting generation 0 to the book is the
/// costly part: once per n-gram order, then each model takes that fit.
fn prepare(scenario: &Scenario, human: Option<&Arc<Corpus>>) -> Result<Box<dyn Simulation>, String> {
    let corpus = human.ok_or("the text model needs a human text (none is loaded)")?;
    let mut by_order: Vec<Text> = Vec::new();
    let mut fitted = |s: &Scenario| -> Text {
        let order = s.ngram_order.clamp(1, 3) as usize;
        let i = match by_order.iter().position(|t| t.order() == order) {
            Some(i) => i,
            None => {
                by_order.push(Text::new(s, Arc::clone(corpus)));
                by_order.len() - 1
            }
        };
        by_order[i].with_scenario(s)
    };
    let models = (0..scenario.model_count)
        .map(|k| ModelSpec { family: fitted(&scenario.for_model(k)), bias: scenario.sampling_bias() })
        .collect();
    let pool = fitted(scenario);
    Ok(Box::new(Lineages::new(scenario, models, pool)))
}
