/**
 * The migrations in `db/`: reading them, the rules they must follow (plain SQL, no region names,
 * no locality DDL), and what they tell about tables, columns and foreign keys.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { at } from "../collections";
import { bareName, matchingParen, stripComments, topLevelItems } from "./sqlLexer";

/** A migration file as read from `db/`. */
export interface Migration {
    readonly name: string;
    readonly sql: string;
}

/** Thrown when a migration file breaks the rules of `db/`. */
export class MigrationError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "MigrationError";
    }
}

const CLOUD_REGION = /\b(?:aws|gcp)-[a-z]+(?:-[a-z]+)*-?\d+\b/i;
const AWS_REGION =
    /\b(?:us|eu|ap|ca|sa|me|af|il|mx|cn)-(?:gov-)?(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-\d\b/i;
const GCP_REGION =
    /\b(?:us|europe|asia|australia|northamerica|southamerica|me|africa)-(?:north|south|east|west|central|northeast|southeast|northwest|southwest)\d{1,2}\b/i;
/** Locality DDL belongs to config (backend:regions, backend:database.tables), not to migrations. */
const LOCALITY_DDL =
    /\b(?:PRIMARY\s+REGION|SECONDARY\s+REGION|SUPER\s+REGION|ADD\s+REGION|DROP\s+REGION|SURVIVE\s+(?:ZONE|REGION)|LOCALITY|REGIONAL\s+BY|PLACEMENT\s+(?:RESTRICTED|DEFAULT)|CONFIGURE\s+ZONE|crdb_internal_region|crdb_region)\b/i;

/**
 * Reads `*.sql` from `dir`, sorted by file name. Rejects a file that names a region (CockroachDB
 * or cloud region name, anywhere in the text) or carries locality DDL (outside comments): the
 * schema must deploy unchanged to any set of regions.
 */
export function readMigrations(dir: string): Migration[] {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
        throw new MigrationError(
            `migrations folder ${dir} does not exist; create it with the application's .sql files or point backend:database.migrationsDir at it.`,
        );
    const files = fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".sql"))
        .sort();
    return files.map((file) => {
        const sql = fs.readFileSync(path.join(dir, file), "utf8");
        checkMigration(file, sql);
        return { name: file, sql };
    });
}

/** Throws MigrationError when `sql` names a region or sets a locality. Pure. */
export function checkMigration(file: string, sql: string): void {
    const lines = sql.split("\n");
    lines.forEach((line, i) => {
        const m = CLOUD_REGION.exec(line) ?? AWS_REGION.exec(line) ?? GCP_REGION.exec(line);
        if (m)
            throw new MigrationError(
                `${file}:${i + 1} mentions region "${m[0]}"; migrations are plain SQL that deploys unchanged to every region set. ` +
                    `Remove the region name: regions come from backend:regions and each table's locality from backend:database.tables.`,
            );
    });
    const code = stripComments(sql).split("\n");
    code.forEach((line, i) => {
        const m = LOCALITY_DDL.exec(line);
        if (m)
            throw new MigrationError(
                `${file}:${i + 1} contains "${m[0]}"; locality and region DDL is generated from config. ` +
                    `Remove it and declare the table in backend:database.tables (locality residency, global or regional).`,
            );
    });
}

/** What the migrations tell about one table. */
export interface MigrationTable {
    readonly name: string;
    /** File that creates it. */
    readonly file: string;
    readonly columns: readonly string[];
    /** Declared type of each column, uppercase with single spaces (`CHAR(2)`, `STRING`), as last set. */
    readonly types: Readonly<Record<string, string>>;
    /** Tables it references with foreign keys. */
    readonly references: readonly string[];
}

const CONSTRAINT_WORDS = new Set([
    "constraint",
    "primary",
    "unique",
    "foreign",
    "check",
    "index",
    "inverted",
    "vector",
    "family",
    "exclude",
    "like",
]);

