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
        MetricInfo {
            key: "types",
            title: "Vocabulary",
            caption: "Distinct words the model can still produce. The first drop comes from learning from a sample instead of the whole book: the line \"fresh human data only\", a model trained every generation on a fresh sample of the book, drops as far. The photocopy effect is the gap below that line, widening generation by generation.",
            log: true,
        },
        MetricInfo {
            key: "type_token_ratio",
            title: "Type–token ratio",
            caption: "Distinct words per word of generated text: lower means more repetitive.",
            log: false,
        },
        MetricInfo {
            key: "distinct_2",
            title: "Distinct word pairs (share)",
            caption: "Share of distinct two-word sequences in generated text.",
            log: false,
        },
        MetricInfo {
            key: "rare_word_share",
            title: "Rare words still possible (share)",
            caption: "Share of the human text's rare words (seen once or twice) that the model can still produce. Most are lost at once, because a sample of the book holds few of them: the line \"fresh human data only\" falls as far. The photocopy effect is the gap below that line.",
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
            title: "Repeated phrases (share)",
            caption: "Share of four-word phrases in generated text that occur more than once.",
            log: false,
        },
        MetricInfo {
            key: "self_perplexity",
            title: "Perplexity on its own text",
            caption: "How surprised the model is by text it wrote itself. Falling means it grows sure of itself, even as it gets real text more wrong.",
            log: true,
        },
    ],
    confidence: Some(("self_perplexity", "heldout_perplexity")),
    controls: &["top_p", "ngram_order", "filter.kind", "filter.keep"],
    analysis_replicates: 1,
    band_replicates: 5,
    run_seconds,
    view_bytes,
    decode_view: crate::experiment::decode_view::<super::TextView>,
    main_view: MainView::Passages,
    view_caption: caption,
    prepare,
};

fn caption(s: &Scenario, t: usize) -> String {
    if t == 0 {
        format!("Generation 0 is human text: a real passage of the corpus. Highlighted: words that are rare in it (seen once or twice). Each generation trains a {}-word model on {} words written by the previous generation's model.", s.ngram_order, thousands(s.samples))
    } else {
        format!("{}Passages written by the models of successive generations, each starting with the same word. Highlighted: words that are rare in the human text. Generation 1 learns from {} words instead of the whole book, and that alone makes its first drop: the blue line in each chart below, \"fresh human data only\" (the same model trained every generation on {} fresh words of the book), drops about as far. The photocopy effect is the gap between this run and that line, and it widens generation by generation: watch rare words vanish and phrases repeat, as the few rare words that survive are drawn again and again, because chance, not the book, now decides what the shrunken vocabulary holds.", pool_note(s, t), thousands(s.samples), thousands(s.samples))
    }
}

/// Model k has its own n-gram order and its own blind spot; the pool is fitted and measured at the
/// scenario's own order and bias, with no blind spot (so the pool's generation 0 is the human row).
/// Fitting generation 0 to the book is the costly part: once per n-gram order, then each model
/// takes that fit.
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
        .map(|k| ModelSpec {
            family: fitted(&scenario.for_model(k)).with_blind_spot(&scenario.blind_spot_of(k)),
            bias: scenario.sampling_bias(),
        })
        .collect();
    let pool = fitted(scenario);
    Ok(Box::new(Lineages::new(scenario, models, pool)))
}

/// Generation 0's view: a passage of [`super::PASSAGE_TOKENS`] words (none lost yet).
fn view_bytes(_: &Scenario) -> usize {
    7 * super::PASSAGE_TOKENS + 16
}

/// A run in the page: each generation writes `samples` words and fits an n-gram model to them.
fn run_seconds(scenario: &Scenario) -> f64 {
    let per_model = 1e-3 + 1.5e-6 * scenario.samples as f64;
    let models = scenario.model_count as f64 + if scenario.model_count > 1 { 1.0 } else { 0.0 };
    0.05 + scenario.generations as f64 * models * per_model
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::FamilyKey;

    #[test]
    fn captions_attribute_the_first_drop_to_the_smaller_sample_and_name_the_control() {
        let s = Scenario::default_for(FamilyKey::named("text"));
        let later = caption(&s, 3);
        assert!(later.contains("20,000 words instead of the whole book"), "{later}");
        assert!(later.contains("\"fresh human data only\"") && later.contains("gap"), "{later}");
        assert!(!later.contains("part of its first drop"), "{later}");
        for key in ["types", "rare_word_share"] {
            let m = FAMILY.metric(key).unwrap();
            assert!(m.caption.contains("\"fresh human data only\"") && m.caption.contains("gap"), "{key}");
        }
        let own = FAMILY.metric("self_perplexity").unwrap();
        assert!(own.log && FAMILY.confidence == Some(("self_perplexity", "heldout_perplexity")));
    }
}
