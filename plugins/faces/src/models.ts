/** The face models shipped in faceplugin-face-recognition-js (MIT), found where the package is installed. */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const packageDirectory = dirname(require.resolve("faceplugin-face-recognition-js/package.json"));

export const MODEL_FILES = {
  /** UltraFace RFB-320 with its post-processing: `input` [1,3,240,320] to `scores` [1,4420,2], `boxes` [1,4420,4]. */
  detector: join(packageDirectory, "model", "fr_detect.onnx"),
  /** 7-class expression classifier: `input` [1,3,224,224] RGB px/255 to `output` [1,7] logits. */
  expression: join(packageDirectory, "model", "fr_expression.onnx"),
};
