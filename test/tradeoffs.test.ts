/**
 * The trade-off table (scripts/plan/tradeoffs.ts) and the modelled latency of each drill
 * (components/drills/latency.ts): figures follow the stack's own models, not fixed text.
 */
import assert from "node:assert/strict";
import { databaseModel } from "../components/cockroach";
import { costModel } from "../components/cost";
import { drillLatency, drillsFromConfig, failoverBudget } from "../components/drills";
import { latencyModel } from "../components/latency";
import { planTopology } from "../components/topology";
import { routingFromConfig } from "../components/traffic";
import { consistencyOf, DESIGN_ROWS, renderTradeoffs, tradeoffs } from "../scripts/plan/tradeoffs";
import { shippedConfig, shippedMigrations, shippedPlan } from "./support";

describe("trade-off table", () => {
    const prod = shippedConfig("prod");
    const topology = planTopology(prod);
    const routing = routingFromConfig(prod);
    const latency = latencyModel(prod, topology, routing, databaseModel(prod, topology, shippedMigrations()));
    const cost = {
        ratio: 3.14159,
        ratioNote: "priced lines only",
        unknowns: [],
        baseline: { region: "aws-us-east-1", unknowns: [] },
    } as unknown as Parameters<typeof tradeoffs>[4];

    it("puts this stack's modelled P95 reads / writes per domain, failover and cost in the first row", () => {
        const t = tradeoffs("prod", prod, latency, failoverBudget(prod), cost);
        const row = t.rows[0]!;
        assert.equal(row.approach, "this stack: prod (modelled)");
        for (const d of latency.domains)
            assert.ok(
                row.latencyP95.includes(`${d.domain} ${d.reads.p95!.toFixed(0)} / ${d.homedWrites.p95!.toFixed(0)} (in domain)`),
                row.latencyP95,
            );
        assert.equal(row.failover, `${failoverBudget(prod).totalSeconds} s worst case (within 15 s)`);
        assert.equal(row.cost, "3.14x");
        assert.deepEqual(t.rows.slice(1), [...DESIGN_ROWS]);
        assert.match(renderTradeoffs(t), /this stack: prod/);
    });

    it("is part of the plan document, quoting the failover budget the document carries", async function () {
        this.timeout(300_000);
        const doc = await shippedPlan("prod");
        assert.deepEqual(doc.failover, failoverBudget(prod));
        assert.equal(doc.tradeoffs.rows[0]!.failover, `${doc.failover.totalSeconds} s worst case (within 15 s)`);
    });

    it("follows the failover setting: standard monitors put prod over the 15 s target", () => {
        const standard = shippedConfig("prod", (v) => {
            (v["backend:cloudflare"] as Record<string, unknown>).failover = "standard";
        });
        const row = tradeoffs("prod", standard, latency, failoverBudget(standard), cost).rows[0]!;
        assert.match(row.failover, /^35\.4 s worst case \(over 15 s\)$/);
    });

    it("says when the cost ratio is a lower bound (unpriced items in the stack only), not a bound, or missing", () => {
        const lower = { ...cost, unknowns: [{}, {}] } as typeof cost;
        assert.equal(tradeoffs("prod", prod, latency, failoverBudget(prod), lower).rows[0]!.cost, "3.14x (lower bound: 2 unpriced items)");
        const bothUnpriced = { ...lower, baseline: { ...cost.baseline, unknowns: [{}] } } as typeof cost;
        assert.equal(tradeoffs("prod", prod, latency, failoverBudget(prod), bothUnpriced).rows[0]!.cost, "3.14x (priced lines only)");
        const none = { ...cost, ratio: null } as typeof cost;
        assert.match(tradeoffs("prod", prod, latency, failoverBudget(prod), none).rows[0]!.cost, /^no ratio/);
    });

    it("names a domain whose requests leave it", () => {
        const leaky = { ...latency, domains: latency.domains.map((d) => ({ ...d, outsideDomain: ["aws-us-east-1"] })) };
        assert.match(tradeoffs("prod", prod, leaky, failoverBudget(prod), cost).rows[0]!.latencyP95, /leaves the domain: aws-us-east-1/);
    });

    it("gives each table locality its CockroachDB guarantee, and only the localities the stack uses", () => {
        const text = consistencyOf(prod);
        assert.match(text, /^serializable for every table/);
        assert.match(text, /REGIONAL BY ROW \(users, orders\)/);
        assert.match(text, /GLOBAL \(currencies\): consistent local reads, writes wait out the 250 ms clock offset/);
        assert.doesNotMatch(text, /REGIONAL BY TABLE/);
        const onlyRegional = consistencyOf({ database: { ...prod.database, tables: [{ name: "t", locality: "regional" } as never] } });
        assert.match(onlyRegional, /REGIONAL BY TABLE \(t\)/);
        assert.doesNotMatch(onlyRegional, /GLOBAL|REGIONAL BY ROW/);
    });

    it("prices from the planned resources it is given (the prod plan's own table is checked in test/cost.test.ts)", () => {
        assert.equal(costModel([], prod).total, 0);
    });
});

describe("modelled latency during drills", () => {
    const prod = shippedConfig("prod");
    const topology = planTopology(prod);
    const routing = routingFromConfig(prod);
    const database = databaseModel(prod, topology, shippedMigrations());
    const normal = latencyModel(prod, topology, routing, database);
    const of = (regions: string[], domain: string) =>
        drillLatency(prod, topology, routing, database, { regions }).find((d) => d.domain === domain)!;
    const normalOf = (domain: string) => normal.domains.find((d) => d.domain === domain)!;

    it("a zone or an unrelated region down leaves a domain's figures as they are", () => {
        assert.deepEqual(of([], "eu").reads, normalOf("eu").reads);
        assert.deepEqual(of(["aws-us-west-2"], "eu").homedWrites, normalOf("eu").homedWrites);
    });

    it("losing the region a domain is mostly served from changes its figures, and its users are still served", () => {
        // Not necessarily slower: Frankfurt serves WEU and EEU while many rows live in Belgium or
        // Dublin, so with it down a nearer gateway can cut the gateway-to-leaseholder leg.
        const down = of(["aws-eu-central-1"], "eu");
        assert.notDeepEqual(down.reads, normalOf("eu").reads);
        assert.ok(down.reads.p95 !== null && down.homedWrites.p95 !== null);
    });

    it("a pinned domain with all its regions down is not served: no percentile", () => {
        const eu = of(["aws-eu-central-1", "gcp-europe-west1", "aws-eu-west-1"], "eu");
        assert.equal(eu.reads.p95, null);
        assert.equal(eu.homedWrites.p95, null);
    });

    it("losing AWS loses the write quorum of every prod partition: no write or consistent-read figure", () => {
        const aws = topology.regions.filter((r) => r.cloud === "aws").map((r) => r.name);
        const eu = of(aws, "eu");
        assert.equal(eu.homedWrites.p95, null);
        assert.equal(eu.reads.p95, null);
    });

    it("every drill of the plan carries the latency of its scenario", () => {
        const drills = drillsFromConfig(prod, topology, database);
        for (const d of drills) {
            assert.deepEqual(d.latency, drillLatency(prod, topology, routing, database, d.scenario), d.scenario.id);
        }
    });
});
