/**
 * Which inserts into a REGIONAL BY ROW table pay a round trip to every region: the unique
 * constraints the migrations leave on each table, and CockroachDB's rule for checking them.
 *
 * CockroachDB prefixes every index of a REGIONAL BY ROW table with its region column, so a
 * UNIQUE (email) index only guarantees uniqueness of (region, email). To enforce UNIQUE (email)
 * it plans a uniqueness check on each insert: a lookup of the new value in every region's
 * partition (docs: "Indexes on REGIONAL BY ROW tables", cockroachlabs.com/docs/v21.1/
 * multiregion-overview.html#indexes-on-regional-by-row-tables; optimizer: pkg/sql/opt/optbuilder/
 * mutation_builder_unique.go, `uniqueCheckHelper.init`). The check is skipped when:
 *  - the constraint's columns include every column the region column is computed from: here the
 *    home column is computed from the residency column alone, so a constraint that includes it is
 *    already a key with the region prefix ("because the region column is computed and depends only
 *    on k, the presence of the unique index on (region, k) ... is sufficient", same file);
 *  - one of its columns is a UUID filled by gen_random_uuid(): "uniqueness checks on those columns
 *    are disabled by default" (cluster setting sql.optimizer.uniqueness_checks_for_gen_random_uuid.
 *    enabled, default false; cockroachdb/docs _includes/.../regional-by-row-table-description.md).
 *    Modelled as: the insert lets the DEFAULT fill the column.
 */
import { bareName, matchingParen, stripComments, topLevelItems } from "../cockroach/sqlLexer";

export interface UniqueConstraint {
    readonly table: string;
    readonly name: string;
    readonly columns: readonly string[];
}

/** What the migrations leave on one table. */
export interface TableUniques {
    readonly table: string;
    readonly uniques: readonly UniqueConstraint[];
    /** UUID columns with DEFAULT gen_random_uuid(). */
    readonly randomUuidColumns: readonly string[];
}

