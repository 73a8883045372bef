/**
 * The training-image import route (`POST /api/workspaces/{ws}/tasks/{task}/training-images`) served by the
 * same handler the product's Next route calls, in a process of its own so `pnpm bench:annotate` can read
 * its peak memory without a production build. On start it creates an owner, a workspace, a task with the
 * labels given in `BENCH_LABELS` (comma-separated) and an API token on a fresh embedded database under
 * `VIZFLOW_DATA_DIR`, then prints one JSON line `{ port, workspaceId, taskId, token }`.
 */
import { createServer } from "node:http";
import { Readable } from "node:stream";
import { createApiToken, getDatabase } from "@vizflow/db";
import { createServices } from "../../app/_server/services";
import { callerFor, cookieHeaders } from "../../app/_server/testing";
import { handleTrainingImport } from "../../app/_server/training-routes";

const ROUTE = /^\/api\/workspaces\/([^/]+)\/tasks\/([^/]+)\/training-images$/;

async function main(): Promise<void> {
  const services = await createServices(await getDatabase());
  const signUp = await services.auth.api.signUpEmail({
    body: { name: "Bench", email: "bench@example.com", password: "bench-password-1" },
    returnHeaders: true,
  });
  const caller = await callerFor(services, cookieHeaders(signUp.headers));
  const workspace = await caller.workspace.create({ name: "Bench" });
  const labels = (process.env.BENCH_LABELS ?? "").split(",").filter((l) => l !== "");
  const task = await caller.task.create({ workspaceId: workspace.id, name: "Import", type: "categorization", labels });
  const { key } = await createApiToken(services.database.db, workspace.id, {
    name: "bench",
    createdBy: signUp.response.user.id,
  });

  const server = createServer((req, res) => {
    const match = ROUTE.exec(req.url ?? "");
    if (req.method !== "POST" || !match) {
      res.writeHead(404).end();
      return;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers.set(name, value);
    }
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: "POST",
      headers,
      body: Readable.toWeb(req) as ReadableStream<Uint8Array>,
      duplex: "half",
    } as RequestInit);
    handleTrainingImport(request, services, { workspaceId: match[1] as string, taskId: match[2] as string })
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch((error: unknown) => {
        console.error(error);
        res.writeHead(500).end(String(error));
      });
  });
  const port = Number(process.env.PORT ?? 0);
  server.listen(port, "127.0.0.1", () => {
    const address = server.address();
    const actual = typeof address === "object" && address !== null ? address.port : port;
    console.log(JSON.stringify({ port: actual, workspaceId: workspace.id, taskId: task.id, token: key }));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
