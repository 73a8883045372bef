/**
 * The SDK's ScopeImage over pixels decoded once per record. A record scope covers the whole image;
 * an object scope is a rectangle of the same root pixels, so crops (also crops of crops) never
 * re-decode and every box maps back to root pixels with one offset.
 */
import type { BoundingBox, RawImage, ScopeImage } from "@vizflow/sdk";
import { decodeImage, type DecodedImage, type DecodeOptions } from "./decode.js";
import { preprocessRegion, type PixelRegion, type PreprocessResult, type TensorSpec } from "./preprocess.js";

export class DecodedScopeImage implements ScopeImage {
  readonly #root: DecodedImage;
  /** The scope in the image's own pixels (what boxes, `width` and `height` are in). */
  readonly #area: PixelRegion;
  /** The decoded pixels behind it: the same rectangle unless the image was decoded smaller. */
  readonly #region: PixelRegion;
  #pixels: Promise<RawImage> | undefined;

  private constructor(root: DecodedImage, area: PixelRegion, region: PixelRegion) {
    this.#root = root;
    this.#area = area;
    this.#region = region;
  }

  /** Decodes a record's image (throws ImageError) and returns its record scope. */
  static async decode(bytes: Uint8Array, options: DecodeOptions = {}): Promise<DecodedScopeImage> {
    return DecodedScopeImage.fromDecoded(await decodeImage(bytes, options));
  }

  /**
   * The record scope of already decoded RGB pixels. When they were decoded smaller (`root.source`), the
   * scope still measures in the image's own pixels: boxes, crops and sizes mean the same as at full size.
   */
  static fromDecoded(root: DecodedImage): DecodedScopeImage {
    const { width, height } = root.source ?? root;
    return new DecodedScopeImage(
      root,
      { left: 0, top: 0, width, height },
      { left: 0, top: 0, width: root.width, height: root.height },
    );
  }

  get width(): number {
    return this.#area.width;
  }

  get height(): number {
    return this.#area.height;
  }

  /** Size of the record's (root) image, in its own pixels. */
  get rootWidth(): number {
    return this.#root.source?.width ?? this.#root.width;
  }

  get rootHeight(): number {
    return this.#root.source?.height ?? this.#root.height;
  }

  get box(): BoundingBox {
    const { left, top, width, height } = this.#area;
    return [left, top, left + width, top + height];
  }

  /** The integer rectangle of root pixels this scope covers. */
  get region(): Readonly<PixelRegion> {
    return this.#area;
  }

  /** Root-image pixels per decoded pixel, across and down (1 unless decoded smaller). */
  get #scale(): [number, number] {
    return [this.rootWidth / this.#root.width, this.rootHeight / this.#root.height];
  }

  /** The scope's pixels as decoded (smaller than `width` x `height` where the image shrank on load). */
  pixels(): Promise<RawImage> {
    this.#pixels ??= Promise.resolve(this.#copyRegion());
    return this.#pixels;
  }

  #copyRegion(): RawImage {
    const { left, top, width, height } = this.#region;
    const root = this.#root;
    if (width === root.width && height === root.height) {
      return { data: root.data, width: root.width, height: root.height, channels: 3 };
    }
    const data = new Uint8Array(width * height * 3);
    const rowBytes = width * 3;
    for (let y = 0; y < height; y++) {
      const start = ((top + y) * root.width + left) * 3;
      data.set(root.data.subarray(start, start + rowBytes), y * rowBytes);
    }
    return { data, width, height, channels: 3 };
  }

  async toTensor(spec: TensorSpec): Promise<PreprocessResult> {
    const result = await preprocessRegion(this.#root, this.#region, spec);
    const [sx, sy] = this.#scale;
    if (sx === 1 && sy === 1) return result;
    const [x0, y0, x1, y1] = this.box;
    const clampX = (x: number) => Math.min(x1, Math.max(x0, x));
    const clampY = (y: number) => Math.min(y1, Math.max(y0, y));
    return {
      tensor: result.tensor,
      transform: (box) => {
        const [a, b, c, d] = result.transform(box);
        return [clampX(a * sx), clampY(b * sy), clampX(c * sx), clampY(d * sy)];
      },
    };
  }

  toRoot([xmin, ymin, xmax, ymax]: BoundingBox): BoundingBox {
    const { left, top } = this.#area;
    return [xmin + left, ymin + top, xmax + left, ymax + top];
  }

  /**
   * The object scope of a box in root-image pixels (objects' `bound_box` are root pixels), widened to
   * whole pixels and clamped to the image; at least 1x1.
   */
  crop(rootBox: BoundingBox): DecodedScopeImage {
    const area = wholePixels(rootBox, this.rootWidth, this.rootHeight);
    const [sx, sy] = this.#scale;
    if (sx === 1 && sy === 1) return new DecodedScopeImage(this.#root, area, area);
    const { left, top, width, height } = area;
    const region = wholePixels(
      [left / sx, top / sy, (left + width) / sx, (top + height) / sy],
      this.#root.width,
      this.#root.height,
    );
    return new DecodedScopeImage(this.#root, area, region);
  }

  /** The object scope of a box given in this scope's own pixel coordinates. */
  cropLocal(box: BoundingBox): DecodedScopeImage {
    return this.crop(this.toRoot(box));
  }
}

/** A box widened to whole pixels and clamped to a W x H image; at least 1x1. */
function wholePixels(box: BoundingBox, W: number, H: number): PixelRegion {
  if (!box.every(Number.isFinite)) throw new RangeError(`crop box [${box.join(", ")}] is not finite`);
  const [xmin, ymin, xmax, ymax] = box;
  const left = Math.min(W - 1, Math.max(0, Math.floor(Math.min(xmin, xmax))));
  const top = Math.min(H - 1, Math.max(0, Math.floor(Math.min(ymin, ymax))));
  const right = Math.max(left + 1, Math.min(W, Math.ceil(Math.max(xmin, xmax))));
  const bottom = Math.max(top + 1, Math.min(H, Math.ceil(Math.max(ymin, ymax))));
  return { left, top, width: right - left, height: bottom - top };
}
