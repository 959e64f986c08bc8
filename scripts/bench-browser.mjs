// Runs www/bench.html in headless Chromium and prints its timings and the page's sizes.
// Usage: node scripts/bench-browser.mjs  (after scripts/build-web.sh and scripts/build-single.sh)
import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { launch, openPage, ROOT, serve } from "../tests/e2e/harness.mjs";

const server = await serve();
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(`${server.base}bench.html`);
  await page.waitForFunction(() => document.body.dataset.results, null, { timeout: 120000 });
  const results = JSON.parse(await page.evaluate(() => document.body.dataset.results));
  const size = (path) => {
    const bytes = readFileSync(`${ROOT}${path}`);
    return `${(bytes.length / 1024).toFixed(0)} KiB (${(gzipSync(bytes).length / 1024).toFixed(0)} KiB gzipped)`;
  };
  results.wasm_size = size("www/pkg/collapse_bg.wasm");
  results.single_file_size = size("dist/model-collapse-explorer.html");
  // Time to a ready page (module fetched, compiled, first simulation drawn).
  const t0 = Date.now();
  const { page: fresh } = await openPage(browser, server.base);
  results.page_ready_ms = Date.now() - t0;
  await fresh.close();
  console.log(JSON.stringify(results, null, 2));
} finally {
  await browser.close();
  server.stop();
}
