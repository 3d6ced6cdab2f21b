// Recipe variants for the latent chapter's scripts (latent-sweep.ts, latent-step-cost.ts): DEFAULT_RECIPE
// with key=value overrides given on the command line.
import {DEFAULT_RECIPE, type LatentRecipe} from "../components/model/latent/recipe.js";

/** DEFAULT_RECIPE with `spec`'s key=value overrides (a width also sets its text encoder's). */
export function withOverrides(spec: string): LatentRecipe {
  const recipe = structuredClone(DEFAULT_RECIPE) as unknown as Record<string, unknown>;
  for (const kv of spec.split(/\s+/).filter(Boolean)) {
    const [path, raw] = kv.split("=");
    const keys = path.split(".");
    let o = recipe;
    for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>;
    const last = keys.at(-1)!;
    if (!(last in o)) throw new Error(`unknown recipe key ${path}`);
    o[last] = raw === "true" ? true : raw === "false" ? false : Number.isNaN(Number(raw)) ? raw : Number(raw);
    if (path.endsWith("net.width") && keys[0] !== "autoencoder") (o.text as Record<string, unknown>).width = Number(raw);
  }
  return recipe as unknown as LatentRecipe;
}
