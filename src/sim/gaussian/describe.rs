//! The bell-curve family's description of itself, for the registry ([`crate::families`]).

use std::sync::Arc;

use super::{Form, Gaussian};
use crate::corpus::Corpus;
use crate::experiment::{Lineages, Simulation};
use crate::families::{FamilyInfo, HumanText, MainView, MetricInfo};
use crate::scenario::Scenario;
use crate::sim::ModelSpec;

pub static FAMILY: FamilyInfo = FamilyInfo {
    key: "gaussian",
    label: "Bell curve",
    summary: "A normal distribution refit by maximum likelihood to M samples of its own (Shumailov et al., Nature 2024): the variance shrinks, the mean wanders, the tails go first.",
    default_samples: 100,
    default_generations: 100,
    human_text: HumanText::Unused,
    // The variance can shrink to nothing or, with a hot model, explode: the distance covers both.
    headline_metric: "w2_to_human",
    metrics: &[
        MetricInfo {
            key: "mean",
            title: "Mean",
            caption: "Where the fitted bell curve is centred. It wanders as sampling errors pile up.",
            log: false,
        },
        MetricInfo {
            key: "variance",
            title: "Variance (spread)",
            caption: "How wide the fitted curve is, on a log scale. With no fresh data it falls generation by generation, and a typical run falls faster than the average.",
            log: true,
        },
        MetricInfo {
            key: "w2_to_human",
            title: "Distance to human (W₂)",
            caption: "How far the model has drifted from the human distribution (2-Wasserstein distance, in standard deviations).",
            log: false,
        },
        MetricInfo {
            key: "tail_mass",
            title: "Tail mass",
            caption: "Probability of rare events: values far from the curve's own centre, beyond where the human distribution keeps its rarest 2%. It measures the curve's shape, wherever the curve has wandered, so it falls as the tails vanish.",
            log: false,
        },
        MetricInfo {
            key: "self_entropy_bits",
            title: "Model's own uncertainty (bits)",
            caption: "How unsure the fitted curve is about its own output (its entropy, in bits). It falls as the curve narrows: the model grows sure of itself.",
            log: false,
        },
        MetricInfo {
            key: "human_cross_entropy_bits",
            title: "Surprise at human data (bits)",
            caption: "How surprised the fitted curve is by real human data (cross-entropy, in bits; the sampling temperature is not part of the curve). It rises as the model narrows or drifts: confidently wrong.",
            log: false,
        },
    ],
    confidence: Some(("self_entropy_bits", "human_cross_entropy_bits")),
    controls: &["variance_estimator", "human", "filter.kind", "filter.keep"],
    analysis_replicates: 16,
    band_replicates: 500,
    run_seconds,
    view_bytes,
    decode_view: crate::experiment::decode_view::<super::GaussianView>,
    main_view: MainView::Chart,
    view_caption: caption,
    prepare,
};

fn caption(s: &Scenario, t: usize) -> String {
    let m = s.samples;
    if t == 0 {
        format!("Generation 0 is the human distribution: the orange curve, lying on the dashed blue human curve it will drift from. Bars: {m} human samples. Press Play: each generation fits a bell curve to {m} samples, then the next generation trains on samples from that fit.")
    } else if s.model_count > 1 {
        format!("Bars: {m} outputs of each of generation {t}'s {} models, pooled. Orange line: one bell curve fitted to the pool. Grey outline: the generation-0 sample. Dashed blue: the human distribution. Each model's own lineage is in the charts below.", s.model_count)
    } else {
        format!("Bars: the {m} samples generation {t} was trained on (blue: fresh human data, orange: made by generation {}'s model), stacked. Orange line: the curve fitted to them. Grey outline: the generation-0 sample. Dashed blue: the human distribution.", t - 1)
    }
}

/// Model k has its own form (a single normal, or a two-component mixture; see
/// [`Scenario::model_form`]) and its own blind spot ([`Scenario::blind_spot_of`]); the pool is
/// measured with a single normal that has none.
fn prepare(scenario: &Scenario, _human: Option<&Arc<Corpus>>) -> Result<Box<dyn Simulation>, String> {
    // The human distribution's constants (quantiles, the W2 cross term) are computed once.
    let base = Gaussian::new(scenario);
    let models = (0..scenario.model_count)
        .map(|k| {
            let form = if scenario.model_form(k).gaussian_mixture { Form::Mixture } else { Form::Single };
            let family = base.clone().with_form(form).with_blind_spot(&scenario.blind_spot_of(k));
            ModelSpec { family, bias: scenario.sampling_bias() }
        })
        .collect();
    Ok(Box::new(Lineages::new(scenario, models, base)))
}

/// Generation 0's view: two histograms and three curves, whatever the settings.
fn view_bytes(_: &Scenario) -> usize {
    8 * (2 * super::VIEW_BINS + 3 * super::CURVE_POINTS) + 16
}

/// A run in the page: the views draw each generation's samples (the statistics are exact); a
/// mixture-form model runs EM every generation.
fn run_seconds(scenario: &Scenario) -> f64 {
    let per_model = 4e-6 + 3e-8 * scenario.samples as f64;
    let mixture = if scenario.data == crate::scenario::DataRegime::Accumulate {
        1.2e-2
    } else {
        2e-3 + 1e-6 * scenario.samples as f64
    };
    let mixtures = (0..scenario.model_count).filter(|&k| scenario.model_form(k).gaussian_mixture).count() as f64;
    let models = scenario.model_count as f64 + if scenario.model_count > 1 { 1.0 } else { 0.0 };
    scenario.generations as f64 * (models * per_model + mixtures * mixture)
}
