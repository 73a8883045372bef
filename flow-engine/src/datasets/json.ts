/** JSON.parse with the line of a syntax error, for problems that say where to look. */
import type { ReadContext } from "./context.js";

/**
 * The offset where `text` stops being JSON (engines' messages do not always say). Called only once
 * `JSON.parse` failed, so it need not be a full validator: it finds the first token out of place.
 */
function errorOffset(text: string): number {
  let i = 0;
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text[i] as string)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const value = (): void => {
    space();
    const ch = text[i];
    if (ch === "{" || ch === "[") {
      const close = ch === "{" ? "}" : "]";
      i++;
      space();
      if (text[i] === close) return void i++;
      for (;;) {
        if (close === "}") {
          space();
          if (text[i] !== '"') fail();
          string();
          space();
          if (text[i] !== ":") fail();
          i++;
        }
        value();
        space();
        if (text[i] === ",") i++;
        else if (text[i] === close) return void i++;
        else fail();
      }
    }
    if (ch === '"') return string();
    const literal = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (literal === null) fail();
    i += (literal as RegExpExecArray)[0].length;
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") i++;
      else if ((text[i] as string) < " ") fail();
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  try {
    value();
    space();
    return i;
  } catch (offset) {
    return offset as number;
  }
}

/** The parsed value, or undefined after reporting the line where the text stops being JSON. */
export function parseJsonFile(ctx: ReadContext, file: string, text: string): unknown {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  try {
    return JSON.parse(body) as unknown;
  } catch (error) {
    const line = body.slice(0, errorOffset(body)).split("\n").length;
    ctx.problem({ file, line }, `is not valid JSON: ${(error as Error).message}`);
    return undefined;
  }
}
