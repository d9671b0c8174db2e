import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { projectPath } from "../../src/util/paths";
import * as api from "../../src/index";

// The package's types (package.json "types"): what notebook Tab completion and the TypeScript
// checker see. Read with the TypeScript compiler, so type-only exports count too.
const TYPES = projectPath("dist", "src", "index.d.ts");

interface PublicApi {
  names: Set<string>;
  checker: ts.TypeChecker;
  exports: ts.Symbol[];
}

function loadTypes(): PublicApi {
  const program = ts.createProgram([TYPES], { noEmit: true, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(TYPES);
  assert.ok(source, `the built types are missing: ${TYPES} (run npx tsc -b)`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  assert.ok(moduleSymbol, `${TYPES} is not a module`);
  const exports = checker.getExportsOfModule(moduleSymbol);
  return { names: new Set(exports.map((s) => s.getName())), checker, exports };
}

/** Every `import { a, type B, c as d } from "ml-dataprep-ts"` in a text: the imported names (a, B, c). */
function importedNames(code: string): string[] {
  const names: string[] = [];
  for (const m of code.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*["']ml-dataprep-ts["']/g)) {
    for (const part of m[1].split(",")) {
      const name = part
        .trim()
        .replace(/^type\s+/, "")
        .split(/\s+as\s+/)[0]
        .trim();
      if (/^[A-Za-z_$][\w$]*$/.test(name)) names.push(name); // prose like `import { ... }` is skipped
    }
  }
  return names;
}

function notebooks(dir = projectPath("notebooks")): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name.startsWith(".") ? [] : notebooks(p);
    return e.name.endsWith(".ipynb") ? [p] : [];
  });
}

function codeOf(notebook: string): string {
  const nb = JSON.parse(fs.readFileSync(notebook, "utf8")) as {
    cells: { cell_type: string; source: string | string[] }[];
  };
  return nb.cells
    .filter((c) => c.cell_type === "code")
    .map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source))
    .join("\n");
}

/** Does a call signature return a plotly figure (PlotlyFigure, or the report's PlotlyFigure & Displayable)? */
function returnsFigure(checker: ts.TypeChecker, type: ts.Type): boolean {
  return type
    .getCallSignatures()
    .some((s) => /\b(PlotlyFigure|Figure)\b/.test(checker.typeToString(checker.getReturnTypeOfSignature(s))));
}

describe("public API (dist/src/index.d.ts, the package's types)", () => {
  let types: PublicApi;
  before(() => {
    types = loadTypes();
  });

  it("exports no underscore name and none of the known internals", () => {
    assert.ok(types.names.size > 100, `only ${types.names.size} exported names: the types did not load`);
    const underscored = [...types.names].filter((n) => n.startsWith("_"));
    assert.deepEqual(underscored, [], "underscore names in the public types");
    const internals = [
      "countByte", // read-table's scanner
      "RESERVED", // column-names
      "expandShorthand", // the kernel hook's shorthand expansion
      "installTslabHook",
      "publish",
      "checkMatrix", // input checks
      "checkAlerts",
      "checkFeatureCount",
      "logGamma", // alerts' math
      "rankAverage",
      "quantize",
      "growTree",
      "auc", // eval-metrics' workers behind evalMetric(name, ...)
      "logloss",
      "error",
      "helperThread",
    ];
    assert.deepEqual(
      internals.filter((n) => types.names.has(n)),
      [],
      "internals in the public types",
    );
  });

  it("the built module's values are exactly the value exports of its types", () => {
    const runtime = Object.keys(api).sort();
    assert.deepEqual(
      runtime.filter((n) => n.startsWith("_")),
      [],
      "underscore names at run time (Tab completion)",
    );
    const valueNames = types.exports
      .filter((s) => {
        const target = s.flags & ts.SymbolFlags.Alias ? types.checker.getAliasedSymbol(s) : s;
        return (target.flags & ts.SymbolFlags.Value) !== 0;
      })
      .map((s) => s.getName())
      .sort();
    assert.deepEqual(runtime, valueNames);
  });

  it("has one spelling for logloss and ROC AUC (logLoss, rocAucScore)", () => {
    assert.ok(types.names.has("logLoss") && types.names.has("rocAucScore"));
    for (const other of ["logloss", "auc", "rocAuc", "rocAucScoreFn"]) assert.ok(!types.names.has(other), other);
  });

  it("names every function and method that returns a plotly figure *Figure", () => {
    const { checker } = types;
    const wrong: string[] = [];
    let figures = 0;
    const found: string[] = [];
    for (const s of types.exports) {
      const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
      const decl = target.valueDeclaration;
      if (!decl) continue;
      const type = checker.getTypeOfSymbolAtLocation(target, decl);
      if (returnsFigure(checker, type)) {
        figures++;
        found.push(s.getName());
        if (!s.getName().endsWith("Figure")) wrong.push(s.getName());
      }
      if (target.flags & ts.SymbolFlags.Class) {
        const instance = checker.getDeclaredTypeOfSymbol(target);
        for (const m of instance.getProperties()) {
          const mDecl = m.valueDeclaration;
          if (!mDecl || !returnsFigure(checker, checker.getTypeOfSymbolAtLocation(m, mDecl))) continue;
          figures++;
          found.push(`${s.getName()}.${m.getName()}()`);
          if (!m.getName().endsWith("Figure")) wrong.push(`${s.getName()}.${m.getName()}()`);
        }
      }
    }
    assert.ok(figures >= 17, `found ${figures} figure builders (expected at least 17: the check did not run)`);
    for (const f of ["Evaluation.rocCurveFigure()", "Leaderboard.scoreFigure()", "ProfileReport.histogramsFigure()"])
      assert.ok(found.includes(f), `${f} is seen as a figure builder (found: ${found.join(", ")})`);
    assert.deepEqual(wrong, [], "return a plotly figure but do not end in Figure");
  });

  it("exports every name the notebooks import, and notebooks import only from the package root", () => {
    const files = notebooks();
    assert.ok(files.length >= 3, `notebooks found: ${files.length}`);
    const missing: string[] = [];
    let imported = 0;
    for (const file of files) {
      const code = codeOf(file);
      const rel = path.relative(projectPath(), file);
      assert.doesNotMatch(code, /from\s*["']ml-dataprep-ts\//, `${rel} imports a deep path`);
      for (const name of importedNames(code)) {
        imported++;
        if (!types.names.has(name)) missing.push(`${rel}: ${name}`);
      }
    }
    assert.ok(imported >= 40, `only ${imported} imported names found: the import parser missed them`);
    assert.deepEqual(missing, [], "notebook imports the package does not export");
  });

  it("exports every name the README's examples import", () => {
    const readme = fs.readFileSync(projectPath("README.md"), "utf8");
    const names = importedNames(readme);
    assert.ok(names.length > 0, "the README imports from ml-dataprep-ts");
    assert.deepEqual(
      names.filter((n) => !types.names.has(n)),
      [],
    );
  });

  it("parses imports the way notebooks write them", () => {
    assert.deepEqual(
      importedNames('import {\n  a, type B,\n  c as d,\n} from "ml-dataprep-ts";\nimport { e } from "x"'),
      ["a", "B", "c"],
    );
  });
});
