// Prompts → token ids for the latent-diffusion chapter's text encoder. The vocabulary is the
// caption grammar's: one id per attribute word, plus a start token every caption begins with (the
// only token the unconditional, empty caption has) and padding. Filler words ("a", "the", "on", …)
// are understood and dropped. A word outside the vocabulary is refused with a message naming the
// known words, as is an empty prompt or one that names an attribute twice.
import {ATTRIBUTES, type AttributeName, type Attributes} from "./toy-images.js";

/** Id of padding (masked out of attention). */
export const PAD = 0;
/** Id of the start token, present in every caption, alone in the empty (unconditional) one. */
export const START = 1;

/** The attribute words in id order: ids 2, 3, … */
export const WORDS: readonly string[] = ATTRIBUTES.flatMap((a) => a.words);
/** Words a prompt may contain that carry no attribute. */
export const FILLER: readonly string[] = ["a", "an", "the", "on", "at", "in"];
/** Number of distinct token ids. */
export const VOCAB = 2 + WORDS.length;
/** Token slots per caption: the start token and one word per attribute. */
export const MAX_TOKENS = 1 + ATTRIBUTES.length;

const ID = new Map<string, number>(WORDS.map((w, i) => [w, 2 + i]));
const ATTRIBUTE_OF = new Map<string, {name: AttributeName; index: number}>(ATTRIBUTES.flatMap((a) => a.words.map((w, i) => [w, {name: a.name, index: i}] as const)));

/** A prompt the tokenizer accepted: ids (START, the words in typed order, then PAD) and what they ask for. */
export interface Tokens {
  ids: Int32Array;
  /** The attribute words of the prompt, in typed order. */
  words: string[];
  /** The attributes the prompt names (the rest are left to the model). */
  attributes: Partial<Attributes>;
}

/** Either tokens or a reader-facing reason the prompt was refused. */
export type TokenizeResult = {ok: true; tokens: Tokens} | {ok: false; message: string};

/** The known words by attribute, for messages: "size: small, large; colour: red, …". */
export function knownWords(): string {
  return ATTRIBUTES.map((a) => `${a.name}: ${a.words.join(", ")}`).join("; ");
}

/** Token ids of a caption naming exactly `words` (attribute words, any order). Throws on an unknown word. */
export function idsOf(words: readonly string[]): Int32Array {
  const ids = new Int32Array(MAX_TOKENS);
  ids[0] = START;
  words.forEach((w, i) => {
    const id = ID.get(w);
    if (id === undefined) throw new Error(`idsOf: "${w}" is not in the vocabulary`);
    ids[1 + i] = id;
  });
  return ids;
}

/**
 * Splits `prompt` into lower-case words (letters only), drops filler words and maps the rest to ids.
 * Refuses an empty prompt, an unknown word, and two words for the same attribute.
 */
export function tokenize(prompt: string): TokenizeResult {
  const raw = prompt.toLowerCase().split(/[^a-z]+/).filter(Boolean);
  const unknown = raw.filter((w) => !ID.has(w) && !FILLER.includes(w));
  if (unknown.length) {
    const list = [...new Set(unknown)].map((w) => `“${w}”`).join(", ");
    return {ok: false, message: `${list} ${unknown.length > 1 ? "are" : "is"} not in the vocabulary. Known words — ${knownWords()} (and a, the, on, at).`};
  }
  const words = raw.filter((w) => ID.has(w));
  if (!words.length) return {ok: false, message: `The prompt names nothing to draw. Use the known words — ${knownWords()}.`};
  const attributes: Partial<Attributes> = {};
  const seen = new Map<AttributeName, string>();
  for (const w of words) {
    const {name, index} = ATTRIBUTE_OF.get(w)!;
    const before = seen.get(name);
    if (before !== undefined) return {ok: false, message: `“${before}” and “${w}” both give the ${name}: use one.`};
    seen.set(name, w);
    attributes[name] = index;
  }
  return {ok: true, tokens: {ids: idsOf(words), words, attributes}};
}

/** The attribute words of a full caption, in grammar order (what training captions contain). */
export function wordsOf(a: Attributes): string[] {
  return ATTRIBUTES.map((attr) => attr.words[a[attr.name]]);
}
