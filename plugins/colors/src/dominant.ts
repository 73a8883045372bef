/**
 * Dominant colours: pixels are binned (4 bits per channel), bins are grouped greedily by perceptual distance
 * from the most frequent down, so compression noise and anti-aliasing join their colour instead of
 * splitting it. Shares are fractions of the counted pixels (the background excluded when asked).
 */
import type { RawImage } from "@vizflow/sdk";

import { colorName, labDistance2, rgbToLab, toHex, type Lab, type Rgb } from "./color-names.js";

export interface DominantColor {
  hex: string;
  rgb: [number, number, number];
  name: string;
  /** Fraction of the counted pixels, 0..1. */
  share: number;
}

export interface DominantColorsResult {
  colors: DominantColor[];
  /** The plain background that was left out, when asked to and one was found. */
  background: { hex: string; name: string; share: number } | null;
}

export interface DominantColorsOptions {
  /** How many colours to report at most. */
  count: number;
  /** Colours under this share are not reported. */
  minShare: number;
  /** Leave out a plain background: a colour covering most of the image's border. */
  ignoreBackground: boolean;
  /** CIE76 distance under which two colours are one (default 14: clearly the same colour to a person). */
  mergeDistance?: number;
}

interface Cluster {
  count: number;
  sum: [number, number, number];
  lab: Lab;
  /** Pixels of this cluster on the image border. */
  border: number;
}

const BITS = 4;
const SHIFT = 8 - BITS;
const binOf = (r: number, g: number, b: number) => ((r >> SHIFT) << (2 * BITS)) | ((g >> SHIFT) << BITS) | (b >> SHIFT);

/** Share of the border a colour must cover to be taken for a plain background. */
const BACKGROUND_BORDER_SHARE = 0.6;

export function dominantColors(image: RawImage, options: DominantColorsOptions): DominantColorsResult {
  const { data, width, height, channels } = image;
  const bins = 1 << (3 * BITS);
  const counts = new Uint32Array(bins);
  const borders = new Uint32Array(bins);
  const sums = new Float64Array(bins * 3);
  // Borders a few pixels thick, so a frame of anti-aliasing does not decide.
  const frame = Math.max(1, Math.round(Math.min(width, height) * 0.02));
  let borderPixels = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * channels;
      const r = data[o] ?? 0;
      const g = channels >= 3 ? (data[o + 1] ?? 0) : r;
      const b = channels >= 3 ? (data[o + 2] ?? 0) : r;
      if (channels === 4 && (data[o + 3] ?? 255) < 128) continue;
      const bin = binOf(r, g, b);
      counts[bin] = (counts[bin] ?? 0) + 1;
      sums[bin * 3] = (sums[bin * 3] ?? 0) + r;
      sums[bin * 3 + 1] = (sums[bin * 3 + 1] ?? 0) + g;
      sums[bin * 3 + 2] = (sums[bin * 3 + 2] ?? 0) + b;
      if (x < frame || y < frame || x >= width - frame || y >= height - frame) {
        borders[bin] = (borders[bin] ?? 0) + 1;
        borderPixels++;
      }
    }
  }

  const used: number[] = [];
  for (let bin = 0; bin < bins; bin++) if ((counts[bin] ?? 0) > 0) used.push(bin);
  used.sort((a, b) => (counts[b] ?? 0) - (counts[a] ?? 0));
  const limit = (options.mergeDistance ?? 14) ** 2;
  const clusters: Cluster[] = [];
  for (const bin of used) {
    const count = counts[bin] ?? 0;
    const mean: Rgb = [
      (sums[bin * 3] ?? 0) / count,
      (sums[bin * 3 + 1] ?? 0) / count,
      (sums[bin * 3 + 2] ?? 0) / count,
    ];
    const lab = rgbToLab(mean);
    let nearest: Cluster | undefined;
    let nearestDistance = limit;
    for (const cluster of clusters) {
      const distance = labDistance2(lab, cluster.lab);
      if (distance < nearestDistance) [nearest, nearestDistance] = [cluster, distance];
    }
    if (nearest) {
      nearest.count += count;
      nearest.border += borders[bin] ?? 0;
      nearest.sum[0] += mean[0] * count;
      nearest.sum[1] += mean[1] * count;
      nearest.sum[2] += mean[2] * count;
    } else {
      clusters.push({
        count,
        sum: [mean[0] * count, mean[1] * count, mean[2] * count],
        lab,
        border: borders[bin] ?? 0,
      });
    }
  }

  const rgbOf = (c: Cluster): [number, number, number] => [
    Math.round(c.sum[0] / c.count),
    Math.round(c.sum[1] / c.count),
    Math.round(c.sum[2] / c.count),
  ];
  let total = clusters.reduce((n, c) => n + c.count, 0);
  let background: DominantColorsResult["background"] = null;
  let counted = clusters;
  if (options.ignoreBackground && borderPixels > 0) {
    const candidate = clusters.reduce<Cluster | undefined>((a, c) => (a && a.border >= c.border ? a : c), undefined);
    if (candidate && candidate.border / borderPixels >= BACKGROUND_BORDER_SHARE && candidate.count < total) {
      const rgb = rgbOf(candidate);
      background = { hex: toHex(rgb), name: colorName(rgb), share: round(candidate.count / total) };
      counted = clusters.filter((c) => c !== candidate);
      total -= candidate.count;
    }
  }
  const colors = counted
    .sort((a, b) => b.count - a.count)
    .map((c): DominantColor => {
      const rgb = rgbOf(c);
      return { hex: toHex(rgb), rgb, name: colorName(rgb), share: round(c.count / Math.max(total, 1)) };
    })
    .filter((c) => c.share >= options.minShare)
    .slice(0, options.count);
  return { colors, background };
}

function round(value: number): number {
  return Number(value.toFixed(4));
}
