// The lint preset every workspace extends: typescript-eslint's recommended type-aware rules plus
// the few project rules that keep the codebase honest (no floating promises, no process.env outside env.ts).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** @param {{ tsconfigRootDir: string, envFiles?: string[] }} options */
export function baseConfig({ tsconfigRootDir, envFiles = ["**/env.ts"] }) {
  return tseslint.config(
    { ignores: ["**/dist/**", "**/.next/**", "**/generated/**", "**/node_modules/**", "**/*.config.*", "next-env.d.ts"] },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
      languageOptions: { parserOptions: { projectService: true, tsconfigRootDir } },
      rules: {
        "@typescript-eslint/no-floating-promises": "error",
        "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
        "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
        "@typescript-eslint/only-throw-error": "error",
        "no-restricted-properties": [
          "error",
          { object: "process", property: "env", message: "Read configuration through the app's validated env module." },
        ],
      },
    },
    { files: envFiles, rules: { "no-restricted-properties": "off" } },
  );
}
