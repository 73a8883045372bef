/** The core plugin: the built-in actions every flow is made of (DESIGN.md "Execution semantics"). */
import { definePlugin } from "@vizflow/sdk";

import { branchSelector } from "./branch-selector.js";
import { condition } from "./condition.js";
import { detection } from "./detection.js";
import { input } from "./input.js";
import { list } from "./list.js";
import { nestedFlow } from "./nested-flow.js";
import { objectSelector } from "./object-selector.js";
import { recognition } from "./recognition.js";
import { service } from "./service.js";

export type { BranchSelectorConfig } from "./branch-selector.js";
export type { ConditionConfig } from "./condition.js";
export type { DetectionConfig } from "./detection.js";
export type { FieldTest, TestOperator } from "./field-test.js";
export type { ListConfig } from "./list.js";
export type { NestedFlowConfig } from "./nested-flow.js";
export type { ObjectSelectorConfig } from "./object-selector.js";
export type { RecognitionConfig } from "./recognition.js";
export type { ServiceConfig } from "./service.js";
export { branchSelector, condition, detection, input, list, nestedFlow, objectSelector, recognition, service };
export { evaluateTest, readPath, TEST_OPERATORS } from "./field-test.js";

const corePlugin = definePlugin({
  name: "core",
  title: "Core",
  description:
    "The built-in actions: input, recognition, detection, selectors, services, lists, nested flows, conditions.",
  actions: [input, recognition, detection, branchSelector, objectSelector, service, list, nestedFlow, condition],
});

export default corePlugin;
