// eslint for the view's JavaScript (make lint): the recommended rules, for browser modules
// (src/) and node's test runner (test/, build.mjs).
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/", "harness/"] },
  js.configs.recommended,
  {
    files: ["src/**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.browser },
  },
  {
    files: ["test/**/*.mjs", "build.mjs", "eslint.config.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.node },
  },
];
