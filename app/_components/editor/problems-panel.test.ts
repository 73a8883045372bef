import { describe, expect, it } from "vitest";

import { fieldInputId } from "./problems-panel";

describe("fieldInputId", () => {
  it("gives the id rjsf renders for the field at a config pointer", () => {
    expect(fieldInputId("/task")).toBe("root_task");
    expect(fieldInputId("/conditions/0/field")).toBe("root_conditions_0_field");
    expect(fieldInputId("/config/a~1b")).toBe("root_config_a/b");
  });
});
