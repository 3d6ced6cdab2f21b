// The prompt tokenizer: ids from the vocabulary, filler dropped, and refusals that say why and name the known words.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {tokenize, idsOf, wordsOf, knownWords, PAD, START, VOCAB, WORDS, MAX_TOKENS} from "../../components/math/tokenizer.js";
import {ATTRIBUTES} from "../../components/math/toy-images.js";

describe("tokenize", () => {
  it("maps a full caption to the start token and one id per attribute word, filler dropped", () => {
    const r = tokenize("a small red circle on the left");
    assert.ok(r.ok);
    assert.deepEqual(r.tokens.words, ["small", "red", "circle", "left"]);
    assert.deepEqual([...r.tokens.ids], [START, 2 + WORDS.indexOf("small"), 2 + WORDS.indexOf("red"), 2 + WORDS.indexOf("circle"), 2 + WORDS.indexOf("left")]);
    assert.deepEqual(r.tokens.attributes, {size: 0, colour: 0, shape: 0, position: 0});
  });

  it("accepts partial prompts, any case and punctuation, and pads the rest", () => {
    const r = tokenize("  Blue, RING! ");
    assert.ok(r.ok);
    assert.deepEqual(r.tokens.words, ["blue", "ring"]);
    assert.deepEqual([...r.tokens.ids.slice(3)], [PAD, PAD]);
    assert.deepEqual(r.tokens.attributes, {colour: 2, shape: 4});
  });

  it("refuses an unknown word with a message that quotes it and lists every known word", () => {
    const r = tokenize("a big red circle");
    assert.ok(!r.ok);
    assert.match(r.message, /“big” is not in the vocabulary/);
    for (const w of WORDS) assert.ok(r.message.includes(w), `message lacks ${w}`);
  });

  it("refuses an empty prompt and one of filler words only, naming the known words", () => {
    for (const prompt of ["", "   ", "a the on"]) {
      const r = tokenize(prompt);
      assert.ok(!r.ok, prompt);
      assert.match(r.message, /names nothing to draw/);
      assert.ok(r.message.includes(knownWords()));
    }
  });

  it("refuses two words for one attribute", () => {
    const r = tokenize("red blue circle");
    assert.ok(!r.ok);
    assert.match(r.message, /“red” and “blue” both give the colour/);
  });

  it("the vocabulary is the grammar's words plus start and padding; training captions round-trip", () => {
    assert.equal(VOCAB, 2 + ATTRIBUTES.reduce((n, a) => n + a.words.length, 0));
    assert.equal(MAX_TOKENS, 5);
    const a = {size: 1, colour: 3, shape: 2, position: 2};
    assert.deepEqual([...idsOf(wordsOf(a))], [...(tokenize("large yellow triangle top") as {ok: true; tokens: {ids: Int32Array}}).tokens.ids]);
  });
});
