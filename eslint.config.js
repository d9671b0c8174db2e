"use strict";
// The lint gate (run by `npm test`): the rules this codebase follows, plus the layering rules of
// CONTRIBUTING: engines never print and never import the kernel side, the extension never imports src/.
const js = require("@eslint/js");
const tseslint = require("typescript-eslint");
const prettier = require("eslint-config-prettier");
const globals = require("globals");

// Lines Prettier cannot wrap (long strings, comments) still have a limit.
const maxLen = [
  "error",
  { code: 120, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true },
];

// Engines return values; only the display layer talks to the kernel.
const noDisplay = {
  group: ["**/display", "**/display/**"],
  message: "engines return values; only src/display/ talks to the kernel",
};

module.exports = tseslint.config(
  {
    ignores: [
      "dist/",
      "out/",
      ".venv/",
      ".venv-mxnet/",
      "node_modules/",
      "extension/lib/",
      "extension/labextension/",
      "extension/node_modules/",
      "test/fixtures/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      "max-len": maxLen,
      eqeqeq: ["error", "always", { null: "ignore" }],
      "prefer-const": "error",
      "no-var": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
    },
  },
  // Node scripts and the kernel launcher: CommonJS, console is their output.
  {
    files: ["**/*.js"],
    languageOptions: { sourceType: "commonjs", globals: { ...globals.node } },
    rules: { "@typescript-eslint/no-require-imports": "off", "no-redeclare": ["error", { builtinGlobals: false }] },
  },
  // Tests may poke at untyped JSON and built modules.
  { files: ["test/**/*.ts"], rules: { "@typescript-eslint/no-explicit-any": "off" } },
  // The library: never prints (only the display layer writes to the kernel).
  {
    files: ["src/**/*.ts"],
    ignores: ["src/display/**"],
    rules: { "no-console": "error" },
  },
  // Engines and shared ground never import the kernel side.
  {
    files: ["src/{tabular,gbt,model,image}/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [noDisplay] }] },
  },
  // eval/ is model-agnostic: gbt/, model/ (and image/) import it, never the reverse.
  {
    files: ["src/eval/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            noDisplay,
            {
              group: ["**/tabular/**", "**/gbt/**", "**/model/**", "**/image/**"],
              message: "eval/ is below the engines (architecture.md): move the shared piece down to eval/ or util/",
            },
          ],
        },
      ],
    },
  },
  // Shared ground (io/, util/) is below every engine.
  {
    files: ["src/{io,util}/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            noDisplay,
            {
              group: ["**/tabular/**", "**/gbt/**", "**/model/**", "**/eval/**", "**/image/**"],
              message: "io/ and util/ are the shared ground below the engines; they import none of them",
            },
          ],
        },
      ],
    },
  },
  // The JupyterLab extension is browser code: nothing from the kernel side.
  {
    files: ["extension/src/**/*.ts"],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      // JupyterLab's convention: `namespace CommandIDs { export const open = ... }`.
      "@typescript-eslint/no-namespace": "off",
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/src/**", "ml-dataprep-ts", "ml-dataprep-ts/**"],
              message: "the extension is browser code and imports nothing from the kernel side",
            },
          ],
        },
      ],
    },
  },
);
