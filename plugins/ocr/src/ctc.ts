/** Greedy CTC decoding of PP-OCR's recognition output. */

export interface DecodedText {
  text: string;
  /** Mean probability of the kept characters (0 when none). */
  prob: number;
}

/**
 * Between two characters, a space class probability this high means the model saw a space even though
 * the blank won the argmax (PP-OCRv4's Chinese model rarely lets a space win; its probability is ~1e-4
 * between letters of one word and 0.1 to 0.4 in the gap between words).
 */
export const SPACE_EVIDENCE = 0.05;

/**
 * Decodes one line: `probs` is [steps, classes] row-major softmax output; class 0 is the CTC blank, class
 * i is `characters[i - 1]`, and the last class is the space. Repeated classes collapse unless a blank
 * separates them.
 */
export function ctcDecode(
  probs: Float32Array,
  steps: number,
  classes: number,
  characters: readonly string[],
): DecodedText {
  const space = classes - 1;
  let text = "";
  let total = 0;
  let kept = 0;
  let previous = -1;
  let spaceInGap = 0;
  for (let t = 0; t < steps; t++) {
    let best = 0;
    let bestProb = -Infinity;
    const row = t * classes;
    for (let c = 0; c < classes; c++) {
      const p = probs[row + c] ?? 0;
      if (p > bestProb) [best, bestProb] = [c, p];
    }
    if (best === 0) spaceInGap = Math.max(spaceInGap, probs[row + space] ?? 0);
    if (best !== 0 && best !== previous) {
      const character = characters[best - 1] ?? "";
      if (spaceInGap >= SPACE_EVIDENCE && text !== "" && !text.endsWith(" ") && character !== " ") text += " ";
      text += character;
      total += bestProb;
      kept++;
      spaceInGap = 0;
    }
    previous = best;
  }
  return { text, prob: kept === 0 ? 0 : total / kept };
}
