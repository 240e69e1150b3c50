import type { Rule } from 'eslint';
export declare const APP_LAYERS: readonly string[];
export declare const appLayers: Rule.RuleModule;
