// One lint setup for the whole workspace: typescript-eslint's type-aware rules, React hooks rules
// for the app, Prettier owns formatting (eslint-config-prettier turns off the style rules).
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import prettier from "eslint-config-prettier";
import layering from "./scripts/eslint-layering.js";

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      ".next/**",
      ".data/**",
      ".artifacts/**",
      // Build output of publishable plugins (plugins/privacy-blur builds dist/ when packed).
      "plugins/*/dist/**",
      "**/*.js",
      "**/*.mjs",
      "next-env.d.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/only-throw-error": "off",
    },
  },
  {
    // DESIGN.md's "may import" table, kept by CI (scripts/eslint-layering.js).
    files: ["**/*.ts", "**/*.tsx"],
    plugins: { vizflow: layering },
    rules: { "vizflow/layering": "error" },
  },
  {
    files: ["app/**/*.tsx", "app/**/*.ts"],
    plugins: { "react-hooks": reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ["**/*.test.ts", "**/*.test.tsx", "e2e/**/*.ts"],
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
    },
  },
  prettier,
);
