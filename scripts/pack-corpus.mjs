// Packs the bundled human text for the page: reads www/data/moby-dick.txt with the page's own
// module (www/pkg, so the form is the one its workers read) and writes its packed form
// (Corpus::to_packed, src/corpus.rs) to www/data/moby-dick.corpus. The page's workers read that
// in about a tenth of the time the text takes (no tokenising, hashing or ranking of its 215,000
// words). Run by scripts/build-web.sh after the module is built.
import { readFileSync, writeFileSync } from "node:fs";

const root = new URL("../", import.meta.url);
const { initSync, Simulator } = await import(new URL("www/pkg/collapse.js", root).href);
initSync({ module: readFileSync(new URL("www/pkg/collapse_bg.wasm", root)) });
const simulator = new Simulator();
const summary = simulator.set_corpus(readFileSync(new URL("www/data/moby-dick.txt", root)));
const packed = simulator.packed_corpus();
writeFileSync(new URL("www/data/moby-dick.corpus", root), packed);
console.error(`packed www/data/moby-dick.corpus: ${summary}, ${Math.round(packed.length / 1024)} KiB`);
