/**
 * The chapters in reading order, one concept each. The sidebar and the Overview's map list only those
 * whose page exists, so a chapter appears when it is written and never as a stub.
 */
export interface Chapter {
  /** Route; the page is src/<path>.md ("/" is src/index.md). */
  path: string;
  title: string;
  /** What the reader does there, one sentence. */
  does: string;
}

export const CHAPTERS: readonly Chapter[] = [
  {path: "/", title: "Overview", does: "See noise flow into data and back, and learn the vocabulary."},
  {path: "/forward", title: "Forward process", does: "Scrub t and watch q(x_t | x_0) destroy a data set, step by step and in closed form."},
  {path: "/schedules", title: "Noise schedules", does: "Compare linear, cosine, scaled-linear, sigmoid and EDM schedules on ᾱ_t and log-SNR."},
  {path: "/score", title: "Score functions", does: "Probe the exact score field of a mixture, Tweedie's denoiser, and Langevin dynamics."},
  {path: "/reverse", title: "The reverse process", does: "Pick a noisy point and see the exact reverse step beside DDPM's Gaussian as steps get coarse; the ELBO and the variance."},
  {path: "/training", title: "Training live", does: "Train a real denoiser in your browser and watch its samples and score field improve."},
  {path: "/sampling", title: "Denoising & samplers", does: "Run DDPM, DDIM, ODE and DPM-Solver++ samplers and race them on one seed."},
  {path: "/guidance", title: "Guidance", does: "Turn the classifier-free guidance scale and trade diversity for fidelity."},
  {path: "/latent", title: "Latent diffusion", does: "Run diffusion in an autoencoder's latent space, as Stable Diffusion does."},
  {path: "/faster", title: "Faster sampling", does: "Distil a teacher into a few-step student and measure what is lost."},
  {path: "/applications", title: "Applications & open problems", does: "Where diffusion is used and what is still hard, tied to the demos here."},
];

/** src/ file of a chapter's page. */
export const pageFile = (chapter: Chapter): string =>
  `src${chapter.path === "/" ? "/index" : chapter.path}.md`;
