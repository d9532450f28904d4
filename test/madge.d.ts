/** The part of madge 8's API (lib/api.js) the import test uses; the package ships no typings. */
declare module "madge" {
    interface MadgeConfig {
        baseDir?: string;
        fileExtensions?: string[];
        tsConfig?: string;
        includeNpm?: boolean;
    }
    interface MadgeResult {
        /** Module -> the modules it imports (project-relative paths; `node_modules/...` with includeNpm). */
        obj(): Record<string, string[]>;
        /** Each import cycle as the list of modules on it. */
        circular(): string[][];
        warnings(): { skipped: string[] };
    }
    function madge(paths: string | string[], config?: MadgeConfig): Promise<MadgeResult>;
    export = madge;
}
