import {
  createEvaluation,
  failEvaluation,
  finishEvaluation,
  findTask,
  listTestSetImages,
  updateEvaluationProgress,
  type Database,
  type EvaluationInfo,
} from "@vizflow/db";
import { DecodedScopeImage, evaluate, type Truth } from "@vizflow/flow-engine";
import type { ModelServices } from "./model-services";

/** Progress is written at most this often, so a fast model does not write a row per image. */
const PROGRESS_INTERVAL_MS = 250;

/**
 * Starts evaluating a model version on a test set in this process and returns at once with the running
 * evaluation; `finished` settles when it is stored (done or failed). The page polls the row for progress.
 */
export async function startEvaluation(
  database: Database,
  models: ModelServices,
  input: {
    readonly workspaceId: string;
    readonly taskId: string;
    readonly modelVersionId: string;
    readonly testSetId: string;
    readonly createdBy: string;
  },
): Promise<{ evaluation: EvaluationInfo; finished: Promise<void> }> {
  const evaluation = await createEvaluation(database.db, input.workspaceId, input);
  const finished = run(database, models, input, evaluation.id).catch(async (error: unknown) => {
    console.error(`evaluation ${evaluation.id} failed:`, error);
    await failEvaluation(database.db, evaluation.id, error instanceof Error ? error.message : String(error)).catch(
      () => undefined,
    );
  });
  return { evaluation, finished };
}

async function run(
  database: Database,
  models: ModelServices,
  input: {
    readonly workspaceId: string;
    readonly taskId: string;
    readonly modelVersionId: string;
    readonly testSetId: string;
  },
  evaluationId: string,
): Promise<void> {
  const task = await findTask(database.db, input.workspaceId, input.taskId);
  if (!task) throw new Error("the task was deleted while the evaluation started");
  const images = await listTestSetImages(database.db, input.workspaceId, input.testSetId);
  const byPosition = new Map(images.map((i) => [i.position, i]));
  let lastWrite = 0;
  let processed = 0;
  const outcome = await evaluate({
    taskType: task.type,
    labels: task.labels,
    samples: images.map((i) => ({ position: i.position, truth: i.truth as Truth })),
    predict: async (sample) => {
      const image = byPosition.get(sample.position);
      if (!image) throw new Error(`image ${sample.position} is missing`);
      const bytes = new Uint8Array(await new Response(await models.testImages.read(image.sha256)).arrayBuffer());
      return models.runtime.predict(input.modelVersionId, await DecodedScopeImage.decode(bytes));
    },
    onProgress: async (n) => {
      processed = n;
      if (Date.now() - lastWrite < PROGRESS_INTERVAL_MS) return;
      lastWrite = Date.now();
      await updateEvaluationProgress(database.db, evaluationId, n);
    },
  });
  const results = outcome.results.map((r) => ({ ...r, fileName: byPosition.get(r.position)?.fileName ?? "" }));
  await finishEvaluation(database.db, evaluationId, { metrics: outcome.metrics, results, processed });
}