const IDENT = `(?:"[^"]+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const QUALIFIED = `${IDENT}(?:\\.${IDENT}){0,2}`;
const CREATE_TABLE = new RegExp(`^CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(${QUALIFIED})\\s*\\(`, "i");
const ALTER_TABLE = new RegExp(`^ALTER\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(${QUALIFIED})\\s+([\\s\\S]*)$`, "i");
const REFERENCES = new RegExp(`\\bREFERENCES\\s+(${QUALIFIED})`, "gi");
const ADD_COLUMN = new RegExp(`\\bADD\\s+(?:COLUMN\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?(${IDENT})`, "gi");
/** One ALTER TABLE action that sets a column's type: ADD [COLUMN] c type ... | ALTER [COLUMN] c [SET DATA] TYPE type. */
const ADD_TYPED = new RegExp(`^ADD\\s+(?:COLUMN\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?(${IDENT})\\s+([\\s\\S]+)$`, "i");
const ALTER_TYPE = new RegExp(`^ALTER\\s+(?:COLUMN\\s+)?(${IDENT})\\s+(?:SET\\s+DATA\\s+)?TYPE\\s+([\\s\\S]+)$`, "i");
/** A mandatory capture group of one of the patterns above: present whenever the pattern matched. */
function group(match: RegExpMatchArray, i: number): string {
    return at(match, i, `migration pattern group of "${match[0]}"`);
}
/** Words that end a column's type in its definition (the constraints and options that may follow). */
const AFTER_TYPE =
    /\s+(?:NOT|NULL|PRIMARY|UNIQUE|CHECK|DEFAULT|REFERENCES|AS|GENERATED|CONSTRAINT|COLLATE|ON|FAMILY|CREATE|VISIBLE|USING)\b/i;

/** The type at the start of `rest` (what follows a column name), normalized: `char (2)` -> `CHAR(2)`. */
export function columnType(rest: string): string {
    const cut = AFTER_TYPE.exec(rest);
    const text = cut ? rest.slice(0, cut.index) : rest;
    return text
        .trim()
        .toUpperCase()
        .replace(/\s+/g, " ")
        .replace(/\s*\(\s*/g, "(")
        .replace(/\s*\)/g, ")")
        .replace(/\s*,\s*/g, ",");
}

/**
 * Tables, columns and foreign keys the migrations create (CREATE TABLE and ALTER TABLE ... ADD),
 * in first-creation order. A light parser: enough to find residency-scoped data, not a SQL grammar.
 */
export function migrationTables(migrations: readonly { name: string; statements: readonly string[] }[]): MigrationTable[] {
    const tables = new Map<
        string,
        { name: string; file: string; columns: string[]; types: Record<string, string>; references: string[] }
    >();
    for (const m of migrations) {
        for (const raw of m.statements) {
            const stmt = stripComments(raw).trim();
            const create = CREATE_TABLE.exec(stmt);
            if (create) {
                const name = bareName(group(create, 1));
                const open = stmt.indexOf("(", create[0].length - 1);
                const body = stmt.slice(open + 1, matchingParen(stmt, open));
                const entry = tables.get(name) ?? { name, file: m.name, columns: [], types: {}, references: [] };
                for (const item of topLevelItems(body)) {
                    const first = /^("?[A-Za-z_][A-Za-z0-9_$]*"?)/.exec(item)?.[1];
                    if (first && !CONSTRAINT_WORDS.has(first.toLowerCase())) {
                        entry.columns.push(bareName(first));
                        entry.types[bareName(first)] = columnType(item.slice(first.length));
                    }
                }
                for (const ref of body.matchAll(REFERENCES)) entry.references.push(bareName(group(ref, 1)));
                tables.set(name, entry);
                continue;
            }
            const alter = ALTER_TABLE.exec(stmt);
            if (alter) {
                const entry = tables.get(bareName(group(alter, 1)));
                if (!entry) continue;
                for (const add of group(alter, 2).matchAll(ADD_COLUMN)) {
                    const word = bareName(group(add, 1));
                    if (!CONSTRAINT_WORDS.has(word)) entry.columns.push(word);
                }
                for (const ref of group(alter, 2).matchAll(REFERENCES)) entry.references.push(bareName(group(ref, 1)));
                for (const action of topLevelItems(group(alter, 2))) {
                    const typed = ADD_TYPED.exec(action) ?? ALTER_TYPE.exec(action);
                    if (typed && !CONSTRAINT_WORDS.has(bareName(group(typed, 1))))
                        entry.types[bareName(group(typed, 1))] = columnType(group(typed, 2));
                }
            }
        }
    }
    return [...tables.values()].map((t) => ({ ...t, columns: [...new Set(t.columns)], references: [...new Set(t.references)] }));
}
