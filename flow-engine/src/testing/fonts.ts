/** A font for text that tests render (with sharp from SVG) for the OCR to read. */
import { execFileSync } from "node:child_process";

/**
 * A family fontconfig knows (librsvg renders SVG text with it), or undefined when none is installed.
 * `VIZFLOW_TEST_FONT` picks another family. CI gets DejaVu Sans from the Debian package fonts-dejavu-core.
 */
export function installedTestFont(): string | undefined {
  const families = process.env.VIZFLOW_TEST_FONT ? [process.env.VIZFLOW_TEST_FONT] : ["DejaVu Sans", "Liberation Sans"];
  for (const family of families) {
    try {
      if (execFileSync("fc-list", [`:family=${family}`], { encoding: "utf8" }).trim() !== "") return family;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export const NO_TEST_FONT =
  "no DejaVu Sans or Liberation Sans font installed (fc-list): install fonts-dejavu-core to render the OCR test text";
