import { describe, expect, test } from "vitest";
import { callSnippets, processEndpoint, SNIPPET_LANGUAGES, TOKEN_PLACEHOLDER } from "./call-snippets";

const target = { origin: "https://vizflow.example.com", flowId: "3f2b9c1e-flow" };

describe("call snippets", () => {
  test("every snippet calls the flow's own endpoint, with its id filled in", () => {
    const snippets = callSnippets(target);
    for (const { id } of SNIPPET_LANGUAGES) {
      expect(snippets[id], id).toContain("https://vizflow.example.com/v2/flows/3f2b9c1e-flow/process");
      expect(snippets[id], id).not.toContain("<flow id>");
      expect(snippets[id], id).toContain(`Token ${TOKEN_PLACEHOLDER}`);
      expect(snippets[id], id).toContain("https://example.com/photo.jpg");
    }
  });

  test("a known token replaces the placeholder everywhere", () => {
    const snippets = callSnippets({ ...target, token: "vf_live_abc" });
    for (const { id } of SNIPPET_LANGUAGES) {
      expect(snippets[id], id).toContain("Token vf_live_abc");
      expect(snippets[id], id).not.toContain(TOKEN_PLACEHOLDER);
    }
  });

  test("the curl body is valid JSON and the Python body is the same records", () => {
    const snippets = callSnippets({ ...target, imageUrl: "https://img.example.com/a b.jpg" });
    const curlBody = /-d '(.*)'$/.exec(snippets.curl)?.[1];
    expect(JSON.parse(curlBody ?? "")).toEqual({ records: [{ _url: "https://img.example.com/a b.jpg" }] });
    const pythonBody = /json=(.*),$/m.exec(snippets.python)?.[1];
    expect(JSON.parse(pythonBody ?? "")).toEqual({ records: [{ _url: "https://img.example.com/a b.jpg" }] });
    expect(snippets.javascript).toContain('method: "POST"');
  });

  test("quotes in values cannot break out of the shell string", () => {
    const snippets = callSnippets({ ...target, imageUrl: "https://x.example/it's.jpg" });
    expect(snippets.curl).toContain(`'\\''`);
    expect(processEndpoint("https://h", "a/b")).toBe("https://h/v2/flows/a%2Fb/process");
  });
});
