"use client";

import { createContext, useContext } from "react";
import type { Role } from "../roles";

export interface CurrentWorkspace {
  id: string;
  name: string;
  role: Role;
}

const WorkspaceContext = createContext<CurrentWorkspace | null>(null);

export const WorkspaceProvider = WorkspaceContext.Provider;

/** The workspace the page is in, with the caller's role; only valid under the workspace shell. */
export function useWorkspace(): CurrentWorkspace {
  const workspace = useContext(WorkspaceContext);
  if (workspace === null) throw new Error("useWorkspace() is used outside the workspace shell");
  return workspace;
}
