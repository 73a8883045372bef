/**
 * How to call a deployed flow, as curl, JavaScript (`fetch`) and Python (`requests`): the same request in
 * each, with the flow's id in the endpoint, shown by the deploy dialog and the API-token page.
 */

export interface CallTarget {
  /** The product's origin, e.g. `https://vizflow.example.com`. */
  origin: string;
  flowId: string;
  /** The API key when it is known (just created), else a placeholder the user replaces. */
  token?: string;
  /** The image URL of the example record. */
  imageUrl?: string;
}

export type SnippetLanguage = "curl" | "javascript" | "python";

export const SNIPPET_LANGUAGES: readonly { id: SnippetLanguage; title: string }[] = [
  { id: "curl", title: "curl" },
  { id: "javascript", title: "JavaScript" },
  { id: "python", title: "Python" },
];

export const TOKEN_PLACEHOLDER = "YOUR_API_TOKEN";
const EXAMPLE_IMAGE = "https://example.com/photo.jpg";

/** `POST` endpoint of a flow's deployed version. */
export function processEndpoint(origin: string, flowId: string): string {
  return `${origin}/v2/flows/${encodeURIComponent(flowId)}/process`;
}

/** The endpoint of the flow's response schema. */
export function schemaEndpoint(origin: string, flowId: string): string {
  return `${origin}/v2/flows/${encodeURIComponent(flowId)}/schema`;
}

// Each snippet is built from JSON.stringify'd values, so an id or URL with quotes cannot break the code.
function quoteShell(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The call in each language. */
export function callSnippets(target: CallTarget): Record<SnippetLanguage, string> {
  const endpoint = processEndpoint(target.origin, target.flowId);
  const token = target.token ?? TOKEN_PLACEHOLDER;
  const body = { records: [{ _url: target.imageUrl ?? EXAMPLE_IMAGE }] };
  const curl = [
    `curl -X POST ${quoteShell(endpoint)} \\`,
    `  -H ${quoteShell(`Authorization: Token ${token}`)} \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d ${quoteShell(JSON.stringify(body))}`,
  ].join("\n");
  const javascript = [
    `const response = await fetch(${JSON.stringify(endpoint)}, {`,
    `  method: "POST",`,
    `  headers: {`,
    `    Authorization: ${JSON.stringify(`Token ${token}`)},`,
    `    "Content-Type": "application/json",`,
    `  },`,
    `  body: JSON.stringify(${JSON.stringify(body)}),`,
    `});`,
    `if (!response.ok) throw new Error((await response.json()).status.text);`,
    `const { records } = await response.json();`,
    `console.log(records[0]);`,
  ].join("\n");
  const python = [
    `import requests`,
    ``,
    `response = requests.post(`,
    `    ${JSON.stringify(endpoint)},`,
    `    headers={"Authorization": ${JSON.stringify(`Token ${token}`)}},`,
    `    json=${JSON.stringify(body).replace(/":/g, '": ').replace(/,"/g, ', "')},`,
    `    timeout=60,`,
    `)`,
    `response.raise_for_status()`,
    `print(response.json()["records"][0])`,
  ].join("\n");
  return { curl, javascript, python };
}
