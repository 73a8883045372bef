/** Training-set layouts: reading uploads (folders, CSV/JSON lists, COCO, Pascal VOC, YOLO) and writing exports. */
export {
  datasetFormatsFor,
  formatDatasetProblem,
  NEGATIVE_TAG,
  type DatasetExport,
  type DatasetFormat,
  type DatasetImage,
  type DatasetProblem,
  type DatasetSample,
  type ReadDatasetInput,
  type ReadDatasetResult,
  type TrainingAnnotation,
  type TrainingBox,
  type WriteDatasetInput,
  type WriteDatasetSample,
} from "./types.js";
export { readDatasetLayout, MAX_DATASET_PROBLEMS } from "./read.js";
export { writeDatasetLayout } from "./write.js";
export { BOX_TOLERANCE_PX } from "./boxes.js";
export { isDatasetManifestPath } from "./paths.js";
export { TAG_SEPARATORS } from "./lists.js";
