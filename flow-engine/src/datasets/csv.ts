/** CSV as spreadsheets write it (RFC 4180: quotes, doubled quotes, line breaks inside quotes), with line numbers. */

export interface CsvRow {
  /** The 1-based line the row starts on. */
  readonly line: number;
  /** The cells, unquoted; unquoted cells are trimmed. */
  readonly cells: readonly string[];
}

/** The non-blank rows of a CSV text. An unclosed quote runs to the end of the text, as spreadsheets read it. */
export function readCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let inQuotes = false;
  let line = 1;
  let rowLine = 1;
  const endCell = () => {
    cells.push(quoted ? cell : cell.trim());
    cell = "";
    quoted = false;
  };
  const endRow = () => {
    endCell();
    if (cells.length > 1 || cells[0] !== "") rows.push({ line: rowLine, cells });
    cells = [];
  };
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (inQuotes) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') inQuotes = false;
      else {
        if (ch === "\n") line++;
        cell += ch;
      }
    } else if (ch === '"' && cell.trim() === "") {
      inQuotes = true;
      quoted = true;
      cell = "";
    } else if (ch === ",") endCell();
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && body[i + 1] === "\n") i++;
      endRow();
      line++;
      rowLine = line;
    } else if (!(quoted && ch.trim() === "")) cell += ch;
  }
  if (cell !== "" || cells.length > 0 || quoted) endRow();
  return rows;
}

/** One CSV line (no line break) with the cells quoted where they need it. */
export function csvLine(cells: readonly string[]): string {
  return cells.map((c) => (/[",\r\n]|^\s|\s$/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(",");
}
