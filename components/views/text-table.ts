// A plain table of text cells that is built once and updated in place: a run's results arrive a few
// times a second while its rows change rarely, and rebuilding a table each time costs a page frame.

export interface TextTable extends HTMLTableElement {
  /** Shows `rows` (each a cell text per column key); the body is rewritten only when a cell changed. */
  update(rows: readonly Record<string, string>[]): void;
}

/** A table with one column per [key, heading] of `columns`, described by `label` for screen readers. */
export function TextTable(columns: readonly (readonly [string, string])[], {label}: {label: string}): TextTable {
  const table = document.createElement("table") as TextTable;
  table.setAttribute("aria-label", label);
  const head = table.createTHead().insertRow();
  for (const [, heading] of columns) head.appendChild(document.createElement("th")).textContent = heading;
  const body = table.createTBody();
  let shown = "";
  table.update = (rows) => {
    const cells = rows.map((row) => columns.map(([key]) => row[key] ?? ""));
    const key = JSON.stringify(cells);
    if (key === shown) return;
    shown = key;
    body.replaceChildren(...cells.map((texts) => {
      const tr = document.createElement("tr");
      for (const text of texts) tr.appendChild(document.createElement("td")).textContent = text;
      return tr;
    }));
  };
  return table;
}
