import { ROLES } from "@vizflow/db";
import { z } from "zod";
import { PASSWORD_MIN_LENGTH } from "../auth";

// Input rules shared by several routers, with messages a form can show next to the field.

export const workspaceName = z
  .string()
  .trim()
  .min(1, "Enter a workspace name.")
  .max(100, "Use at most 100 characters for the workspace name.");

export const role = z.enum(ROLES, { message: `Choose a role: ${ROLES.join(", ")}.` });

export const personName = z.string().trim().min(1, "Enter your name.").max(100, "Use at most 100 characters.");

export const email = z.email("Enter a valid email address, like name@example.com.");

export const password = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters for the password.`)
  .max(128, "Use at most 128 characters for the password.");
