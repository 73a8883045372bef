import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { DecoderChoice } from "./decoder-choice";
import { DecoderParamsForm } from "./decoder-params-form";

// A plugin's decoder as modelVersion.form lists it.
const gridBoxes: DecoderChoice = {
  id: "grid-boxes",
  title: "Grid boxes",
  params: {
    type: "object",
    properties: {
      threshold: { type: "number", title: "Threshold", description: "Boxes below it are dropped." },
      mode: { type: "string", enum: ["fast", "exact"] },
    },
  },
  taskTypes: ["detection"],
};

describe("the decoder params form", () => {
  it("has a field per param of the decoder's schema, filled from the params", () => {
    const html = renderToString(
      <DecoderParamsForm decoder={gridBoxes} params={{ threshold: 0.3, mode: "exact" }} onChange={() => {}} />,
    );
    expect(html).toContain("Threshold");
    expect(html).toContain("Boxes below it are dropped.");
    expect(html).toMatch(/<input[^>]*type="number"[^>]*value="0.3"|<input[^>]*value="0.3"[^>]*type="number"/);
    expect(html).toMatch(/<option[^>]*selected[^>]*>exact<\/option>/);
    // No submit button of its own: the dialog's upload button sends the params.
    expect(html).not.toContain('type="submit"');
  });
});
