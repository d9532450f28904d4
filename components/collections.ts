/**
 * Lookups that fail naming what is missing instead of yielding `undefined`
 * (`noUncheckedIndexedAccess` types every index as possibly absent). For indexes and keys the
 * caller built from the same data, where a miss is a bug in the template, not in the config.
 */

/** `items[index]`, or an error naming `what` when there is no such element. */
export function at<T>(items: readonly T[], index: number, what: string): T {
    const item = items[index];
    if (item === undefined) throw new Error(`${what}: no element at index ${index} (there are ${items.length}).`);
    return item;
}

/** `record[key]`, or an error naming `what` and the key when it is absent. */
export function entry<V>(record: Readonly<Partial<Record<string, V>>>, key: string, what: string): V {
    const value = record[key];
    if (value === undefined) throw new Error(`${what}: no entry for "${key}" (has ${Object.keys(record).join(", ") || "none"}).`);
    return value;
}
