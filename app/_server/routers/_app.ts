import { createCallerFactory, router } from "../trpc";
import { flowRouter } from "./flow";
import { flowEditorRouter } from "./flow-editor";
import { flowVersionRouter } from "./flow-version";
import { invitationRouter } from "./invitation";
import { memberRouter } from "./member";
import { pluginRouter } from "./plugin";
import { setupRouter } from "./setup";
import { workspaceRouter } from "./workspace";

export const appRouter = router({
  setup: setupRouter,
  workspace: workspaceRouter,
  member: memberRouter,
  invitation: invitationRouter,
  plugin: pluginRouter,
  flow: flowRouter,
  flowVersion: flowVersionRouter,
  flowEditor: flowEditorRouter,
});

export type AppRouter = typeof appRouter;

/** Calls procedures directly, without HTTP (server components, tests). */
export const createCaller = createCallerFactory(appRouter);
