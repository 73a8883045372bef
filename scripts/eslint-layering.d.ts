import type { ESLint, Rule } from "eslint";

export declare const MAY_IMPORT: Readonly<Record<string, readonly string[]>>;
export declare function partOf(relative: string): string | undefined;
export declare function mayImport(from: string, to: string, testFile: boolean): boolean;
export declare const layeringRule: Rule.RuleModule;
declare const plugin: ESLint.Plugin;
export default plugin;