const IDENT = `(?:"[^"]+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const QUALIFIED = `${IDENT}(?:\\.${IDENT}){0,2}`;
const CREATE_TABLE = new RegExp(`^CREATE\\s+TABLE\\s+(IF\\s+NOT\\s+EXISTS\\s+)?(${QUALIFIED})\\s*\\(`, "i");
const CREATE_UNIQUE_INDEX = new RegExp(
    `^CREATE\\s+UNIQUE\\s+INDEX\\s+(?:CONCURRENTLY\\s+)?(IF\\s+NOT\\s+EXISTS\\s+)?(${IDENT})\\s+ON\\s+(${QUALIFIED})\\s*\\(`,
    "i",
);
const DROP_INDEX = new RegExp(
    `^DROP\\s+INDEX\\s+(?:CONCURRENTLY\\s+)?(?:IF\\s+EXISTS\\s+)?([\\s\\S]+?)(?:\\s+(?:CASCADE|RESTRICT))?$`,
    "i",
);
const ALTER_TABLE = new RegExp(`^ALTER\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(${QUALIFIED})\\s+([\\s\\S]*)$`, "i");
const ADD_UNIQUE = new RegExp(`^ADD\\s+(?:CONSTRAINT\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(${IDENT})\\s+)?UNIQUE\\s*\\(`, "i");
const ADD_COLUMN = new RegExp(`^ADD\\s+(?:COLUMN\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?(${IDENT})\\s+([\\s\\S]*)$`, "i");
const DROP_CONSTRAINT = new RegExp(`^DROP\\s+CONSTRAINT\\s+(?:IF\\s+EXISTS\\s+)?(${IDENT})`, "i");
// CockroachDB also takes `UNIQUE INDEX [name] (cols)` inside CREATE TABLE.
const TABLE_CONSTRAINT = new RegExp(
    `^(?:CONSTRAINT\\s+(${IDENT})\\s+)?(PRIMARY\\s+KEY|UNIQUE(?:\\s+INDEX(?:\\s+(?!\\()(${IDENT}))?)?)\\s*\\(`,
    "i",
);
const COLUMN = new RegExp(`^(${IDENT})\\s+([\\s\\S]*)$`);

/** `(a, b DESC)` -> [a, b]; expression items (with parentheses) are kept as written. */
function columnList(text: string, open: number): string[] {
    const body = text.slice(open + 1, matchingParen(text, open));
    return topLevelItems(body).map((item) => bareName(item.replace(/\s+(ASC|DESC)(\s+NULLS\s+(FIRST|LAST))?\s*$/i, "").trim()));
}

/**
 * Unique constraints and primary keys left by the statements of the migrations, in order: CREATE
 * TABLE (column and table constraints, `UNIQUE INDEX`; skipped with IF NOT EXISTS when the table
 * exists), CREATE UNIQUE INDEX, ALTER TABLE ... ADD [CONSTRAINT name] UNIQUE / ADD COLUMN ...
 * UNIQUE / DROP CONSTRAINT, DROP INDEX t@name.
 * A light parser for the shapes migrations use, not a SQL grammar. Pure.
 */
export function uniqueConstraints(statements: readonly string[]): TableUniques[] {
    const tables = new Map<string, { uniques: UniqueConstraint[]; randomUuidColumns: string[] }>();
    for (const raw of statements) {
        const stmt = stripComments(raw).trim().replace(/;$/, "");
        const create = CREATE_TABLE.exec(stmt);
        if (create) {
            const table = bareName(create[2] ?? "");
            if (tables.has(table) && create[1]) continue;
            const open = create[0].length - 1;
            const body = stmt.slice(open + 1, matchingParen(stmt, open));
            const entry = { uniques: [] as UniqueConstraint[], randomUuidColumns: [] as string[] };
            for (const item of topLevelItems(body)) {
                const tc = TABLE_CONSTRAINT.exec(item);
                if (tc) {
                    const columns = columnList(item, tc[0].length - 1);
                    const pk = /^PRIMARY/i.test(tc[2] ?? "");
                    const given = tc[1] ?? tc[3];
                    const name = given ? bareName(given) : pk ? `${table}_pkey` : `${table}_${columns.join("_")}_key`;
                    entry.uniques.push({ table, name, columns });
                    continue;
                }
                const col = COLUMN.exec(item);
                if (!col || /^(CONSTRAINT|CHECK|FOREIGN|INDEX|FAMILY|INVERTED|VECTOR|LIKE)$/i.test(col[1] ?? "")) continue;
                const name = bareName(col[1] ?? "");
                const rest = col[2] ?? "";
                if (/\bPRIMARY\s+KEY\b/i.test(rest)) entry.uniques.push({ table, name: `${table}_pkey`, columns: [name] });
                else if (/\bUNIQUE\b/i.test(rest)) entry.uniques.push({ table, name: `${table}_${name}_key`, columns: [name] });
                if (/^UUID\b/i.test(rest) && /\bDEFAULT\s+gen_random_uuid\s*\(\s*\)/i.test(rest)) entry.randomUuidColumns.push(name);
            }
            tables.set(table, entry);
            continue;
        }
        const index = CREATE_UNIQUE_INDEX.exec(stmt);
        if (index) {
            const name = bareName(index[2] ?? "");
            const entry = tables.get(bareName(index[3] ?? ""));
            if (!entry || (index[1] && entry.uniques.some((u) => u.name === name))) continue;
            entry.uniques.push({ table: bareName(index[3] ?? ""), name, columns: columnList(stmt, index[0].length - 1) });
            continue;
        }
        const drop = DROP_INDEX.exec(stmt);
        if (drop) {
            for (const target of topLevelItems(drop[1] ?? "")) {
                const [t, i] = target.includes("@") ? target.split("@") : [undefined, target];
                const name = bareName(i ?? "");
                for (const [table, entry] of tables)
                    if (t === undefined || bareName(t) === table) entry.uniques = entry.uniques.filter((u) => u.name !== name);
            }
            continue;
        }
        const alter = ALTER_TABLE.exec(stmt);
        if (alter) {
            const table = bareName(alter[1] ?? "");
            const entry = tables.get(table);
            if (!entry) continue;
            for (const action of topLevelItems(alter[2] ?? "")) {
                const add = ADD_UNIQUE.exec(action);
                if (add) {
                    const columns = columnList(action, add[0].length - 1);
                    entry.uniques.push({ table, name: add[1] ? bareName(add[1]) : `${table}_${columns.join("_")}_key`, columns });
                    continue;
                }
                const column = ADD_COLUMN.exec(action);
                if (column && !/^(CONSTRAINT|UNIQUE|PRIMARY|CHECK|FOREIGN)$/i.test(column[1] ?? "")) {
                    const name = bareName(column[1] ?? "");
                    const rest = column[2] ?? "";
                    if (/\bUNIQUE\b/i.test(rest)) entry.uniques.push({ table, name: `${table}_${name}_key`, columns: [name] });
                    if (/^UUID\b/i.test(rest) && /\bDEFAULT\s+gen_random_uuid\s*\(\s*\)/i.test(rest)) entry.randomUuidColumns.push(name);
                    continue;
                }
                const dropped = DROP_CONSTRAINT.exec(action);
                if (dropped) entry.uniques = entry.uniques.filter((u) => u.name !== bareName(dropped[1] ?? ""));
            }
        }
    }
    return [...tables].map(([table, e]) => ({ table, uniques: e.uniques, randomUuidColumns: e.randomUuidColumns }));
}

/**
 * Whether CockroachDB checks `u` in every region on insert into a REGIONAL BY ROW table whose
 * home column is computed from `residencyColumn` (see the file comment for the rule and sources).
 */
export function checkedInEveryRegion(u: UniqueConstraint, residencyColumn: string, randomUuidColumns: readonly string[]): boolean {
    if (u.columns.includes(residencyColumn)) return false;
    if (u.columns.some((c) => randomUuidColumns.includes(c))) return false;
    return true;
}
