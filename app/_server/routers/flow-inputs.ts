import { FLOW_LIMITS } from "@vizflow/sdk";
import { z } from "zod";

// Input rules of the flow routers, with messages a form can show next to the field.

export const flowName = z
  .string()
  .trim()
  .min(1, "Enter a flow name.")
  .max(FLOW_LIMITS.maxFlowNameLength, `Use at most ${FLOW_LIMITS.maxFlowNameLength} characters for the flow name.`);

export const flowId = z.string().min(1, "Choose a flow.");

export const versionNumber = z.number().int("A version is a whole number.").min(1, "Versions start at 1.");

/** A graph as the editor sends it; its shape is checked by the SDK's validator, which names every problem. */
export const graphInput = z.unknown().refine((value) => typeof value === "object" && value !== null, {
  message: "The flow graph must be a JSON object.",
});

export const versionMessage = z
  .string()
  .trim()
  .max(
    FLOW_LIMITS.maxVersionMessageLength,
    `Use at most ${FLOW_LIMITS.maxVersionMessageLength} characters for the message.`,
  );

/** A test-run image: bytes as base64 (a data URL is accepted too). */
export const testImage = z
  .string()
  .min(1, "Choose an image to test with.")
  .transform((text) => text.replace(/^data:[^,]*,/, ""));
