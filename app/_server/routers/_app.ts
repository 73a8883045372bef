import { createCallerFactory, router } from "../trpc";
import { invitationRouter } from "./invitation";
import { memberRouter } from "./member";
import { setupRouter } from "./setup";
import { workspaceRouter } from "./workspace";

export const appRouter = router({
  setup: setupRouter,
  workspace: workspaceRouter,
  member: memberRouter,
  invitation: invitationRouter,
});

export type AppRouter = typeof appRouter;

/** Calls procedures directly, without HTTP (server components, tests). */
export const createCaller = createCallerFactory(appRouter);
