import type { Migration } from "kysely/migration";
import * as m20261125090000 from "./20261125090000_workspaces.js";
import * as m20261125100000 from "./20261125100000_flows_tasks_models.js";
import * as m20261125100500 from "./20261125100500_api_tokens_credits_usage.js";
import * as m20261125101000 from "./20261125101000_test_sets_evaluations.js";
import * as m20261201090000 from "./20261201090000_usage_kind.js";
import * as m20261207100000 from "./20261207100000_training_sets.js";
import * as m20261207110000 from "./20261207110000_api_requests.js";
import * as m20261207120000 from "./20261207120000_operators_bigint_credits.js";
import * as m20261207130000 from "./20261207130000_hold_leases.js";
import * as m20261207180000 from "./20261207180000_preannotation_counts.js";

/**
 * Every migration, in order. Imported statically so that bundlers (Next) see them: no folder scanning.
 * To add one: create `<yyyymmddhhmmss>_<what>.ts` beside this file and append it here.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  "20261125090000_workspaces": m20261125090000,
  "20261125100000_flows_tasks_models": m20261125100000,
  "20261125100500_api_tokens_credits_usage": m20261125100500,
  "20261125101000_test_sets_evaluations": m20261125101000,
  "20261201090000_usage_kind": m20261201090000,
  "20261207100000_training_sets": m20261207100000,
  "20261207110000_api_requests": m20261207110000,
  "20261207120000_operators_bigint_credits": m20261207120000,
  "20261207130000_hold_leases": m20261207130000,
  "20261207180000_preannotation_counts": m20261207180000,
};
