/**
 * Failure drills: every scenario of `drillScenarios` run against the routing plan and the
 * placement model, reporting per residency domain whether its users are still served (and by
 * which pools, in the domain or not), per table and partition whether a quorum survives, where
 * the lease goes, whether reads and writes continue and what is at risk, and per scenario what the
 * stack does not survive. Pure: the plan document's `drills` section.
 */
import type { DatabaseModel } from "../cockroach/model";
import type { PlacementEntry } from "../cockroach/placement";
import { BACKUP_RECURRENCE } from "../cockroach/spec";
import type { StackConfig } from "../config";
import type { Topology } from "../topology";
import { routingFromConfig } from "../traffic/fromConfig";
import type { RoutingPlan } from "../traffic/model";
import type { PinDomain } from "../traffic/regions";
import { objectDrill, type Failure, type ObjectDrill } from "./quorum";
import { drillLatency, type DrillLatency } from "./latency";
import { drillScenarios, type Scenario } from "./scenarios";
import { domainServing, type DomainServing } from "./serving";

/**
 * Seconds between backups that bound the data at risk when a quorum is lost for good: the
 * incremental schedule `BACKUP_RECURRENCE.incremental` (components/cockroach/spec.ts, `@hourly`).
 */
export function backupIntervalSeconds(cron: string = BACKUP_RECURRENCE.incremental): number {
    const named: Record<string, number> = { "@hourly": 3600, "@daily": 86400, "@weekly": 604800 };
    const seconds = named[cron];
    if (seconds === undefined) throw new Error(`backup recurrence "${cron}" has no modelled interval; add it to backupIntervalSeconds.`);
    return seconds;
}

export interface DomainDrill extends DomainServing {
    /** Every residency object homed in the domain keeps a quorum. */
    readonly writable: boolean;
    /** Residency objects homed in the domain whose quorum is lost or depends on the allocator. */
    readonly atRisk: readonly string[];
    /** Largest RPO of the domain's residency objects (0: nothing committed is at risk). */
    readonly rpoSeconds: number;
}

export interface Drill {
    readonly scenario: Scenario;
    readonly domains: readonly DomainDrill[];
    readonly objects: readonly ObjectDrill[];
    /** Served in-domain (pinned) or served (unpinned), and every object writable. */
    readonly survives: boolean;
    /** What the stack does not survive in this scenario, one plain sentence each. */
    readonly losses: readonly string[];
    /** Modelled round trips per domain with the scenario's regions down (set by drillsFromConfig). */
    readonly latency?: readonly DrillLatency[];
}

export interface DrillsInput {
    readonly topology: Pick<Topology, "regions" | "primary">;
    readonly routing: RoutingPlan;
    readonly placement: readonly PlacementEntry[];
    readonly domains: readonly PinDomain[];
    /** Seconds between backups (RPO without a quorum). Default: the shipped hourly incremental. */
    readonly backupIntervalSeconds?: number;
}

/** Name of an object in messages: `users@aws-eu-central-1`, `currencies`, `(database)`. */
export function objectName(o: Pick<ObjectDrill, "table" | "partition">): string {
    return o.table === null ? "(database)" : o.partition ? `${o.table}@${o.partition}` : o.table;
}

function hours(seconds: number): string {
    return seconds % 3600 === 0 ? `${seconds / 3600} h` : `${seconds} s`;
}

/** Runs one scenario. */
export function runDrill(input: DrillsInput, scenario: Scenario): Drill {
    const rpo = input.backupIntervalSeconds ?? backupIntervalSeconds();
    const regionOf = new Map(input.topology.regions.map((r) => [r.name, r]));
    const zoneRegion = scenario.zone ? regionOf.get(scenario.zone.region) : undefined;
    const failure: Failure = {
        regions: new Set(scenario.regions),
        zone:
            scenario.zone && zoneRegion
                ? { region: scenario.zone.region, zonesWithNodes: new Set(zoneRegion.nodes.map((n) => n.zone)).size }
                : null,
    };
    // A zone down leaves its region's pool up: the app tier spans zones behind one origin.
    const downPools = new Set(scenario.regions);
    const objects = input.placement.map((e) => objectDrill(e, failure, rpo));
    const domainOfRegion = new Map(input.topology.regions.map((r) => [r.name, r.domain]));

    const domains: DomainDrill[] = input.domains.map((d) => {
        const own = new Set(input.topology.regions.filter((r) => r.domain === d.name).map((r) => r.name));
        const serving = domainServing(input.routing, d, own, downPools);
        const homed = objects.filter((o) => o.residency && domainOfRegion.get(o.home) === d.name);
        const atRisk = homed.filter((o) => o.quorum !== "survives").map(objectName);
        return {
            ...serving,
            writable: atRisk.length === 0,
            atRisk,
            rpoSeconds: Math.max(0, ...homed.map((o) => o.rpoSeconds)),
        };
    });

    const losses: string[] = [];
    for (const d of domains) {
        if (d.failClosed)
            losses.push(
                `domain ${d.domain}: pinned and no pool of its own is up, so its users get errors (fails closed, never another domain's app).`,
            );
        else if (!d.served) losses.push(`domain ${d.domain}: some users reach only a down pool and get errors.`);
        else if (d.pinned && !d.inDomain) losses.push(`domain ${d.domain}: pinned, but some users are served outside the domain.`);
    }
    for (const o of objects) {
        if (o.quorum === "survives") continue;
        const what =
            o.quorum === "lost"
                ? "loses its quorum"
                : "keeps its quorum only if CockroachDB placed its unpinned voters outside the failure";
        const voters = `${o.survivingVoters.worst}${o.survivingVoters.best !== o.survivingVoters.worst ? `-${o.survivingVoters.best}` : ""} of ${o.voters} voters left, ${o.majority} needed`;
        losses.push(
            `${objectName(o)}: ${what} (${voters}); writes and consistent reads stop` +
                (o.reads === "stale-only" ? ", stale follower reads remain" : "") +
                `; if the failed regions do not come back, writes since the last backup (up to ${hours(o.rpoSeconds)}) are lost.`,
        );
    }
    return { scenario, domains, objects, survives: losses.length === 0, losses };
}

/** Every scenario of the topology. */
export function runDrills(input: DrillsInput): Drill[] {
    return drillScenarios(input.topology).map((s) => runDrill(input, s));
}

/** The drills of a validated stack config, through the same spec and routing the program uses. */
export function drillsFromConfig(
    config: StackConfig,
    topology: Topology,
    database: DatabaseModel,
    routing = routingFromConfig(config),
): Drill[] {
    return runDrills({ topology, routing, placement: database.placement, domains: config.domains }).map((d) => ({
        ...d,
        latency: drillLatency(config, topology, routing, database, d.scenario),
    }));
}
