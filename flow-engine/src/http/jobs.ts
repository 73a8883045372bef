/**
 * Async processing for large batches on pg-boss (10.x: the last major that runs on Node 20), in the same
 * database as everything else: PostgreSQL, or PGlite through the database's own `executeSql`. The hold is
 * placed when the job is enqueued (so a caller learns of missing credits at once) under the job's id;
 * any engine process may run the job, a job whose worker died expires and is retried, and settlement
 * deletes the hold row first, so however often a job runs it is billed once. The records go to the
 * payload store (encrypted, `job-payloads.ts`), the job row keeps only their reference and key, and the
 * payload is deleted once the job has ended.
 */
import { settleCreditHold, type BlobStore, type Database } from "@vizflow/db";
import PgBoss from "pg-boss";
import type { ProcessResult } from "../engine/engine.js";
import { openPayload, sealPayload, type PayloadRef } from "./job-payloads.js";
import { processAndSettle, type HeldRun, type MeteredRunDeps, type RunRequest } from "./metered-run.js";

const QUEUE = "vizflow-process";
const SCHEMA = "pgboss";

export interface JobQueueOptions {
  /** A running job not finished after this long is taken for dead and retried (default 900 s). */
  expireInSeconds?: number;
  /** Retries after a failure or expiry (default 3). */
  retryLimit?: number;
  /** How often expired jobs are looked for (default 30 s). */
  maintenanceIntervalSeconds?: number;
  /** How often an idle worker polls (default 1 s). */
  pollingIntervalSeconds?: number;
}

interface JobData {
  request: Omit<RunRequest, "version" | "records"> & { version: number };
  /** The records in the row itself: a queue without a payload store (and jobs queued before there was one). */
  records?: unknown[];
  /** The records in the payload store; removed (with the payload) once the job has ended. */
  payload?: PayloadRef;
  held: number;
}

/** The states after which a job never runs again, as SQL. */
const ENDED = "('completed', 'failed', 'cancelled')";

export interface JobView {
  id: string;
  state: "created" | "retry" | "active" | "completed" | "cancelled" | "failed";
  /** The synchronous response, once the job has completed. */
  response?: ProcessResult & { status: { code: number; text: string } };
}

export class JobQueue {
  readonly #database: Database;
  readonly #deps: MeteredRunDeps;
  readonly #options: Required<JobQueueOptions>;
  readonly #payloads: BlobStore | undefined;
  #boss: Promise<PgBoss> | undefined;
  #scrubber: NodeJS.Timeout | undefined;

