/** Colour names for swatches: the nearest of a small, everyday palette in CIELAB (perceptual distance). */

export type Rgb = readonly [number, number, number];
export type Lab = readonly [number, number, number];

/** sRGB (0..255) to CIELAB under D65. */
export function rgbToLab([r, g, b]: Rgb): Lab {
  const linear = (v: number) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const [lr, lg, lb] = [linear(r), linear(g), linear(b)];
  const x = (0.4124 * lr + 0.3576 * lg + 0.1805 * lb) / 0.95047;
  const y = 0.2126 * lr + 0.7152 * lg + 0.0722 * lb;
  const z = (0.0193 * lr + 0.1192 * lg + 0.9505 * lb) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  const [fx, fy, fz] = [f(x), f(y), f(z)];
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** Squared CIE76 distance. */
export function labDistance2(a: Lab, b: Lab): number {
  return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 + (a[2] - b[2]) ** 2;
}

const PALETTE: readonly [string, Rgb][] = [
  ["black", [0, 0, 0]],
  ["dark gray", [64, 64, 64]],
  ["gray", [128, 128, 128]],
  ["silver", [192, 192, 192]],
  ["white", [255, 255, 255]],
  ["red", [220, 20, 20]],
  ["dark red", [128, 0, 0]],
  ["pink", [255, 170, 190]],
  ["orange", [255, 140, 0]],
  ["brown", [140, 80, 30]],
  ["beige", [230, 215, 180]],
  ["yellow", [255, 230, 0]],
  ["olive", [128, 128, 0]],
  ["lime", [160, 230, 40]],
  ["green", [30, 150, 40]],
  ["dark green", [0, 80, 20]],
  ["teal", [0, 128, 128]],
  ["cyan", [0, 220, 230]],
  ["sky blue", [120, 190, 240]],
  ["blue", [20, 60, 220]],
  ["navy", [0, 0, 110]],
  ["purple", [120, 40, 160]],
  ["violet", [190, 130, 230]],
  ["magenta", [230, 0, 200]],
];
const PALETTE_LAB = PALETTE.map(([name, rgb]) => [name, rgbToLab(rgb)] as const);

/** The palette name nearest to a colour. */
export function colorName(rgb: Rgb): string {
  const lab = rgbToLab(rgb);
  let best = "black";
  let bestDistance = Infinity;
  for (const [name, candidate] of PALETTE_LAB) {
    const distance = labDistance2(lab, candidate);
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  return best;
}

export function toHex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((v) => Math.round(v).toString(16).padStart(2, "0")).join("")}`;
}
