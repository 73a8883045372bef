import type { ColumnType, Insertable, RawBuilder, Selectable, Updateable } from "kysely";
import type { EvaluationTable, TestSetImageTable, TestSetTable } from "./schema-evaluations.js";
import type {
  AnnotationJobItemTable,
  AnnotationJobTable,
  PreannotationRunTable,
  TrainingConfirmationTable,
  TrainingImageTable,
  TrainingItemTable,
} from "./schema-training.js";

/** A member's role in a workspace, from most to least powerful. */
export const ROLES = ["owner", "admin", "editor", "viewer"] as const;
export type Role = (typeof ROLES)[number];

/** A timestamp the database fills in by default; read back as a Date. */
type CreatedAt = ColumnType<Date, Date | undefined, never>;

export interface WorkspaceTable {
  id: string;
  name: string;
  created_at: CreatedAt;
}

export interface MemberTable {
  workspace_id: string;
  user_id: string;
  role: Role;
  created_at: CreatedAt;
}

export interface InvitationTable {
  id: string;
  workspace_id: string;
  role: Role;
  token_hash: string;
  created_by: string;
  created_at: CreatedAt;
  expires_at: Date;
  accepted_by: string | null;
  accepted_at: Date | null;
  revoked_at: Date | null;
}

/** Values the instance keeps for itself across restarts and across app servers (e.g. the auth secret). */
export interface InstanceSettingTable {
  name: string;
  value: string;
}

/** Who operates the instance: sets plans, grants credits, opens sign-up, names other operators. */
export interface InstanceOperatorTable {
  user_id: string;
  /** The operator who named them; null for the owner created at setup. */
  added_by: string | null;
  created_at: CreatedAt;
}

/** A jsonb column: written with `jsonb(value)`, read back parsed. */
type JsonColumn<T> = ColumnType<T, RawBuilder<T>, RawBuilder<T>>;

/** Soft-deleted (`deleted_at`), so usage rows keep naming it; the data layer hides deleted flows. */
export interface FlowTable {
  id: string;
  workspace_id: string;
  name: string;
  /** Newest saved version number, 0 before the first save. */
  latest_version: ColumnType<number, number | undefined, number>;
  deployed_version: number | null;
  deployed_at: Date | null;
  deployed_by: string | null;
  last_called_at: Date | null;
  created_by: string;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  deleted_at: Date | null;
}

/** An immutable saved version (a trigger refuses updates). */
export interface FlowVersionTable {
  flow_id: string;
  version: number;
  graph: ColumnType<unknown, RawBuilder<unknown>, never>;
  message: ColumnType<string, string | undefined, never>;
  created_by: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}

