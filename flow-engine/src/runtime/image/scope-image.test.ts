import { describe, expect, it } from "vitest";
import { paint, pixelAt, toPng } from "../../testing/images.js";
import { DecodedScopeImage } from "./scope-image.js";

const image = paint(100, 80, (x, y) => [x, y, (x + y) % 256]);

describe("DecodedScopeImage", () => {
  it("decodes bytes once into a record scope covering the whole image", async () => {
    const scope = await DecodedScopeImage.decode(await toPng(image));
    expect([scope.width, scope.height]).toEqual([100, 80]);
    expect(scope.box).toEqual([0, 0, 100, 80]);
    expect(pixelAt(await scope.pixels(), 42, 17)).toEqual([42, 17, 59]);
  });

  it("crops from the decoded pixels, widening to whole pixels", async () => {
    const record = DecodedScopeImage.fromDecoded(image);
    const crop = record.crop([10.4, 20.6, 30.2, 50]);
    expect(crop.box).toEqual([10, 20, 31, 50]);
    expect([crop.width, crop.height]).toEqual([21, 30]);
    const px = await crop.pixels();
    expect(pixelAt(px, 0, 0)).toEqual([10, 20, 30]);
    expect(pixelAt(px, 20, 29)).toEqual([30, 49, 79]);
  });

  it("maps boxes of crops of crops back to root pixels", async () => {
    const record = DecodedScopeImage.fromDecoded(image);
    const outer = record.crop([20, 10, 80, 70]);
    const inner = outer.cropLocal([5, 6, 25, 26]);
    expect(inner.box).toEqual([25, 16, 45, 36]);
    expect(inner.toRoot([1, 2, 3, 4])).toEqual([26, 18, 28, 20]);
    expect(pixelAt(await inner.pixels(), 0, 0)).toEqual([25, 16, 41]);
    const { transform } = await inner.toTensor({
      width: 10,
      height: 10,
      resize: "stretch",
      colorOrder: "RGB",
      layout: "NCHW",
    });
    expect(transform([0, 0, 10, 10])).toEqual([25, 16, 45, 36]);
    expect(transform([5, 5, 10, 10])).toEqual([35, 26, 45, 36]);
  });

  it("feeds a crop's own pixels to the model input", async () => {
    const record = DecodedScopeImage.fromDecoded(image);
    const crop = record.crop([40, 30, 44, 34]);
    const { tensor } = await crop.toTensor({
      width: 4,
      height: 4,
      resize: "stretch",
      colorOrder: "RGB",
      layout: "NHWC",
      scale: 1,
    });
    expect(Array.from(tensor.data.subarray(0, 3))).toEqual([40, 30, 70]);
    expect(Array.from(tensor.data.subarray(45, 48))).toEqual([43, 33, 76]);
  });

  it("clamps crops to the image and keeps at least one pixel", () => {
    const record = DecodedScopeImage.fromDecoded(image);
    expect(record.crop([-20, -5, 500, 500]).box).toEqual([0, 0, 100, 80]);
    expect(record.crop([50, 50, 50, 50]).box).toEqual([50, 50, 51, 51]);
    expect(() => record.crop([0, 0, Number.NaN, 5])).toThrow(/not finite/);
  });
});
