/** Text tables of the drills and the failover budget for `npm run plan -- --drills`. */
import Table from "cli-table3";
import { objectName, type Drill } from "./drills";
import type { FailoverBudget } from "./failover";

const STYLE = { compact: true, head: [], border: [] };

function voters(o: Drill["objects"][number]): string {
    const { worst, best } = o.survivingVoters;
    return `${worst === best ? worst : `${worst}-${best}`}/${o.voters} (need ${o.majority})`;
}

/** One table per drill family: per scenario and domain, then per scenario and object; then the verdicts. */
export function renderDrills(drills: readonly Drill[], budget?: FailoverBudget): string {
    const out: string[] = ["Failure drills (simulated from the routing plan and the placement model)"];
    const users = new Table({
        head: ["scenario", "domain", "users served by", "in domain", "writes", "RPO", "P95 read / write ms (modelled)"],
        style: STYLE,
    });
    const p95 = (v: number | null) => (v === null ? "n/a" : v.toFixed(1));
    for (const d of drills)
        d.domains.forEach((dom, i) => {
            const l = d.latency?.find((x) => x.domain === dom.domain);
            users.push([
                i === 0 ? d.scenario.id : "",
                `${dom.domain}${dom.pinned ? " (pinned)" : ""}`,
                dom.failClosed ? "errors (fails closed)" : dom.served ? dom.pools.join(", ") : "errors",
                dom.inDomain ? "yes" : "no",
                dom.writable ? "yes" : `no (${dom.atRisk.length} partitions/tables)`,
                dom.rpoSeconds === 0 ? "0" : `<= ${dom.rpoSeconds / 3600} h`,
                l ? `${p95(l.reads.p95)} / ${p95(l.homedWrites.p95)}` : "",
            ]);
        });
    out.push(users.toString(), "");

    const data = new Table({ head: ["scenario", "object", "voters left", "quorum", "leaseholder", "reads", "writes"], style: STYLE });
    for (const d of drills)
        d.objects.forEach((o, i) =>
            data.push([
                i === 0 ? d.scenario.id : "",
                objectName(o),
                voters(o),
                o.quorum,
                o.leaseholder.rule === "none"
                    ? "none"
                    : o.leaseholder.rule === "unchanged"
                      ? o.leaseholder.before
                      : `${o.leaseholder.before} -> ${o.leaseholder.after.join(" | ")}${o.leaseholder.rule === "any-voter" ? " (any surviving voter)" : ""}`,
                o.reads,
                o.writes,
            ]),
        );
    out.push(data.toString(), "");

    const failed = drills.filter((d) => !d.survives);
    out.push(
        failed.length === 0
            ? "Survives every drill."
            : `Does not survive ${failed.length} of ${drills.length} drills: ${failed.map((d) => d.scenario.id).join(", ")}`,
    );
    for (const d of failed) out.push(`  ${d.scenario.id}:`, ...d.losses.map((l) => `    - ${l}`));
    out.push(
        "  Not modelled: CockroachDB's own system ranges (meta, liveness, system tables) follow their own zone configurations; a failure that takes their quorum stops the whole cluster.",
    );
    if (budget) out.push("", renderBudget(budget));
    return out.join("\n");
}

export function renderBudget(b: FailoverBudget): string {
    const table = new Table({ head: ["part", "seconds", "on the worst path", "how"], style: STYLE });
    for (const p of b.parts) table.push([p.name, p.seconds, p.counted ? "yes" : "", p.how]);
    return [
        `Failover budget (modelled worst case until a failed region's users are served elsewhere): ${b.totalSeconds} s, target ${b.targetSeconds} s: ${b.withinTarget ? "within" : "over"}`,
        table.toString(),
    ].join("\n");
}
