// The Reverse process chapter's learned variance: a denoiser trained with Improved DDPM's hybrid loss
// (components/model/chapter-variance.ts) and what the page shows of it — Σθ against t for every step
// count and schedule of its chart, and DDPM's sample quality with each reverse variance on it.
//
// Training and measuring take minutes on tfjs's CPU backend in Node, so the result is cached in
// data/learned-variance/<key>.json, keyed by the recipe and the code of every module that shapes it
// (the shipped model's training code, the variance head and the measurements). A miss retrains
// (seeded: the same recipe gives the same file); commit the new file and remove the old one.
import {existsSync, mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {initBackend} from "../../components/model/backend.js";
import {varianceModelPath} from "../../components/model/chapter-variance-key.js";
import {trainVarianceModel, varianceReport} from "../../components/model/chapter-variance.js";
import {encodeVarianceModel} from "../../components/model/learned-variance.js";
import {VARIANCE_CHART} from "../../components/page/state/reverse.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const cached = varianceModelPath(root, VARIANCE_CHART);

if (!existsSync(cached)) {
  await initBackend("cpu");
  const {file, training} = await trainVarianceModel();
  const report = await varianceReport(file, training, VARIANCE_CHART);
  mkdirSync(`${root}data/learned-variance`, {recursive: true});
  writeFileSync(cached, JSON.stringify({report, model: JSON.parse(encodeVarianceModel(file))}));
  process.stderr.write(`trained the learned-variance model: ${cached} (commit it)\n`);
}
process.stdout.write(JSON.stringify(JSON.parse(readFileSync(cached, "utf8")).report));
