//! The wasm-bindgen boundary, in headless Chromium (`cargo test --target wasm32-unknown-unknown
//! --test web`). The page relies on these behaviours: a query in, canonical query out; a bad
//! setting is an error message that leaves the run on screen as it was; the worker's messages
//! rebuild the run (older jobs' dropped); charts draw on a canvas, and the painter (the worker
//! that draws the main view) draws it on an OffscreenCanvas; the same seed gives the same numbers
//! as natively.
#![cfg(target_arch = "wasm32")]

use collapse::web::{Explorer, Painter, Simulator, PAGE_VIEW_BYTES};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageBitmap};

wasm_bindgen_test_configure!(run_in_browser);

fn canvas(width: u32, height: u32) -> HtmlCanvasElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: HtmlCanvasElement = document.create_element("canvas").unwrap().dyn_into().unwrap();
    canvas.set_width(width);
    canvas.set_height(height);
    document.body().unwrap().append_child(&canvas).unwrap();
    canvas
}

/// What the page's worker sends for the explorer's latest settings: the streamed run, then the
/// control (and the band of `band` runs when asked).
fn messages(explorer: &Explorer, band: u32) -> Vec<Vec<u8>> {
    let mut simulator = Simulator::new();
    simulator.prepare(&explorer.query()).unwrap();
    let mut messages = Vec::new();
    simulator.run_with(&mut |bytes| messages.push(bytes)).unwrap();
    messages.push(simulator.control().unwrap());
    if band > 0 {
        simulator.band_start(band).unwrap();
        while !simulator.band_step().unwrap() {}
        messages.push(simulator.band().unwrap());
    }
    messages
}

/// Delivers the worker's messages for the latest settings.
fn feed(explorer: &mut Explorer) {
    let job = explorer.job();
    for m in messages(explorer, 0) {
        explorer.receive(job, &m).unwrap();
    }
}

fn simulated(query: &str) -> Explorer {
    let mut explorer = Explorer::new(query).unwrap();
    feed(&mut explorer);
    explorer
}

/// The painter as the page feeds it: told of the explorer's latest job, then handed its messages.
fn painter_of(explorer: &Explorer) -> Painter {
    let mut painter = Painter::new();
    painter.begin(explorer.job(), &explorer.query()).unwrap();
    for m in messages(explorer, 0) {
        painter.receive(explorer.job(), &m).unwrap();
    }
    painter
}

/// The RGBA pixels of a painted picture, as the page puts it on its canvas.
fn pixels(bitmap: &ImageBitmap) -> Vec<u8> {
    let (w, h) = (bitmap.width(), bitmap.height());
    let context: CanvasRenderingContext2d = canvas(w, h).get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    context.draw_image_with_image_bitmap(bitmap, 0.0, 0.0).unwrap();
    context.get_image_data(0.0, 0.0, f64::from(w), f64::from(h)).unwrap().data().0
}

/// Pixels far from white (a blank picture has none).
fn inked(pixels: &[u8]) -> usize {
    pixels.chunks(4).filter(|p| u32::from(p[0]) + u32::from(p[1]) + u32::from(p[2]) < 600).count()
}

fn values(explorer: &Explorer, t: u32) -> serde_json::Value {
    serde_json::from_str(&explorer.values_json(t)).unwrap()
}

#[wasm_bindgen_test]
fn same_numbers_as_native_for_the_same_seed() {
    // The values pinned natively in tests/value_stability.rs.
    let explorer = simulated("");
    // Re-pinned with tests/value_stability.rs when the loop began drawing statistics directly.
    let pinned = [1.0, 1.021984207637788, 1.1457664636141507, 0.912734620794136];
    for (t, want) in pinned.iter().enumerate() {
        let got = values(&explorer, t as u32)["metrics"]["variance"].as_f64().unwrap();
        assert!((got - want).abs() < 1e-12, "generation {t}: {got} vs {want}");
    }
}

