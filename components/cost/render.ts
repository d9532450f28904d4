/** Text rendering of a cost report: per region and category, then the baseline and what is not priced. */
import Table from "cli-table3";
import { CATEGORIES, type CostReport } from "./model";

const TABLE_STYLE = { compact: true, head: [], border: [] };
const usd = (x: number): string => `$${x.toLocaleString("en-US", { minimumFractionDigits: 0, maximumFractionDigits: 0 })}`;

export function renderCost(cost: CostReport): string {
    const regions = Object.keys(cost.byRegion).sort();
    const cats = CATEGORIES.filter((c) => cost.byCategory[c] !== undefined);
    const table = new Table({ head: ["region", ...cats, "total"], style: TABLE_STYLE });
    for (const region of regions) {
        const lines = cost.lines.filter((l) => (l.region ?? "(global)") === region);
        const cell = (c: string): string => {
            const sum = lines.filter((l) => l.category === c).reduce((s, l) => s + l.monthlyUsd, 0);
            return sum > 0 ? usd(sum) : "";
        };
        table.push([region, ...cats.map(cell), usd(cost.byRegion[region] ?? 0)]);
    }
    table.push(["total", ...cats.map((c) => usd(cost.byCategory[c] ?? 0)), usd(cost.total)]);
    const ratio = cost.ratio === null ? "n/a" : `${cost.ratio.toFixed(2)}x`;
    const out = [
        `Cost (modelled, USD per month, list prices of ${cost.priceTableDate}; prices change): ${usd(cost.total)} priced`,
        table.toString(),
        `Baseline: ${usd(cost.baseline.total)} for ${cost.baseline.definition}.`,
        `Ratio to the baseline: ${ratio} (${cost.ratioNote}); the design states ${cost.designRatio}x. ` +
            `Capacity: ${cost.capacity.nodes} database nodes vs ${cost.capacity.baselineNodes}, ${cost.capacity.appInstances} minimum app instances vs ${cost.capacity.baselineAppInstances}.`,
        `Assumptions: ${cost.assumptions.join("; ")}.`,
    ];
    if (cost.unknowns.length > 0) {
        // One line per distinct item and reason: the same unknown repeats in every region or node.
        const groups = new Map<string, { n: number; regions: Set<string> }>();
        for (const u of cost.unknowns) {
            const key = `${u.item}: ${u.reason.replace(/ in [a-z]+-[a-z0-9-]+$/, "")}`;
            const g = groups.get(key) ?? { n: 0, regions: new Set<string>() };
            g.n += 1;
            g.regions.add(u.region ?? "(global)");
            groups.set(key, g);
        }
        out.push(`Not priced (${cost.unknowns.length} items, excluded from the sums):`);
        for (const [key, g] of [...groups].sort(([x], [y]) => x.localeCompare(y)))
            out.push(`  ${g.n} x ${key} (${[...g.regions].sort().join(", ")})`);
    }
    out.push(`Not modelled: ${cost.notModelled.join("; ")}.`);
    return out.join("\n");
}
