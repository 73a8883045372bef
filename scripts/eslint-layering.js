// The "may import" table of DESIGN.md's layout as a lint rule: an import (by package name or by a
// relative path that leaves its folder) from one part of the workspace into a part it may not use fails.
// Hand-written because the table is about our own folders: a package-name map and path.resolve decide
// exactly, where a generic boundaries plugin would need an import resolver that maps `.js` to `.ts`.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.dirname(path.dirname(new URL(import.meta.url).pathname));

/**
 * Which parts each part may import besides itself. Parts are top-level folders, and each plugin is
 * a part of its own (`plugins/<name>`). `*` allows everything (journeys and scripts use the product
 * through any door).
 */
export const MAY_IMPORT = {
  sdk: [],
  db: [],
  plugins: ["sdk"],
  "flow-engine": ["sdk", "db", "plugins"],
  app: ["sdk", "db", "flow-engine"],
  server: ["sdk", "db", "flow-engine", "app"],
  e2e: ["*"],
  scripts: ["*"],
};

/** Test files of the app may load a plugin as a fixture; the app itself reads plugins only through the registry. */
const TEST_EXTRA = { app: ["plugins"] };

/** `@vizflow/<name>` → the folder of that workspace package, relative to the root. */
function workspacePackages(root) {
  const folders = ["sdk", "db", "flow-engine"];
  for (const entry of readdirSync(path.join(root, "plugins"), { withFileTypes: true })) {
    if (entry.isDirectory()) folders.push(`plugins/${entry.name}`);
  }
  const byName = new Map();
  for (const folder of folders) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(root, folder, "package.json"), "utf8"));
      if (typeof pkg.name === "string") byName.set(pkg.name, folder);
    } catch {
      // A folder without a package.json is not a package.
    }
  }
  return byName;
}

/** The part a path (relative to the root, with `/`) belongs to: `plugins/x` for a plugin, else its top folder. */
export function partOf(relative) {
  const [top, second] = relative.split("/");
  if (top === undefined || top === "" || top === ".." || second === undefined) return undefined;
  if (top === "plugins") return `plugins/${second}`;
  return top in MAY_IMPORT ? top : undefined;
}

/** Whether code in part `from` may import from part `to` (`testFile`: the importing file is a test). */
export function mayImport(from, to, testFile) {
  if (from === to) return true;
  const kind = (part) => (part.startsWith("plugins/") ? "plugins" : part);
  const allowed = [...(MAY_IMPORT[kind(from)] ?? ["*"]), ...(testFile ? (TEST_EXTRA[kind(from)] ?? []) : [])];
  return allowed.includes("*") || allowed.includes(kind(to)) || allowed.includes(to);
}

const TEST_FILE = /\.(int\.)?test\.tsx?$/;

/** @type {import("eslint").Rule.RuleModule} */
export const layeringRule = {
  meta: {
    type: "problem",
    docs: { description: "Keep DESIGN.md's layering: a part imports only the parts its row allows." },
    schema: [{ type: "object", properties: { root: { type: "string" } }, additionalProperties: false }],
    messages: {
      refused:
        "{{from}} may not import {{to}} ({{specifier}}): DESIGN.md's layout allows {{from}} to import {{allowed}}.",
    },
  },
  create(context) {
    const root = context.options[0]?.root ?? ROOT;
    const packages = workspacePackages(root);
    const file = path.relative(root, context.filename).split(path.sep).join("/");
    const from = partOf(file);
    if (from === undefined) return {};
    const testFile = TEST_FILE.test(file);

    const check = (node, specifier) => {
      if (typeof specifier !== "string") return;
      let target;
      if (specifier.startsWith(".")) {
        const resolved = path.resolve(path.dirname(context.filename), specifier);
        target = partOf(path.relative(root, resolved).split(path.sep).join("/"));
      } else {
        const name = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0];
        const folder = packages.get(name);
        target = folder === undefined ? undefined : partOf(`${folder}/x`);
      }
      if (target === undefined || mayImport(from, target, testFile)) return;
      const kind = from.startsWith("plugins/") ? "plugins" : from;
      const allowed = MAY_IMPORT[kind] ?? [];
      context.report({
        node,
        messageId: "refused",
        data: { from, to: target, specifier, allowed: allowed.length === 0 ? "nothing of ours" : allowed.join(", ") },
      });
    };

    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === "Literal" && check(node.source, node.source.value),
    };
  },
};

export default { rules: { layering: layeringRule } };
