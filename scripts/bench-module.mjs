// How fast a build of the page's module re-simulates (a benchmark, not a test): the CPU time, in
// node, of what the page's simulation worker does for each family's defaults (`prepare`, `run`,
// `control` of the module's `Simulator`, loaded with `initSync` as the worker loads it), seeds 2
// onwards, the fastest of several seeds in rounds that alternate between the builds given, so
// that two builds (say two opt-levels) are compared under the same load.
// Usage: node scripts/bench-module.mjs [DIR...]   (each DIR holds collapse.js and
// collapse_bg.wasm, as scripts/build-web.sh writes www/pkg; default www/pkg)
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const ROOT = new URL("..", import.meta.url).pathname;
const dirs = (process.argv.length > 2 ? process.argv.slice(2) : [`${ROOT}www/pkg`]).map((d) => resolve(d));
const packed = readFileSync(`${ROOT}www/data/moby-dick.corpus`);
const FAMILIES = [
  ["gaussian", 60],
  ["tokens", 8],
  ["text", 8],
]; // [family, seeds per round]
const ROUNDS = 4;

const simulators = [];
for (const dir of dirs) {
  // A query string makes each build's glue a module of its own, with its own instance.
  const glue = await import(`${pathToFileURL(`${dir}/collapse.js`).href}?${simulators.length}`);
  glue.initSync({ module: readFileSync(`${dir}/collapse_bg.wasm`) });
  const simulator = new glue.Simulator();
  simulator.set_packed_corpus(packed);
  simulators.push(simulator);
}

const fastest = dirs.map(() => ({}));
for (let round = 0; round < ROUNDS; round++) {
  for (const [i, simulator] of simulators.entries()) {
    for (const [family, seeds] of FAMILIES) {
      for (let seed = 2; seed < 2 + seeds; seed++) {
        const start = process.cpuUsage();
        simulator.prepare(`model=${family}&seed=${seed}`);
        simulator.run(() => {});
        simulator.control();
        const used = process.cpuUsage(start);
        const ms = (used.user + used.system) / 1000;
        fastest[i][family] = Math.min(fastest[i][family] ?? Infinity, ms);
      }
    }
  }
}
for (const [i, dir] of dirs.entries()) {
  const times = FAMILIES.map(([family]) => `${family} ${fastest[i][family].toFixed(1)} ms`).join(", ");
  console.log(`${dir}: ${times}`);
}
