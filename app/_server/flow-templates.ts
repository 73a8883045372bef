/**
 * Starter flows a new workspace can begin from. Each is a plain flow graph of core actions and the built-in
 * services; tasks are left empty where a template needs one (the editor asks for them).
 */
import { FLOW_GRAPH_SCHEMA_VERSION, INPUT_ACTION, type FlowEdge, type FlowGraph, type FlowNode } from "@vizflow/sdk";

export interface FlowTemplate {
  id: string;
  title: string;
  description: string;
  /** What the user still chooses after creating the flow, in words (empty: it runs as it is). */
  toChoose: string[];
  graph: FlowGraph;
}

const input: FlowNode = { id: "input", action: INPUT_ACTION, config: {}, position: { x: 0, y: 0 }, label: "Input" };

function node(
  id: string,
  action: string,
  config: Record<string, unknown>,
  x: number,
  y: number,
  label?: string,
): FlowNode {
  return { id, action, config, position: { x, y }, ...(label === undefined ? {} : { label }) };
}

function edge(source: string, sourceHandle: string, target: string): FlowEdge {
  return { id: `${source}-${sourceHandle}-${target}`, source, sourceHandle, target };
}

function graph(nodes: FlowNode[], edges: FlowEdge[]): FlowGraph {
  return { schema: FLOW_GRAPH_SCHEMA_VERSION, nodes: [input, ...nodes], edges };
}

const SERVICE = "core/service@1";

export const FLOW_TEMPLATES: readonly FlowTemplate[] = [
  {
    id: "detect-then-classify",
    title: "Detect, then classify each object",
    description:
      "An Object Selector finds the objects of a detection task and a Recognition classifies each object's crop.",
    toChoose: ["a detection task for the Object Selector", "a categorization task for the Recognition"],
    graph: graph(
      [
        node("objects", "core/object-selector@1", { task: "", minProb: 0.5, maxObjects: 10, padding: 0 }, 0, 140),
        node("classify", "core/recognition@1", { task: "", output: "category" }, 0, 280),
      ],
      [edge("input", "next", "objects"), edge("objects", "objects", "classify")],
    ),
  },
  {
    id: "faces-and-expressions",
    title: "Faces and their expressions",
    description: "Finds every face, then reads each face's expression (happy, sad, surprise…).",
    toChoose: [],
    graph: graph(
      [
        node(
          "faces",
          SERVICE,
          { action: "faces/detect@1", config: { minProb: 0.7, maxFaces: 50, output: "face_count" }, maxObjects: 50 },
          0,
          140,
        ),
        node("expression", SERVICE, { action: "faces/expression@1", config: { output: "expression" } }, 0, 280),
      ],
      [edge("input", "next", "faces"), edge("faces", "objects", "expression")],
    ),
  },
  {
    id: "document-ocr",
    title: "Read the text of documents",
    description: "Measures how sharp the scan is, then reads every line of text (OCR) with its position.",
    toChoose: [],
    graph: graph(
      [
        node("quality", SERVICE, { action: "quality/measure@1", config: { output: "quality" } }, 0, 140),
        node(
          "ocr",
          SERVICE,
          { action: "ocr/read-text@1", config: { minProb: 0.5, output: "text" }, maxObjects: 200 },
          0,
          280,
        ),
      ],
      [edge("input", "next", "quality"), edge("quality", "next", "ocr")],
    ),
  },
  {
    id: "branch-on-category",
    title: "Branch on a category",
    description:
      "A Branch Selector classifies the image and continues on the branch of its label; anything else goes to Else.",
    toChoose: ["a categorization task for the Branch Selector", "the labels that get a branch"],
    graph: graph(
      [node("branch", "core/branch-selector@1", { task: "", branches: [], output: "category" }, 0, 140)],
      [edge("input", "next", "branch")],
    ),
  },
];

export function findTemplate(id: string): FlowTemplate | undefined {
  return FLOW_TEMPLATES.find((template) => template.id === id);
}
