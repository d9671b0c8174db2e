/**
 * Work-around for a tslab 1.0.22 bug: in a cell, object shorthand that names a variable from an
 * earlier cell (`{ label }`) compiles to a reference tslab does not rewrite, and fails at run time
 * with "label is not defined". `{ label }` and `{ label: label }` mean the same thing in every
 * position (object literals, assignment patterns, with or without `= default`), so the kernel
 * expands every shorthand property before tslab compiles the cell.
 */

/** The slice of the TypeScript compiler API this needs (tslab's own TypeScript fork provides it). */
export interface ShorthandTs {
  createSourceFile(name: string, text: string, target: number, setParents: boolean, kind: number): unknown;
  forEachChild(node: unknown, visit: (node: unknown) => void): void;
  isShorthandPropertyAssignment(node: unknown): boolean;
  ScriptTarget: { Latest: number };
  ScriptKind: { TS: number };
}

/**
 * Rewrite `{ a, b = 1 }` as `{ a: a, b: b = 1 }` in a cell's source; everything else is kept.
 * @example expandShorthand("f({ label })", ts) // "f({ label: label })"
 */
export function expandShorthand(source: string, ts: ShorthandTs): string {
  if (!source.includes("{")) return source;
  const file = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const inserts: Array<{ at: number; text: string }> = [];
  const visit = (node: unknown): void => {
    if (ts.isShorthandPropertyAssignment(node)) {
      const name = (node as { name: { end: number; text: string } }).name;
      inserts.push({ at: name.end, text: `: ${name.text}` });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let out = source;
  for (const { at, text } of inserts.sort((a, b) => b.at - a.at)) out = out.slice(0, at) + text + out.slice(at);
  return out;
}
