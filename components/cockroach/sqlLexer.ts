/**
 * A small SQL lexer: enough of CockroachDB's quoting rules (single and double quotes with doubled
 * escapes, dollar quotes, line and block comments) to split statements and find top-level items.
 * Not a SQL grammar. Pure.
 */

/** Replaces comments with spaces, keeping line breaks (so line numbers stay right). */
export function stripComments(sql: string): string {
    let out = "";
    let i = 0;
    while (i < sql.length) {
        const c = sql[i];
        if (c === "-" && sql[i + 1] === "-") {
            while (i < sql.length && sql[i] !== "\n") {
                out += " ";
                i++;
            }
        } else if (c === "/" && sql[i + 1] === "*") {
            const end = sql.indexOf("*/", i + 2);
            const stop = end === -1 ? sql.length : end + 2;
            for (; i < stop; i++) out += sql[i] === "\n" ? "\n" : " ";
        } else if (c === "'" || c === '"') {
            const end = closingQuote(sql, i);
            out += sql.slice(i, end);
            i = end;
        } else {
            out += c;
            i++;
        }
    }
    return out;
}

/** Index just past the quote that closes the one at `start` (doubled quotes escape). */
export function closingQuote(sql: string, start: number): number {
    const q = sql[start];
    let i = start + 1;
    while (i < sql.length) {
        if (sql[i] === q) {
            if (sql[i + 1] === q) i += 2;
            else return i + 1;
        } else i++;
    }
    return sql.length;
}

/**
 * Splits SQL text into statements on top-level `;`, ignoring those inside quotes, dollar quotes
 * and comments. Comment-only pieces are dropped. Pure.
 */
export function splitStatements(sql: string): string[] {
    const out: string[] = [];
    let start = 0;
    let i = 0;
    const push = (end: number) => {
        const text = sql.slice(start, end).trim();
        if (stripComments(text).trim() !== "") out.push(text);
    };
    while (i < sql.length) {
        const c = sql[i];
        if (c === "-" && sql[i + 1] === "-") {
            const nl = sql.indexOf("\n", i);
            i = nl === -1 ? sql.length : nl;
        } else if (c === "/" && sql[i + 1] === "*") {
            const end = sql.indexOf("*/", i + 2);
            i = end === -1 ? sql.length : end + 2;
        } else if (c === "'" || c === '"') {
            i = closingQuote(sql, i);
        } else if (c === "$") {
            const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i));
            if (tag) {
                const end = sql.indexOf(tag[0], i + tag[0].length);
                i = end === -1 ? sql.length : end + tag[0].length;
            } else i++;
        } else if (c === ";") {
            push(i);
            start = i + 1;
            i++;
        } else i++;
    }
    push(sql.length);
    return out;
}

/** Unquoted, lowercased identifier; `schema.name` -> `name`. */
export function bareName(raw: string): string {
    const last = raw.split(".").pop() ?? raw;
    return last.startsWith('"') ? last.slice(1, -1) : last.toLowerCase();
}

/** Splits on top-level commas (outside parentheses and quotes). */
export function topLevelItems(body: string): string[] {
    const items: string[] = [];
    let depth = 0;
    let start = 0;
    for (let i = 0; i < body.length; i++) {
        const c = body[i];
        if (c === "'" || c === '"') i = closingQuote(body, i) - 1;
        else if (c === "(") depth++;
        else if (c === ")") depth--;
        else if (c === "," && depth === 0) {
            items.push(body.slice(start, i).trim());
            start = i + 1;
        }
    }
    items.push(body.slice(start).trim());
    return items.filter((x) => x !== "");
}

export function matchingParen(text: string, open: number): number {
    let depth = 0;
    for (let i = open; i < text.length; i++) {
        const c = text[i];
        if (c === "'" || c === '"') i = closingQuote(text, i) - 1;
        else if (c === "(") depth++;
        else if (c === ")" && --depth === 0) return i;
    }
    return text.length;
}
