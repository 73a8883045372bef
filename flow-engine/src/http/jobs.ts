/**
 * Async processing for large batches on pg-boss (10.x: the last major that runs on Node 20), in the same
 * database as everything else: PostgreSQL, or PGlite through the database's own `executeSql`. The hold is
 * placed when the job is enqueued (so a caller learns of missing credits at once) under the job's id, and
 * it has no lease: it lives as long as the job, however long the job waits. Any engine process may run the
 * job. An attempt is given `expireInSeconds`: past it, its run is aborted (its models stop) and the attempt
 * fails only once the run has stopped; pg-boss's own expiry, later by a grace period, only catches workers
 * that died. A failed attempt keeps the hold for the next one; the attempt that returns results settles
 * it (settlement deletes the hold row first, so a job is billed once), and a job that failed for good is
 * billed nothing and says why. The holds of jobs that are gone or failed without settling are released.
 * The records go to the payload store (encrypted, `job-payloads.ts`), the job row keeps only their
 * reference and key, and the payload is deleted when the job ends (its last attempt returns or fails; a
 * sweep catches cancelled jobs and workers that died between the two) or, at the latest, once it is older
 * than `payloadTtlSeconds` (`removeExpiredPayloads`, at start and periodically: what a crash left). What
 * pg-boss keeps of a job (its output, its error) carries no image and no URL query string.
 */
import { holdForJob, releaseCreditHold, settleCreditHold, type BlobStore, type Database } from "@vizflow/db";
import PgBoss from "pg-boss";
import type { ProcessResult } from "../engine/engine.js";
import { redactText } from "../engine/redact.js";
import { openPayload, sealPayload, type PayloadRef } from "./job-payloads.js";
import { processAndSettle, settle, type HeldRun, type MeteredRunDeps, type RunRequest } from "./metered-run.js";
import { imageFieldNames, withoutImages } from "./stored-response.js";

const QUEUE = "vizflow-process";
const SCHEMA = "pgboss";

export interface JobQueueOptions {
  /** How long one attempt may run before it is aborted and retried (default 900 s). */
  expireInSeconds?: number;
  /** Retries after a failure or expiry (default 3). */
  retryLimit?: number;
  /** How often expired jobs are looked for (default 30 s). */
  maintenanceIntervalSeconds?: number;
  /** How often an idle worker polls (default 1 s). */
  pollingIntervalSeconds?: number;
  /**
   * A queued job's records are deleted this long after they were queued, whatever became of the job
   * (default 86,400 s: 24 h); a job still waiting then has expired and fails saying so.
   */
  payloadTtlSeconds?: number;
}

/** Default lifetime of a queued job's records: 24 hours. */
export const DEFAULT_PAYLOAD_TTL_SECONDS = 86_400;
/** The expiry sweep runs at least this often (more often for short lifetimes). */
const PAYLOAD_SWEEP_EVERY_MS = 10 * 60_000;

interface JobData {
  request: Omit<RunRequest, "version" | "records"> & { version: number };
  /** The records in the row itself: only jobs queued before there was a payload store (scrubbed once ended). */
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
  /** Why the job failed (its last attempt's error), once it has. */
  error?: string;
}

/** pg-boss's expiry comes this long after an attempt's own deadline: it only catches dead workers. */
const EXPIRY_GRACE_SECONDS = 5;
/** A job's hold without a job this long after it was placed belongs to a job that was never queued. */
const ORPHAN_HOLD_MS = 60_000;

export class JobQueue {
  readonly #database: Database;
  readonly #deps: MeteredRunDeps;
  readonly #options: Required<JobQueueOptions>;
  readonly #payloads: BlobStore;
  #boss: Promise<PgBoss> | undefined;
  #scrubber: NodeJS.Timeout | undefined;
  #expirySweep: NodeJS.Timeout | undefined;
  #stopped = false;

