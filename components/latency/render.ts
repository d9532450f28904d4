/** Text table of the latency section for the offline plan. */
import Table from "cli-table3";
import type { LatencyPlan, Percentiles } from "./model";

const TABLE_STYLE = { compact: true, head: [], border: [] };

function ms(p: Percentiles): string {
    const f = (v: number | null) => (v === null ? "n/a" : v.toFixed(1));
    return `${f(p.p50)} / ${f(p.p95)}`;
}

/** One row per domain: P50 / P95 in ms of reads, homed writes, unique-checked inserts, floor. */
export function renderLatency(plan: LatencyPlan): string {
    const table = new Table({
        head: ["domain", "people", "read", "homed write", "insert (signup)", "floor (nearest permitted)", "leaves the domain"],
        style: TABLE_STYLE,
    });
    for (const d of plan.domains) {
        const checks = d.uniqueInserts.map(
            (u) =>
                `${u.table}: ${u.constraints.map((c) => c.name).join(", ")}${u.outsideDomain.length > 0 ? ` checked in ${u.outsideDomain.join(", ")}` : ""}`,
        );
        table.push([
            d.domain,
            `${(d.population / 1e6).toFixed(1)} M${d.unmodelled.length > 0 ? ` (no figure: ${d.unmodelled.join(" ")})` : ""}`,
            ms(d.reads),
            ms(d.homedWrites),
            `${ms(d.inserts)}${checks.length > 0 ? ` (${checks.join("; ")})` : ""}`,
            ms(d.floor),
            d.outsideDomain.length > 0 ? d.outsideDomain.join(", ") : "no",
        ]);
    }
    const title = `Latency (MODELLED round trips, ms P50 / P95 over each domain's population${plan.down.length > 0 ? `, with ${plan.down.join(", ")} down` : ""})`;
    return [title, table.toString(), `Model: ${plan.model}`].join("\n");
}