  /** `payloads`: where queued records go (the assembly always passes one; without, they stay in the row). */
  constructor(database: Database, deps: MeteredRunDeps, options: JobQueueOptions = {}, payloads?: BlobStore) {
    this.#database = database;
    this.#deps = deps;
    this.#payloads = payloads;
    this.#options = {
      expireInSeconds: options.expireInSeconds ?? 900,
      retryLimit: options.retryLimit ?? 3,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 30,
      pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1,
    };
  }

  #start(): Promise<PgBoss> {
    this.#boss ??= (async () => {
      const database = this.#database;
      const boss = new PgBoss({
        db: { executeSql: (text, values) => database.executeSql(text, values) },
        schema: SCHEMA,
        maintenanceIntervalSeconds: this.#options.maintenanceIntervalSeconds,
      });
      boss.on("error", (error) => this.#deps.log.error("job queue error", { error: error.message }));
      // pg-boss creates its schema on start; engines starting together must not race on it.
      await database.withLock("pg-boss", async () => {
        await boss.start();
        if (!(await boss.getQueue(QUEUE))) await boss.createQueue(QUEUE);
      });
      return boss;
    })().catch((error: unknown) => {
      this.#boss = undefined;
      throw error;
    });
    return this.#boss;
  }

  /** Enqueues a run whose hold is already placed (under `run.request.id`, which becomes the job id). */
  async enqueue(run: HeldRun): Promise<string> {
    const boss = await this.#start();
    const { records, version: _selector, ...request } = run.request;
    const data: JobData = {
      request: { ...request, version: run.prepared.version ?? 0 },
      ...(this.#payloads ? { payload: await sealPayload(this.#payloads, records) } : { records: [...records] }),
      held: run.held,
    };
    try {
      await boss.send(QUEUE, data, {
        id: run.request.id,
        retryLimit: this.#options.retryLimit,
        expireInSeconds: this.#options.expireInSeconds,
      });
    } catch (error) {
      // No job names the payload: delete it now, nobody else would (its key is lost with `data`).
      if (data.payload) await this.#payloads?.delete(data.payload.sha256).catch(() => undefined);
      throw error;
    }
    return run.request.id;
  }

  /** A job of the workspace, or undefined (also for another workspace's job). */
  async status(workspaceId: string, jobId: string): Promise<JobView | undefined> {
    const boss = await this.#start();
    if (!/^[0-9a-f-]{36}$/i.test(jobId)) return undefined;
    const job = await boss.getJobById<JobData>(QUEUE, jobId, { includeArchive: true });
    if (!job || job.data.request.workspaceId !== workspaceId) return undefined;
    const view: JobView = { id: job.id, state: job.state };
    if (job.state === "completed") view.response = job.output as JobView["response"] & object;
    return view;
  }

  /** Starts consuming jobs in this process. */
  async work(): Promise<void> {
    const boss = await this.#start();
    await boss.work<JobData>(
      QUEUE,
      { batchSize: 1, pollingIntervalSeconds: this.#options.pollingIntervalSeconds },
      async ([job]) => (job ? this.#run(job.id, job.data) : undefined),
    );
    // Records (images) are kept only until their job has ended.
    this.#scrubber = setInterval(() => void this.removeEndedPayloads(), 10_000);
    this.#scrubber.unref();
  }

  async #run(id: string, data: JobData): Promise<JobView["response"]> {
    const deps = this.#deps;
    const records = await this.#recordsOf(data);
    const request: RunRequest = { ...data.request, id, records };
    const workspace = deps.workspace(request.workspaceId);
    const started = performance.now();
    let prepared;
    try {
      prepared = await deps.engine.prepare(workspace, { flowId: request.flowId, version: data.request.version });
    } catch (error) {
      // The flow went away after the job was queued: release the hold, bill nothing, and say why.
      await settleCreditHold(deps.db, id, 0, {
        id,
        workspaceId: request.workspaceId,
        flowId: request.flowId,
        flowVersion: data.request.version,
        tokenId: request.tokenId,
        records: records.length,
        status: 404,
        latencyMs: performance.now() - started,
      });
      return {
        records: [],
        statistics: { credits: 0, processing_time_ms: 0 },
        status: { code: 404, text: `the job's flow can no longer run: ${(error as Error).message}` },
      };
    }
    // A job waits for room in the pixel budget rather than failing: its hold stays placed meanwhile.
    const { result } = await processAndSettle(
      deps,
      { request, workspace, prepared, held: data.held, started },
      undefined,
      undefined,
      { waitForPixels: true },
    );
    deps.log.info("job completed", { jobId: id, workspaceId: request.workspaceId, credits: result.statistics.credits });
    return { ...result, status: { code: 200, text: "OK" } };
  }

  async #recordsOf(data: JobData): Promise<unknown[]> {
    if (data.payload === undefined) return data.records ?? [];
    if (!this.#payloads) throw new Error("this job's records are in the payload store, and this queue has none");
    return openPayload(this.#payloads, data.payload);
  }

  /**
   * Deletes the records of jobs that have ended (completed, failed for good, cancelled): their payloads in
   * the store, then the reference in the row (so a crash between the two only deletes again). Runs every
   * 10 s in a working process; returns how many jobs it cleared.
   */
  async removeEndedPayloads(): Promise<number> {
    const sql = (text: string, values: unknown[]) => this.#database.executeSql(text, values);
    let cleared = 0;
    try {
      await sql(
        `update ${SCHEMA}.job set data = data - 'records' where name = $1 and state in ${ENDED} and data ? 'records'`,
        [QUEUE],
      );
      if (!this.#payloads) return 0;
      const { rows } = await sql(
        `select id, data->'payload'->>'sha256' as sha256 from ${SCHEMA}.job
          where name = $1 and state in ${ENDED} and data ? 'payload' limit 100`,
        [QUEUE],
      );
      for (const row of rows as { id: string; sha256: string }[]) {
        await this.#payloads.delete(row.sha256);
        await sql(`update ${SCHEMA}.job set data = data - 'payload' where name = $1 and id = $2`, [QUEUE, row.id]);
        cleared++;
      }
    } catch (error) {
      this.#deps.log.warn("could not remove the records of ended jobs", { error: (error as Error).message });
    }
    return cleared;
  }

  async stop(): Promise<void> {
    if (this.#scrubber) clearInterval(this.#scrubber);
    const boss = await this.#boss?.catch(() => undefined);
    await boss?.stop({ graceful: false, wait: true });
  }
}