#[wasm_bindgen_test]
fn settings_return_the_canonical_query_and_errors_change_nothing() {
    let mut explorer = simulated("samples=50");
    assert_eq!(explorer.set("human_fraction", "0.3").unwrap(), "samples=50&human_fraction=0.3");
    feed(&mut explorer);
    let before = explorer.values_json(7);
    let err = explorer.set("human_fraction", "NaN").unwrap_err().as_string().unwrap();
    assert!(err.contains("human_fraction") && err.contains("finite"), "{err}");
    let err = explorer.set("temperature", "9").unwrap_err().as_string().unwrap();
    assert_eq!(err, "temperature: 9 is out of range: allowed 0.05 to 5");
    let err = explorer.set_query("samples=10&bogus=1").unwrap_err().as_string().unwrap();
    assert!(err.starts_with("bogus: unknown key"), "{err}");
    assert_eq!(explorer.query(), "samples=50&human_fraction=0.3");
    assert_eq!(explorer.values_json(7), before);
    assert!(Explorer::new("samples=%zz").is_err());
}

#[wasm_bindgen_test]
fn the_human_fraction_changes_the_numbers() {
    let mut explorer = simulated("");
    let last = explorer.generations();
    let pure = values(&explorer, last)["metrics"]["variance"].as_f64().unwrap();
    explorer.set("human_fraction", "0.5").unwrap();
    feed(&mut explorer);
    let mixed = values(&explorer, last)["metrics"]["variance"].as_f64().unwrap();
    assert_ne!(pure, mixed);
    // Theory applies only without fresh data.
    assert!(values(&explorer, last)["theory"].as_object().unwrap().is_empty());
}

fn metric_keys(explorer: &Explorer) -> Vec<String> {
    let metrics: serde_json::Value = serde_json::from_str(&explorer.metrics_json()).unwrap();
    metrics.as_array().unwrap().iter().map(|m| m["key"].as_str().unwrap().to_string()).collect()
}

#[wasm_bindgen_test]
fn every_view_and_metric_draws_on_a_canvas() {
    for query in ["", "human=heavy_tailed", "model=tokens&vocab=500&samples=2000&generations=10"] {
        let explorer = simulated(query);
        let mut painter = painter_of(&explorer);
        for t in [0, 1, explorer.generations()] {
            let bitmap = painter.paint(explorer.job(), t, 800, 400, 2.0).unwrap();
            assert_eq!((bitmap.width(), bitmap.height()), (800, 400));
            assert!(inked(&pixels(&bitmap)) > 5000, "{query}: generation {t} is drawn");
            // Small views: the page draws them too.
            assert!(explorer.draws_view());
            explorer.draw_view(canvas(800, 400), t, 2.0).unwrap();
            assert!(!explorer.view_caption(t).is_empty());
        }
        for name in metric_keys(&explorer) {
            explorer.draw_metric(canvas(400, 250), &name, 3, 1.0).unwrap();
        }
        assert!(explorer.draw_metric(canvas(10, 10), "nope", 0, 1.0).is_err());
    }
}

