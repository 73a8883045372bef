/** Image quality measures over decoded pixels; pure functions so they are easy to test and reuse. */
import type { RawImage } from "@vizflow/sdk";

export interface QualityMeasures {
  /** Variance of the Laplacian of the luma (0..255 scale): higher is sharper; blur lowers it sharply. */
  sharpness: number;
  /** Mean luma, 0 (black) to 1 (white). */
  brightness: number;
  /** RMS contrast: standard deviation of the luma, 0 (flat) to 0.5 (half black, half white). */
  contrast: number;
  width: number;
  height: number;
  megapixels: number;
}

/** Rec. 601 luma per pixel, as OpenCV's grayscale conversion. */
export function luma(image: RawImage): Float32Array {
  const { data, width, height, channels } = image;
  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i++) {
    const o = i * channels;
    const r = data[o] ?? 0;
    out[i] = channels >= 3 ? 0.299 * r + 0.587 * (data[o + 1] ?? 0) + 0.114 * (data[o + 2] ?? 0) : r;
  }
  return out;
}

/**
 * Variance of the 4-neighbour Laplacian (OpenCV's `Laplacian(gray, CV_64F).var()` with ksize 1) over
 * interior pixels; 0 for images smaller than 3x3.
 */
export function laplacianVariance(gray: Float32Array, width: number, height: number): number {
  if (width < 3 || height < 3) return 0;
  let sum = 0;
  let sumSquares = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const value =
        (gray[i - 1] ?? 0) + (gray[i + 1] ?? 0) + (gray[i - width] ?? 0) + (gray[i + width] ?? 0) - 4 * (gray[i] ?? 0);
      sum += value;
      sumSquares += value * value;
    }
  }
  const n = (width - 2) * (height - 2);
  const mean = sum / n;
  return sumSquares / n - mean * mean;
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

export function measureQuality(image: RawImage): QualityMeasures {
  const gray = luma(image);
  let sum = 0;
  let sumSquares = 0;
  for (const value of gray) {
    sum += value;
    sumSquares += value * value;
  }
  const n = Math.max(gray.length, 1);
  const mean = sum / n;
  const variance = Math.max(sumSquares / n - mean * mean, 0);
  return {
    sharpness: round(laplacianVariance(gray, image.width, image.height), 2),
    brightness: round(mean / 255, 4),
    contrast: round(Math.sqrt(variance) / 255, 4),
    width: image.width,
    height: image.height,
    megapixels: round((image.width * image.height) / 1e6, 3),
  };
}
