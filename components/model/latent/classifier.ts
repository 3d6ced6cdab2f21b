// The yardstick of the latent-diffusion chapter: a small classifier trained on clean images that
// reads a generated image's size, colour, shape and position. Prompt accuracy is how often its
// reading agrees with what the prompt asked for. It is trained on every combination, the held-out
// ones included: it measures, it does not generate, so it must read those images correctly too.
import * as tf from "../../vendor/tfjs.js";
import {ATTRIBUTES, IMAGE_SIZE, type Attributes} from "../../math/toy-images.js";
import {dense, denseSpecs, type ParamSpec, type Params} from "./layers.js";
import type {ParamSnapshot} from "./param-set.js";
import type {TrainingPlan} from "./recipe.js";
import {Trainable} from "./trainable.js";

/** Classes per attribute, in ATTRIBUTES order, and where each attribute's logits start. */
const COUNTS = ATTRIBUTES.map((a) => a.words.length);
const OFFSETS = COUNTS.map((_, i) => COUNTS.slice(0, i).reduce((a, b) => a + b, 0));
const CLASSES = COUNTS.reduce((a, b) => a + b, 0);

/** A two-layer perceptron on all 768 pixel values with one softmax head per attribute. */
export function classifierSpecs(hidden: number): ParamSpec[] {
  return [...denseSpecs("cls.1", IMAGE_SIZE, hidden), ...denseSpecs("cls.2", hidden, CLASSES)];
}

function logits(p: Params, x: tf.Tensor2D): tf.Tensor2D {
  return dense(p, "cls.2", tf.relu(dense(p, "cls.1", x))) as tf.Tensor2D;
}

export interface ClassifierOptions {
  hidden: number;
  plan: TrainingPlan;
  seed: number;
  /** Training images [n, IMAGE_SIZE] on [0, 1] and their attributes. */
  data?: {pixels: Float32Array; attributes: readonly Attributes[]};
  state?: ParamSnapshot | Float32Array;
}

export class AttributeClassifier extends Trainable {
  private x: tf.Tensor2D | null = null;
  private y: tf.Tensor2D | null = null;
  private n = 0;

  constructor(o: ClassifierOptions) {
    super(classifierSpecs(o.hidden), o.plan, o.seed, o.state);
    if (o.data) {
      this.n = o.data.attributes.length;
      this.x = tf.tidy(() => tf.sub(tf.mul(tf.tensor2d(o.data!.pixels, [this.n, IMAGE_SIZE]), 2), 1)) as tf.Tensor2D;
      const onehot = new Float32Array(this.n * CLASSES);
      o.data.attributes.forEach((a, i) => ATTRIBUTES.forEach((attr, k) => { onehot[i * CLASSES + OFFSETS[k] + a[attr.name]] = 1; }));
      this.y = tf.tensor2d(onehot, [this.n, CLASSES]);
    }
  }

  /** Sum over the four attributes of the softmax cross-entropy. */
  protected stepLoss(p: Params): tf.Scalar {
    if (!this.x || !this.y) throw new Error("this classifier has no training data");
    const idx = tf.tensor1d(Int32Array.from({length: this.plan.batch}, () => Math.floor(this.rng() * this.n)), "int32");
    const z = logits(p, tf.gather(this.x, idx) as tf.Tensor2D);
    const y = tf.gather(this.y, idx);
    const heads = COUNTS.map((c, k) => tf.mul(tf.slice(y, [0, OFFSETS[k]], [-1, c]), tf.logSoftmax(tf.slice(z, [0, OFFSETS[k]], [-1, c]))));
    return tf.neg(tf.div(tf.sum(tf.addN(heads.map((h) => tf.sum(h)))), this.plan.batch)) as tf.Scalar;
  }

  /** The most likely value of each attribute for images [n, IMAGE_SIZE] on [0, 1] (EMA weights). */
  async classify(pixels: Float32Array): Promise<Attributes[]> {
    const n = pixels.length / IMAGE_SIZE;
    const z = tf.tidy(() => logits(this.set.emaParams(), tf.sub(tf.mul(tf.tensor2d(pixels, [n, IMAGE_SIZE]), 2), 1) as tf.Tensor2D));
    const values = await z.data();
    z.dispose();
    return Array.from({length: n}, (_, i) => {
      const a = {} as Attributes;
      ATTRIBUTES.forEach((attr, k) => {
        let best = 0;
        for (let c = 1; c < COUNTS[k]; ++c) if (values[i * CLASSES + OFFSETS[k] + c] > values[i * CLASSES + OFFSETS[k] + best]) best = c;
        a[attr.name] = best;
      });
      return a;
    });
  }

  dispose(): void {
    super.dispose();
    tf.dispose([this.x ?? [], this.y ?? []].flat());
  }
}