#[wasm_bindgen_test]
fn the_page_learns_the_families_from_rust() {
    let families: serde_json::Value = serde_json::from_str(&Explorer::families_json()).unwrap();
    let keys: Vec<&str> = families.as_array().unwrap().iter().map(|f| f["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["gaussian", "tokens", "text"]);
    let text = &families[2];
    assert_eq!((text["requires_corpus"].as_bool(), text["main_view"].as_str()), (Some(true), Some("passages")));
    assert!(text["controls"].as_array().unwrap().iter().any(|c| c == "ngram_order"));
    // The metrics of the run, with their captions, axes and the labels of their dashed curves.
    let explorer = simulated("");
    let metrics: serde_json::Value = serde_json::from_str(&explorer.metrics_json()).unwrap();
    let variance = metrics.as_array().unwrap().iter().find(|m| m["key"] == "variance").unwrap();
    assert_eq!(variance["log"], true);
    assert!(variance["caption"].as_str().unwrap().contains("log scale"));
    assert!(!variance["theory"].as_array().unwrap().is_empty());
}

#[wasm_bindgen_test]
fn switching_family_uses_that_family_defaults() {
    let mut explorer = simulated("");
    let q = explorer.set_query(&Explorer::default_query("tokens").unwrap()).unwrap();
    assert_eq!(q, "model=tokens");
    feed(&mut explorer);
    assert!(metric_keys(&explorer).contains(&"surviving_types".to_string()));
    let painter = painter_of(&explorer);
    let details: serde_json::Value = serde_json::from_str(&painter.details_json(explorer.job(), 3).unwrap()).unwrap();
    assert!(details["surviving"].as_u64().unwrap() > 0);
    assert!(painter.details_json(explorer.job() + 1, 3).is_err(), "a job the painter was not told of");
    // A family that trains on the human text refuses to start without it.
    let err = Simulator::new().prepare("model=text").unwrap_err().as_string().unwrap();
    assert!(err.contains("human text"), "{err}");
}

#[wasm_bindgen_test]
fn the_run_on_screen_stays_until_the_new_one_arrives_and_old_jobs_are_dropped() {
    let mut explorer = simulated("generations=20");
    let old_job = explorer.job();
    let old = messages(&explorer, 0);
    let before = explorer.values_json(20);
    explorer.set("samples", "30").unwrap();
    assert!(!explorer.current());
    // The old job's messages are dropped; the old run stays on screen.
    assert_eq!(explorer.receive(old_job, &old[1]).unwrap(), "stale");
    assert_eq!(explorer.values_json(20), before);
    // The new run replaces it from its generation 0, then fills in generation by generation.
    let new = messages(&explorer, 3);
    let job = explorer.job();
    assert_eq!(explorer.receive(job, &new[0]).unwrap(), "start");
    assert_eq!(explorer.values_json(20), before);
    assert_eq!(explorer.receive(job, &new[1]).unwrap(), "first");
    assert!(explorer.current());
    assert_eq!(explorer.computed(), 0);
    assert_eq!(explorer.generations(), 20);
    explorer.draw_metric(canvas(300, 200), "variance", 0, 1.0).unwrap();
    for m in &new[2..] {
        explorer.receive(job, m).unwrap();
    }
    assert_eq!(explorer.computed(), 20);
    let band = &values(&explorer, 20)["band"]["variance"];
    let [lo, median, hi] = [0, 1, 2].map(|i| band[i].as_f64().unwrap());
    assert!(lo <= median && median <= hi, "{band}");
    let progress: serde_json::Value = serde_json::from_str(&explorer.progress_json()).unwrap();
    assert_eq!(progress, serde_json::json!({ "complete": true, "control": true, "band": 3, "planned": 3 }));
    let metrics: serde_json::Value = serde_json::from_str(&explorer.metrics_json()).unwrap();
    assert!(metrics[1]["caption"].as_str().unwrap().contains("3 runs"), "{}", metrics[1]["caption"]);
    // A garbled message is an error, not a panic.
    assert!(explorer.receive(job, &[255, 1, 2]).is_err());
}

#[wasm_bindgen_test]
fn presets_and_analyses_cross_the_boundary() {
    let presets: serde_json::Value = serde_json::from_str(&Explorer::presets_json()).unwrap();
    let list = presets.as_array().unwrap();
    assert!(list.len() >= 7);
    let mut explorer = Explorer::new("samples=20&generations=30").unwrap();
    for p in list {
        let query = p["query"].as_str().unwrap();
        if !query.contains("model=text") && !query.contains("model=tokens") {
            explorer.set_query(query).unwrap();
        }
    }
    explorer.set_query("samples=20&generations=10").unwrap();
    feed(&mut explorer);
    let before = explorer.values_json(10);
    // The page's analysis, cell by cell in the worker; the same cells natively give the same
    // numbers (tests/cli.rs).
    explorer.draw_analysis(canvas(500, 300), "stops", 2.0).unwrap();
    let mut simulator = Simulator::new();
    simulator.prepare(&explorer.query()).unwrap();
    assert!(simulator.analysis_step("stops").is_err(), "not started");
    let plan: serde_json::Value = serde_json::from_str(&simulator.analysis_start("stops").unwrap()).unwrap();
    let total = plan["total"].as_u64().unwrap();
    for i in 1..=total {
        let step: serde_json::Value = serde_json::from_str(&simulator.analysis_step("stops").unwrap()).unwrap();
        assert_eq!((step["completed"].as_u64(), step["done"].as_bool()), (Some(i), Some(i == total)));
        explorer.set_analysis(explorer.job(), "stops", &simulator.analysis_chart("stops").unwrap()).unwrap();
        explorer.draw_analysis(canvas(500, 300), "stops", 2.0).unwrap();
    }
    assert_eq!(explorer.values_json(10), before, "an analysis changes nothing on screen");
    assert!(simulator.analysis_start("sweep").is_err());
    // A change of settings drops the analysis, and an older job's chart is not taken.
    let old_job = explorer.job();
    explorer.set("model_count", "3").unwrap();
    explorer.set_analysis(old_job, "stops", &simulator.analysis_chart("stops").unwrap()).unwrap();
    feed(&mut explorer);
    for name in metric_keys(&explorer) {
        explorer.draw_metric(canvas(400, 250), &name, 5, 1.0).unwrap();
    }
}

#[wasm_bindgen_test]
fn charts_draw_in_every_theme_and_analyses_expose_their_numbers() {
    let explorer = simulated("generations=5");
    let mut painter = painter_of(&explorer);
    let mut corners = Vec::new();
    for look in ["dark", "projector", "light"] {
        Explorer::set_theme(look).unwrap();
        corners.push(pixels(&painter.paint(explorer.job(), 2, 600, 300, 1.0).unwrap())[..3].to_vec());
        explorer.draw_metric(canvas(400, 250), "variance", 2, 1.0).unwrap();
    }
    assert!(corners[0].iter().all(|&c| c < 60), "the dark look's background: {:?}", corners[0]);
    assert_eq!(corners[2], [255, 255, 255], "the light look's");
    assert!(Explorer::set_theme("neon").unwrap_err().as_string().unwrap().contains("light, dark, projector"));
    let chart: serde_json::Value = serde_json::from_str(&explorer.analysis_chart_json("stops").unwrap()).unwrap();
    assert!(chart["title"].as_str().unwrap().contains("press Compute"));
    assert!(chart["lines"].as_array().unwrap().is_empty());
    assert!(explorer.analysis_chart_json("nope").is_err());
}

#[wasm_bindgen_test]
fn every_chart_draws_as_a_standalone_svg_in_the_theme() {
    let explorer = simulated("model=tokens&generations=6");
    let measure = canvas(10, 10);
    let header = |w: u32, h: u32| {
        format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">")
    };
    let view = painter_of(&explorer).svg_view(explorer.job(), 3, 640, 320).unwrap();
    assert!(view.contains(&header(640, 320)) && view.trim_end().ends_with("</svg>"));
    assert!(view.contains(">rank of the word in human text (1 = most frequent)</text>"));
    assert!(view.contains(">model of generation 3</text>"), "the legend");
    assert!(view.contains("<circle"), "the model's dots");
    for name in metric_keys(&explorer) {
        let svg = explorer.svg_metric(&measure, &name, 2, 400, 250).unwrap();
        assert!(svg.contains(&header(400, 250)) && svg.contains(">generation</text>"), "{name}");
    }
    assert!(explorer.svg_metric(&measure, "nope", 0, 400, 250).is_err());
    let confidence = explorer.svg_confidence(&measure, 2, 420, 260).unwrap();
    assert!(confidence.contains(">Confidently wrong</text>"));
    assert!(explorer.svg_analysis(&measure, "mixing", 500, 300).unwrap().contains("press Compute"));
    Explorer::set_theme("dark").unwrap();
    let dark = explorer.svg_metric(&measure, "entropy_bits", 2, 400, 250).unwrap();
    Explorer::set_theme("light").unwrap();
    assert!(dark.contains("fill=\"#181A1F\""), "the dark background");
}

#[wasm_bindgen_test]
fn the_painter_keeps_the_job_on_screen_and_the_newest_only() {
    let mut explorer = simulated("generations=4");
    let mut painter = painter_of(&explorer);
    let old_job = explorer.job();
    explorer.set("samples", "30").unwrap();
    let job = explorer.job();
    painter.begin(job, &explorer.query()).unwrap();
    // The old run is drawn until the new one is asked for; the new one once its messages came.
    assert!(painter.paint(old_job, 4, 300, 200, 1.0).is_ok());
    assert!(painter.paint(job, 0, 300, 200, 1.0).is_err(), "nothing of the new run yet");
    for m in messages(&explorer, 0) {
        painter.receive(job, &m).unwrap();
    }
    let new = pixels(&painter.paint(job, 4, 300, 200, 1.0).unwrap());
    assert!(painter.paint(old_job, 4, 300, 200, 1.0).is_err(), "asking for the new job dropped the old");
    // Later generations than arrived show the last one; messages of unknown jobs are ignored; a
    // garbled message is an error, not a panic.
    assert_eq!(pixels(&painter.paint(job, 99, 300, 200, 1.0).unwrap()), new);
    painter.receive(old_job, &[1, 2, 3]).unwrap();
    assert!(painter.receive(job, &[255, 1, 2]).is_err());
    // A run of small views on screen (the page draws it): the painter holds nothing.
    painter.clear();
    assert!(painter.paint(job, 4, 300, 200, 1.0).is_err());
    assert!(painter.begin(job + 1, "samples=nope").is_err());
}

#[wasm_bindgen_test]
fn the_page_keeps_small_views_and_leaves_big_ones_to_the_painter() {
    // 8 bytes a word: 40,000 words are over the page's limit, the default 10,000 under it.
    assert!(8 * 10_000 < PAGE_VIEW_BYTES && PAGE_VIEW_BYTES < 8 * 40_000);
    let small = simulated("model=tokens&samples=2000&generations=2");
    assert!(small.draws_view());
    let big = simulated("model=tokens&vocab=40000&samples=2000&generations=2");
    assert!(!big.draws_view(), "the painter draws it");
    assert!(big.draw_view(canvas(300, 200), 1, 1.0).is_err());
    let painter = painter_of(&big);
    assert!(painter.details_json(big.job(), 2).unwrap().contains("lost_words"));
    // Its numbers are all on the page.
    assert_eq!(big.computed(), 2);
    assert!(values(&big, 2)["metrics"]["surviving_types"].as_f64().unwrap() > 0.0);
}

#[wasm_bindgen_test]
fn a_worker_given_the_packed_text_computes_what_the_reader_of_the_text_computes() {
    // A small text of varied sentences: 400 sentences of 12 words from a 60-word vocabulary.
    let words: Vec<String> =
        (0..60).map(|i| format!("w{}", (b'a' + (i % 26) as u8) as char).repeat(1 + i / 26)).collect();
    let text: String = (0..400)
        .map(|s| (0..12).map(|k| words[(s * 7 + k * k * 3) % 60].as_str()).collect::<Vec<_>>().join(" ") + ".\n")
        .collect();
    let run = |simulator: &mut Simulator| {
        simulator.prepare("model=text&generations=4&samples=2000").unwrap();
        let mut messages = Vec::new();
        simulator.run_with(&mut |bytes| messages.push(bytes)).unwrap();
        messages.push(simulator.control().unwrap());
        messages
    };
    let mut reader = Simulator::new();
    let summary = reader.set_corpus(text.as_bytes()).unwrap();
    assert!(summary.starts_with("4,800 words, "), "{summary}");
    let mut taker = Simulator::new();
    assert_eq!(taker.set_packed_corpus(&reader.packed_corpus().unwrap()).unwrap(), summary);
    assert_eq!(run(&mut taker), run(&mut reader));
    // Not the packed form: an error, and the text it had stays.
    let err = taker.set_packed_corpus(text.as_bytes()).unwrap_err().as_string().unwrap();
    assert!(err.contains("not a packed corpus"), "{err}");
    assert_eq!(run(&mut taker), run(&mut reader));
    assert!(Simulator::new().packed_corpus().is_err(), "no text, nothing to pack");
}