/** The editor's autosaved working copy of a flow, one per flow. */
export interface FlowDraftTable {
  flow_id: string;
  graph: JsonColumn<unknown>;
  /** The saved version the draft started from, if any. */
  base_version: number | null;
  updated_by: string;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export const TASK_TYPES = ["categorization", "tagging", "regression", "detection"] as const;
export type TaskTypeName = (typeof TASK_TYPES)[number];

export interface TaskTable {
  id: string;
  workspace_id: string;
  name: string;
  type: TaskTypeName;
  active_model_version_id: string | null;
  /** How many different members must confirm a training image before it is verified (1 to 10). */
  checks_required: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface TaskLabelTable {
  task_id: string;
  name: string;
  /** Labels are listed by position (the order they were added in). */
  position: number;
}

export interface ModelVersionTable {
  id: string;
  task_id: string;
  /** 1, 2, … per task. */
  version: number;
  file_sha256: string;
  file_size: number;
  /** The adapter (how to feed and read the model); validated by the engine before it is saved. */
  adapter: JsonColumn<unknown>;
  notes: ColumnType<string, string | undefined, string>;
  created_by: string;
  created_at: CreatedAt;
}

/** A model file in the blob store, by content. Shared by every version (of any task) with that content. */
export interface ModelFileTable {
  sha256: string;
  size: number;
  created_at: CreatedAt;
}

/** An API token: the key itself is shown once and never stored, only its sha256. */
export interface ApiTokenTable {
  id: string;
  workspace_id: string;
  name: string;
  prefix: string;
  token_hash: string;
  created_by: string;
  created_at: CreatedAt;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

/** A workspace's credits: `allowance + bonus - used - held` is the balance, never below zero. */
export interface CreditAccountTable {
  workspace_id: string;
  plan: string;
  monthly_allowance: number;
  bonus: ColumnType<number, number | undefined, number>;
  used: ColumnType<number, number | undefined, number>;
  held: ColumnType<number, number | undefined, number>;
  period_start: Date;
  reset_day: number;
}

/** Credits held for a request that is still running. */
export interface CreditHoldTable {
  id: string;
  workspace_id: string;
  amount: number;
  created_at: CreatedAt;
  /**
   * Until when the process running the request holds it (renewed while it runs; released by any process
   * once it lapsed); null for a queued job's hold, which lives as long as its job.
   */
  lease_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/**
 * A call to a deployed flow whose answer is kept for 24 hours (see `api-requests.ts`): `running` while a
 * keyed call holds its key, `done` with the stored answer (images stripped).
 */
export interface ApiRequestTable {
  id: string;
  workspace_id: string;
  idempotency_key: string | null;
  body_hash: string | null;
  state: "running" | "done";
  status: number | null;
  body: string | null;
  created_at: ColumnType<Date, Date | undefined, Date>;
  /** A `running` claim's lease, renewed while its call runs; lapsed, the claim is taken over (see hold leases). */
  lease_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** One settled request (or async job) of a deployed flow. */
export interface UsageEventTable {
  id: string;
  workspace_id: string;
  flow_id: string | null;
  flow_version: number | null;
  token_id: string | null;
  records: number;
  credits: number;
  status: number;
  latency_ms: number;
  created_at: CreatedAt;
  /** What ran; see `UsageKind`. */
  kind: ColumnType<UsageKind, UsageKind | undefined, never>;
  /** The member who ran a test run or a model try. */
  user_id: string | null;
  /** The task of a model try. */
  task_id: string | null;
}

/** A call to a deployed flow, a test run of a draft in the editor, or a model try on a task's page. */
export type UsageKind = "call" | "test_run" | "model_try";

/**
 * better-auth's user table. better-auth creates and owns it (camelCase columns); it is typed here
 * so that our queries can join it. Write to it only through better-auth.
 */
export interface UserTable {
  id: string;
  name: string;
  email: string;
  emailVerified: boolean;
  image: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The schema as Kysely sees it. Later migrations add their tables here. */
export interface DB {
  workspace: WorkspaceTable;
  member: MemberTable;
  invitation: InvitationTable;
  instance_setting: InstanceSettingTable;
  instance_operator: InstanceOperatorTable;
  user: UserTable;
  flow: FlowTable;
  flow_version: FlowVersionTable;
  flow_draft: FlowDraftTable;
  task: TaskTable;
  task_label: TaskLabelTable;
  model_version: ModelVersionTable;
  model_file: ModelFileTable;
  test_set: TestSetTable;
  test_set_image: TestSetImageTable;
  evaluation: EvaluationTable;
  api_token: ApiTokenTable;
  credit_account: CreditAccountTable;
  credit_hold: CreditHoldTable;
  usage_event: UsageEventTable;
  api_request: ApiRequestTable;
  training_image: TrainingImageTable;
  training_item: TrainingItemTable;
  training_confirmation: TrainingConfirmationTable;
  annotation_job: AnnotationJobTable;
  annotation_job_item: AnnotationJobItemTable;
  preannotation_run: PreannotationRunTable;
}

export type Workspace = Selectable<WorkspaceTable>;
export type NewWorkspace = Insertable<WorkspaceTable>;
export type WorkspaceUpdate = Updateable<WorkspaceTable>;
export type Member = Selectable<MemberTable>;
export type Invitation = Selectable<InvitationTable>;
export type User = Selectable<UserTable>;