  /** `payloads`: where queued records go, encrypted (the assembly's `job-payloads` store). */
  constructor(database: Database, deps: MeteredRunDeps, payloads: BlobStore, options: JobQueueOptions = {}) {
    this.#database = database;
    this.#deps = deps;
    this.#payloads = payloads;
    this.#options = {
      expireInSeconds: options.expireInSeconds ?? 900,
      retryLimit: options.retryLimit ?? 3,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 30,
      pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1,
      payloadTtlSeconds: options.payloadTtlSeconds ?? DEFAULT_PAYLOAD_TTL_SECONDS,
    };
  }

  /** How long a queued job's records are kept at most, in seconds. */
  get payloadTtlSeconds(): number {
    return this.#options.payloadTtlSeconds;
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
    const payload = await sealPayload(this.#payloads, records);
    const data: JobData = { request: { ...request, version: run.prepared.version ?? 0 }, payload, held: run.held };
    // The hold becomes the job's before the job exists: a job never runs on a hold that may lapse.
    if (!(await holdForJob(this.#database.db, run.request.id))) {
      await this.#payloads.delete(payload.sha256).catch(() => undefined);
      throw new Error(`the hold of job ${run.request.id} was released before the job was queued`);
    }
    try {
      await boss.send(QUEUE, data, {
        id: run.request.id,
        retryLimit: this.#options.retryLimit,
        expireInSeconds: this.#options.expireInSeconds + EXPIRY_GRACE_SECONDS,
        // A job still waiting when its records expire is dropped by pg-boss's maintenance too.
        retentionSeconds: this.#options.payloadTtlSeconds,
      });
    } catch (error) {
      // No job names the payload: delete it now, nobody else would (its key is lost with `data`).
      await this.#payloads.delete(payload.sha256).catch(() => undefined);
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
    if (job.state === "failed") {
      const output = job.output as { message?: unknown } | null | undefined;
      view.error = typeof output?.message === "string" ? output.message : "the job failed";
    }
    return view;
  }

  /** Starts consuming jobs in this process. */
  async work(): Promise<void> {
    const boss = await this.#start();
    await boss.work<JobData>(
      QUEUE,
      { batchSize: 1, pollingIntervalSeconds: this.#options.pollingIntervalSeconds, includeMetadata: true },
      async ([job]) => (job ? this.#attempt(job) : undefined),
    );
    // Records (images) are kept only until their job has ended.
    this.#scrubber = setInterval(() => void this.removeEndedPayloads(), 10_000);
    this.#scrubber.unref();
  }

  /**
   * Runs `removeExpiredPayloads` now (what a crash left before this start) and then periodically, in
   * every process that shares the payload store, whether or not it works jobs.
   */
  async sweepExpiredPayloads(): Promise<void> {
    await this.removeExpiredPayloads();
    if (this.#expirySweep || this.#stopped) return;
    const every = Math.min(PAYLOAD_SWEEP_EVERY_MS, Math.max(1000, (this.#options.payloadTtlSeconds * 1000) / 4));
    this.#expirySweep = setInterval(() => void this.removeExpiredPayloads(), every);
    this.#expirySweep.unref();
  }

  /** One attempt: aborted at its deadline, and failing only once its run has stopped. */
  async #attempt(job: PgBoss.JobWithMetadata<JobData>): Promise<JobView["response"]> {
    const seconds = this.#options.expireInSeconds;
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new Error(`the attempt ran longer than ${seconds} s and was stopped`)),
      seconds * 1000,
    );
    const final = job.retryCount >= job.retryLimit;
    const attempt = job.retryCount + 1;
    // The job ends with this attempt when it returns, or fails and is the last: its records go then.
    let ended = final;
    try {
      const response = await this.#run(job.id, job.data, controller.signal, final);
      ended = true;
      return response;
    } catch (error) {
      // pg-boss keeps this message (and logs carry it): no URL query string, no base64.
      const reason = redactText((error as Error).message);
      const log = this.#deps.log;
      if (final) log.error("job failed; nothing was billed", { jobId: job.id, attempt, error: reason });
      else log.warn("job attempt failed; it will be retried", { jobId: job.id, attempt, error: reason });
      const failure = new Error(`attempt ${attempt} of ${job.retryLimit + 1}: ${reason}`);
      failure.stack = failure.message;
      throw failure;
    } finally {
      clearTimeout(timer);
      if (ended && job.data.payload) {
        await this.#payloads.delete(job.data.payload.sha256).catch((error: unknown) =>
          this.#deps.log.warn("could not delete an ended job's records; the sweep will", {
            jobId: job.id,
            error: (error as Error).message,
          }),
        );
      }
    }
  }

  async #run(id: string, data: JobData, signal: AbortSignal, final: boolean): Promise<JobView["response"]> {
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
    const run: HeldRun = { request, workspace, prepared, held: data.held, started };
    let result: ProcessResult;
    try {
      ({ result } = await processAndSettle(
        deps,
        run,
        signal,
        () => {
          // An aborted run returns (its records say so): it is not this job's result, and it bills nothing.
          if (signal.aborted) throw signal.reason as Error;
        },
        // A job waits for room in the pixel budget rather than failing: its hold stays placed meanwhile.
        { keepHoldOnFailure: true, waitForPixels: true },
      ));
    } catch (error) {
      // The last attempt releases the hold (usage row 500, no credits); earlier ones leave it to the next.
      if (final) await settle(deps, run, 0, 500);
      throw error;
    }
    deps.log.info("job completed", { jobId: id, workspaceId: request.workspaceId, credits: result.statistics.credits });
    // pg-boss stores the answer (job.output) for GET /v2/jobs/{id}: as a stored answer, it keeps no image.
    const response = { ...result, status: { code: 200, text: "OK" } };
    return withoutImages(response, imageFieldNames(prepared.plan)) as JobView["response"];
  }

  /**
   * Releases, unbilled, the holds of jobs that will not run again: failed or cancelled without settling
   * (their worker died on the last attempt), gone, or never queued. Returns how many. Does nothing before
   * the queue started in this process.
   */
  async releaseFinishedJobHolds(): Promise<number> {
    if (!this.#boss) return 0;
    await this.#boss;
    const { rows } = await this.#database.executeSql(
      `select h.id from credit_hold h
       where h.lease_until is null and h.created_at < now() - $2 * interval '1 millisecond'
         and not exists (select 1 from ${SCHEMA}.job j
           where j.name = $1 and j.id::text = h.id and j.state in ('created', 'retry', 'active'))`,
      [QUEUE, ORPHAN_HOLD_MS],
    );
    let released = 0;
    for (const row of rows as { id: string }[]) {
      if (await releaseCreditHold(this.#database.db, row.id)) {
        released++;
        this.#deps.log.warn("released the hold of a job that failed or went away; nothing was billed", {
          jobId: row.id,
        });
      }
    }
    return released;
  }

  async #recordsOf(data: JobData): Promise<unknown[]> {
    if (data.payload === undefined) return data.records ?? [];
    if ((await this.#payloads.stat(data.payload.sha256)) === undefined) {
      throw new Error(
        `the job's records are gone: they are deleted once the job has ended or ${this.#options.payloadTtlSeconds} s after it was queued (VIZFLOW_JOB_PAYLOAD_TTL_SECONDS); send the request again`,
      );
    }
    return openPayload(this.#payloads, data.payload);
  }

  /**
   * Deletes the payloads stored more than `payloadTtlSeconds` before `now` (a job still waiting for them
   * has expired; one whose engine was killed left them behind) and the temp files of puts a crash
   * interrupted. Returns how many payloads it deleted.
   */
  async removeExpiredPayloads(now: Date = new Date()): Promise<number> {
    const before = new Date(now.getTime() - this.#options.payloadTtlSeconds * 1000);
    let removed = 0;
    try {
      const partial = await this.#payloads.removePartialWrites(before);
      for await (const blob of this.#payloads.list()) {
        if (blob.storedAt >= before) continue;
        await this.#payloads.delete(blob.sha256);
        removed++;
      }
      if (removed > 0 || partial > 0) {
        this.#deps.log.info("deleted queued jobs' records past their lifetime", {
          payloads: removed,
          partialWrites: partial,
          ttlSeconds: this.#options.payloadTtlSeconds,
        });
      }
    } catch (error) {
      this.#deps.log.warn("could not delete expired job records", { error: (error as Error).message });
    }
    return removed;
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

  /**
   * Stops the queue; `graceful`: first lets the running attempts finish and settle (up to
   * `expireInSeconds`), taking no new ones.
   */
  async stop(graceful = false): Promise<void> {
    if (this.#scrubber) clearInterval(this.#scrubber);
    if (this.#expirySweep) clearInterval(this.#expirySweep);
    const boss = await this.#boss?.catch(() => undefined);
    if (this.#stopped) return;
    this.#stopped = true;
    await boss?.stop({ graceful, wait: true, timeout: (this.#options.expireInSeconds + 1) * 1000 });
  }
}
