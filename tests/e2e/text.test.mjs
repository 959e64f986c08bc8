// The page end to end, text view: passages from the bundled corpus; a reader pastes their own
// text, runs several generations and reads the passages; bad text is refused with a message
// and the current view stays.

import assert from "node:assert/strict";
import { test } from "node:test";
import { RESULTS, numbers, openPage, scrub, statusMatches, useBrowser } from "./harness.mjs";

const shared = useBrowser();

const passages = (page) =>
  page.$$eval("#passages .passage", (els) => els.map((el) => ({ generation: Number(el.dataset.generation), text: el.querySelector("p").textContent, rare: el.querySelectorAll("mark").length })));

// A short original text: 40 sentences over a small vocabulary, some words used once.
function ownText() {
  const subjects = ["the keeper", "a gull", "the old boat", "my sister", "the tide", "a lantern", "the harbour cat", "our neighbour"];
  const verbs = ["watched", "followed", "ignored", "admired", "carried", "found"];
  const objects = ["the grey rocks", "a torn sail", "the quiet bay", "the morning fog", "a basket of apples", "the lighthouse"];
  const rare = ["unexpectedly", "with great ceremony", "beneath a violet sky", "for no reason at all"];
  const out = [];
  for (let i = 0; i < 40; i++) {
    const tail = i % 10 === 0 ? ` ${rare[(i / 10) % rare.length]}` : "";
    out.push(`${subjects[i % 8]} ${verbs[(i * 5) % 6]} ${objects[(i * 7) % 6]}${tail}.`);
  }
  return out.join(" ");
}

test("the text view shows human and generated passages from the same prompt word", async () => {
  const { page, problems, foreign } = await openPage(shared.browser, `${shared.server.base}?model=text&generations=6`);
  await scrub(page, 6);
  const shown = await passages(page);
  assert.deepEqual(shown.map((p) => p.generation), [0, 2, 4, 6]);
  for (const p of shown) assert.match(p.text, /^the\b/, `generation ${p.generation} starts with the prompt word`);
  assert.ok(shown[0].rare > 0, "the human passage has rare words highlighted");
  const last = await numbers(page);
  assert.ok(last.types < 5000 && last.rare_word_share < 0.2, JSON.stringify(last));
  assert.match(await page.textContent("#details"), /can no longer produce: [\d,]+ — /);
  await page.screenshot({ path: `${RESULTS}/text-moby-dick.png`, fullPage: true });
  assert.deepEqual(problems, []);
  assert.deepEqual(foreign, []);
  await page.close();
});

test("pasting a short text retrains on it; bad text is refused and the view stays", async () => {
  const { page, problems } = await openPage(shared.browser, `${shared.server.base}?model=text&samples=2000&generations=8`);
  await page.click(".own-text summary");
  await page.fill("#own-text", ownText());
  await page.click("#use-text");
  await statusMatches(page, /Retrained on your text/);
  await scrub(page, 8);
  const shown = await passages(page);
  assert.equal(shown.length, 4);
  const vocabulary = new Set(ownText().toLowerCase().match(/[a-z]+/g));
  for (const p of shown) {
    for (const word of p.text.toLowerCase().match(/[a-z]+/g)) assert.ok(vocabulary.has(word), `"${word}" comes from the pasted text`);
  }
  assert.match(await page.textContent("#corpus-summary"), /Your text \(pasted\)/);
  const before = await numbers(page);
  const beforePassages = await passages(page);

  for (const [bad, expected] of [
    ["", /empty/],
    ["only a few words here.", /too small|too few/],
  ]) {
    await page.fill("#own-text", bad);
    await page.click("#use-text");
    // The previous refusal may still be showing: wait for this one's.
    assert.match(await statusMatches(page, new RegExp(`was not used.*(${expected.source})`)), expected);
    assert.deepEqual(await numbers(page), before, "the numbers stay");
    assert.deepEqual(await passages(page), beforePassages, "the passages stay");
  }
  // A binary file dropped in by mistake.
  await page.setInputFiles("#own-file", { name: "photo.txt", mimeType: "text/plain", buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 0xff, 0xfe]) });
  assert.match(await statusMatches(page, /was not used.*(binary|UTF-8)/), /binary|UTF-8/);
  assert.deepEqual(await numbers(page), before);
  await page.screenshot({ path: `${RESULTS}/text-own.png`, fullPage: true });
  // Dropping a .txt file on the page retrains on it.
  const dropped = await page.evaluateHandle((text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], "dropped.txt", { type: "text/plain" }));
    return transfer;
  }, ownText().replace(/the keeper/g, "the ferryman"));
  await page.dispatchEvent("body", "dragover", { dataTransfer: dropped });
  await page.dispatchEvent("body", "drop", { dataTransfer: dropped });
  await statusMatches(page, /Retrained on your text \(/);
  assert.match(await page.textContent("#corpus-summary"), /Your text \(dropped\.txt\)/);
  assert.deepEqual(problems, []);
  await page.close();
});
