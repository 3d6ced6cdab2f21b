// Where the latent chapter loses an attribute: the attribute classifier's per-attribute accuracy on
// clean images, on their autoencoder reconstructions, and on the latent denoiser's decoded samples
// (training and held-out prompts, with and without guidance), from the shipped weights or a file.
//
// Also the latent denoiser's one-step guess x̂0 = (z_t − √(1−ᾱ)·ε̂)/√ᾱ from encoded training images
// noised to several t, decoded: with the true caption and with the empty one. If shape survives at
// small t but not at middle t, the denoiser has not learnt to draw a shape from the word; if it is
// lost at small t too, the latent is too fragile for the denoiser's precision.
//
//   npx tsx scripts/latent-diagnose.ts [weights.json] [--prompts 40] [--png dir] [--latent-only] [--probe-only]
import {mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {deflateSync} from "node:zlib";
import {useNodeWasm} from "../components/model/latent/node-wasm.js";
import {latentModelPath} from "../components/model/latent/shipped-key.js";
import {parseLatentWeights} from "../components/model/latent/weights-file.js";
import {LatentPipeline, networkSizes} from "../components/model/latent/pipeline.js";
import {accuracy, accuracyCounts, addAccuracy, meanAttributeAccuracy, type AccuracyCounts} from "../components/math/image-metrics.js";
import {IMAGE_SIDE, IMAGE_SIZE} from "../components/math/toy-images.js";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const fmt = (c: AccuracyCounts) => { const a = accuracy(c); return `mean ${meanAttributeAccuracy(c).toFixed(3)} | size ${a.size.toFixed(2)} colour ${a.colour.toFixed(2)} shape ${a.shape.toFixed(2)} position ${a.position.toFixed(2)} | all ${a.all.toFixed(2)}`; };

/** A grid of images (cols per row, scaled ×4) as a PNG file. */
export function writePng(path: string, pixels: Float32Array, cols: number): void {
  const n = pixels.length / IMAGE_SIZE, rows = Math.ceil(n / cols), s = 4, pad = 1;
  const W = cols * (IMAGE_SIDE * s + pad), H = rows * (IMAGE_SIDE * s + pad);
  const raw = Buffer.alloc(H * (W * 3 + 1), 40);
  for (let y = 0; y < H; ++y) raw[y * (W * 3 + 1)] = 0;
  for (let i = 0; i < n; ++i) {
    const ox = (i % cols) * (IMAGE_SIDE * s + pad), oy = Math.floor(i / cols) * (IMAGE_SIDE * s + pad);
    for (let y = 0; y < IMAGE_SIDE * s; ++y) for (let x = 0; x < IMAGE_SIDE * s; ++x) for (let c = 0; c < 3; ++c) {
      const v = pixels[i * IMAGE_SIZE + (Math.floor(y / s) * IMAGE_SIDE + Math.floor(x / s)) * 3 + c];
      raw[(oy + y) * (W * 3 + 1) + 1 + (ox + x) * 3 + c] = Math.round(255 * Math.min(1, Math.max(0, v)));
    }
  }
  const crcTable = Array.from({length: 256}, (_, k) => { let c = k; for (let j = 0; j < 8; ++j) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
  const crc = (b: Buffer) => { let c = 0xffffffff; for (const x of b) c = crcTable[(c ^ x) & 255] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type: string, data: Buffer) => { const len = Buffer.alloc(4); len.writeUInt32BE(data.length); const td = Buffer.concat([Buffer.from(type), data]); const c = Buffer.alloc(4); c.writeUInt32BE(crc(td)); return Buffer.concat([len, td, c]); };
  const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(W, 0); ihdr.writeUInt32BE(H, 4); ihdr[8] = 8; ihdr[9] = 2;
  writeFileSync(path, Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]));
}

await useNodeWasm();
const root = fileURLToPath(new URL("../", import.meta.url));
const file = process.argv.slice(2).find((a) => a.endsWith(".json")) ?? latentModelPath(root);
const p = LatentPipeline.fromWeights(parseLatentWeights(readFileSync(file, "utf8"), networkSizes));
const prompts = Number(arg("prompts", "40")), png = arg("png", "");
const r = await p.reconstruct(400, 11);
for (const [name, pixels] of [["clean images", r.original], ["reconstructions", r.reconstructed]] as const) {
  const read = await p.classifier.classify(pixels), counts = accuracyCounts();
  r.attributes.forEach((a, i) => addAccuracy(counts, a, [read[i]]));
  console.log(`classifier on ${name} (400, held-out included): ${fmt(counts)}`);
}
console.log(`reconstruction MSE on [0, 1]: ${r.mse.toFixed(5)}`);
if (png) {
  mkdirSync(png, {recursive: true});
  const both = new Float32Array(32 * IMAGE_SIZE);
  both.set(r.original.subarray(0, 16 * IMAGE_SIZE)); both.set(r.reconstructed.subarray(0, 16 * IMAGE_SIZE), 16 * IMAGE_SIZE);
  writePng(`${png}/reconstructions.png`, both, 16);
}
if (png) {
  const {idsOf} = await import("../components/math/tokenizer.js");
  const shapes = ["circle", "square", "triangle", "cross", "ring"];
  const all = new Float32Array(shapes.length * 8 * IMAGE_SIZE);
  for (const [k, s] of shapes.entries()) {
    const im = await p.sample("latent", idsOf(["large", "red", s, "left"]), {n: 8, steps: 20, guidance: 3, seed: 1});
    all.set(im.pixels, k * 8 * IMAGE_SIZE);
  }
  writePng(`${png}/latent-samples-by-shape.png`, all, 8);
}
{
  const {patchify} = await import("../components/math/patches.js");
  const {sampleImages} = await import("../components/math/toy-images.js");
  const {rngFromSeed} = await import("../components/math/random.js");
  const {idsOf, wordsOf} = await import("../components/math/tokenizer.js");
  const {EMPTY_CAPTION} = await import("../components/model/latent/diffusion.js");
  const set = sampleImages(200, rngFromSeed(12));
  const z0 = await p.autoencoder.encodeScaled(patchify(set.pixels, p.recipe.autoencoder.patch));
  const rng = rngFromSeed(13), gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const eps = Float64Array.from(z0, () => gauss());
  for (const t of [50, 150, 300, 500, 700, 900]) {
    const a = p.schedule.sqrtAlphaBar[t], s = p.schedule.sqrtOneMinusAlphaBar[t];
    const zt = Float64Array.from(z0, (v, i) => a * v + s * eps[i]);
    const line: string[] = [];
    for (const [name, captions] of [["caption", set.attributes.map((x) => idsOf(wordsOf(x)))], ["empty", set.attributes.map(() => EMPTY_CAPTION)]] as const) {
      const {eps: e} = await p.latent.predict(zt, t, captions);
      const x0 = Float64Array.from(zt, (v, i) => (v - s * e[i]) / a);
      let err = 0;
      for (let i = 0; i < x0.length; ++i) err += (x0[i] - z0[i]) ** 2;
      const read = await p.classifier.classify(await p.toPixels("latent", x0, set.n)), counts = accuracyCounts();
      set.attributes.forEach((x, i) => addAccuracy(counts, x, [read[i]]));
      line.push(`${name}: latent MSE ${(err / x0.length).toFixed(3)}, ${fmt(counts)}`);
    }
    console.log(`one-step x̂0 at t=${t} (√ᾱ=${a.toFixed(2)}): ${line.join("\n" + " ".repeat(32))}`);
  }
}
if (process.argv.includes("--probe-only")) process.exit(0);
for (const space of ["latent", "pixel"] as const) {
  if (process.argv.includes("--latent-only") && space === "pixel") continue;
  for (const w of [0, 3]) {
    const e = await p.evaluate(space, w, {prompts, perPrompt: 4});
    console.log(`${space} w=${w}: train ${fmt(e.train)}\n${" ".repeat(space.length + 5)}held-out ${fmt(e.heldOut)}; diversity ${e.diversity.toFixed(3)} (data ${e.dataDiversity.toFixed(3)})`);
  }
}
p.dispose();
