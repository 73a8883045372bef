import { createCallerFactory, router } from "../trpc";
import { apiTokenRouter } from "./api-token";
import { evaluationRouter } from "./evaluation";
import { flowRouter } from "./flow";
import { flowEditorRouter } from "./flow-editor";
import { flowTransferRouter } from "./flow-transfer";
import { flowVersionRouter } from "./flow-version";
import { instanceRouter } from "./instance";
import { invitationRouter } from "./invitation";
import { memberRouter } from "./member";
import { modelVersionRouter } from "./model-version";
import { pluginRouter } from "./plugin";
import { setupRouter } from "./setup";
import { taskRouter } from "./task";
import { trainingSetRouter } from "./training-set";
import { usageRouter } from "./usage";
import { workspaceRouter } from "./workspace";

export const appRouter = router({
  setup: setupRouter,
  instance: instanceRouter,
  workspace: workspaceRouter,
  member: memberRouter,
  invitation: invitationRouter,
  plugin: pluginRouter,
  flow: flowRouter,
  flowVersion: flowVersionRouter,
  flowEditor: flowEditorRouter,
  flowTransfer: flowTransferRouter,
  task: taskRouter,
  trainingSet: trainingSetRouter,
  modelVersion: modelVersionRouter,
  evaluation: evaluationRouter,
  apiToken: apiTokenRouter,
  usage: usageRouter,
});

export type AppRouter = typeof appRouter;

/** Calls procedures directly, without HTTP (server components, tests). */
export const createCaller = createCallerFactory(appRouter);
