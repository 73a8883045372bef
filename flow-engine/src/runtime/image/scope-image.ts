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
  readonly #region: PixelRegion;
  #pixels: Promise<RawImage> | undefined;

  private constructor(root: DecodedImage, region: PixelRegion) {
    this.#root = root;
    this.#region = region;
  }

  /** Decodes a record's image (throws ImageError) and returns its record scope. */
  static async decode(bytes: Uint8Array, options: DecodeOptions = {}): Promise<DecodedScopeImage> {
    return DecodedScopeImage.fromDecoded(await decodeImage(bytes, options));
  }

  /** The record scope of already decoded RGB pixels. */
  static fromDecoded(root: DecodedImage): DecodedScopeImage {
    return new DecodedScopeImage(root, { left: 0, top: 0, width: root.width, height: root.height });
  }

  get width(): number {
    return this.#region.width;
  }

  get height(): number {
    return this.#region.height;
  }

  /** Size of the record's (root) image. */
  get rootWidth(): number {
    return this.#root.width;
  }

  get rootHeight(): number {
    return this.#root.height;
  }

  get box(): BoundingBox {
    const { left, top, width, height } = this.#region;
    return [left, top, left + width, top + height];
  }

  /** The integer rectangle of root pixels this scope covers. */
  get region(): Readonly<PixelRegion> {
    return this.#region;
  }

  pixels(): Promise<RawImage> {
    this.#pixels ??= Promise.resolve(this.#copyRegion());
    return this.#pixels;
  }

  #copyRegion(): RawImage {
    const { left, top, width, height } = this.#region;
    const root = this.#root;
    if (width === root.width && height === root.height) return { ...root };
    const data = new Uint8Array(width * height * 3);
    const rowBytes = width * 3;
    for (let y = 0; y < height; y++) {
      const start = ((top + y) * root.width + left) * 3;
      data.set(root.data.subarray(start, start + rowBytes), y * rowBytes);
    }
    return { data, width, height, channels: 3 };
  }

  toTensor(spec: TensorSpec): Promise<PreprocessResult> {
    return preprocessRegion(this.#root, this.#region, spec);
  }

  toRoot([xmin, ymin, xmax, ymax]: BoundingBox): BoundingBox {
    const { left, top } = this.#region;
    return [xmin + left, ymin + top, xmax + left, ymax + top];
  }

  /**
   * The object scope of a box in root-image pixels (objects' `bound_box` are root pixels), widened to
   * whole pixels and clamped to the image; at least 1x1.
   */
  crop(rootBox: BoundingBox): DecodedScopeImage {
    if (!rootBox.every(Number.isFinite)) throw new RangeError(`crop box [${rootBox.join(", ")}] is not finite`);
    const [xmin, ymin, xmax, ymax] = rootBox;
    const W = this.#root.width;
    const H = this.#root.height;
    const left = Math.min(W - 1, Math.max(0, Math.floor(Math.min(xmin, xmax))));
    const top = Math.min(H - 1, Math.max(0, Math.floor(Math.min(ymin, ymax))));
    const right = Math.max(left + 1, Math.min(W, Math.ceil(Math.max(xmin, xmax))));
    const bottom = Math.max(top + 1, Math.min(H, Math.ceil(Math.max(ymin, ymax))));
    return new DecodedScopeImage(this.#root, { left, top, width: right - left, height: bottom - top });
  }

  /** The object scope of a box given in this scope's own pixel coordinates. */
  cropLocal(box: BoundingBox): DecodedScopeImage {
    return this.crop(this.toRoot(box));
  }
}
