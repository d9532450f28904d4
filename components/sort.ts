/** Sorting helpers shared by the deterministic builders (specs, plans, placement). */

/** Code-unit order: stable across locales (unlike `localeCompare`). */
export function cmp(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}
