/**
 * Modelled latency of the stack as configured: for each residency domain, the round trips its
 * population pays for a read of a homed row, a write to it, and an insert that CockroachDB must
 * check for uniqueness in every region, as P50/P95 over the domain's population, next to the
 * physical floor to the nearest region the domain permits. Every figure is MODELLED (distances,
 * see physics.ts), never measured. Pure: the lead's trade-off table and the drills call it with a
 * set of regions down.
 *
 * The path of a request (each leg a round trip):
 *  1. user (country point, population.ts) -> the pool Cloudflare serves the country's region from
 *     (the first healthy pool of `routing.byCloudflareRegion`, traffic/model.ts);
 *  2. that region's app and SQL gateway -> the leaseholder of the row's partition (the row's home
 *     region from topology.countryHome; with the home region down, the nearest surviving voter);
 *  3. writes: the leaseholder -> enough voters for a Raft quorum (placement.ts gives where voters
 *     are: ZONE survival keeps all of them in the home region, REGION survival 2 of 5 there, so a
 *     write waits for the nearest other voting region);
 *  4. inserts with a uniqueness check in every region (uniques.ts): the gateway -> the leaseholder
 *     of every partition of the table, in parallel, so the farthest one counts. Modelled as added
 *     to the write (the check runs after the insert's own writes; CockroachDB may overlap parts).
 */
import type { CloudflareRegion } from "../catalog-types";
import { at } from "../collections";
import type { StackConfig } from "../config";
import { COUNTRY_BY_CODE } from "../countries";
import type { DatabaseModel } from "../cockroach/model";
import { raftMajority, type PlacementEntry } from "../cockroach/placement";
import type { Topology } from "../topology";
import type { RoutingPlan } from "../traffic/model";
import { floorMs, roundTripMs, ROUTE_FACTOR, type Point } from "./physics";
import { POPULATION_BY_CODE } from "./population";
import { checkedInEveryRegion, uniqueConstraints, type UniqueConstraint } from "./uniques";

/** Pools (CockroachDB region names) in the order Cloudflare tries them for `region` while `down` are unhealthy. */
export function servingPools(routing: RoutingPlan, region: CloudflareRegion, down: ReadonlySet<string>): string[] {
    const healthy = routing.byCloudflareRegion[region].filter((p) => !down.has(p));
    if (healthy.length > 0) return healthy;
    // Every candidate down: Cloudflare sends to the fallback pool regardless of its health.
    const pin = routing.pins.find((p) => p.regions.includes(region));
    return [pin ? pin.fallback : routing.fallback];
}

/** A population-weighted sample. */
export interface Sample {
    readonly value: number;
    readonly weight: number;
}

/**
 * Weighted nearest-rank percentile: the smallest value whose cumulative weight reaches `q` of the
 * total (q in (0, 1]). Undefined for no weight.
 */
export function weightedPercentile(samples: readonly Sample[], q: number): number | undefined {
    const sorted = [...samples].filter((s) => s.weight > 0).sort((a, b) => a.value - b.value);
    const total = sorted.reduce((a, s) => a + s.weight, 0);
    if (total === 0) return undefined;
    let cumulative = 0;
    for (const s of sorted) {
        cumulative += s.weight;
        if (cumulative >= q * total) return s.value;
    }
    return at(sorted, sorted.length - 1, "samples").value;
}

/** P50/P95 in ms (one decimal); null when nobody in the domain is served. */
export interface Percentiles {
    readonly p50: number | null;
    readonly p95: number | null;
}

/** One country's modelled round trips in ms; null where the request cannot complete. */
export interface CountryLatency {
    readonly country: string;
    readonly population: number;
    /** The point requests are modelled from. */
    readonly point: string;
    readonly cloudflareRegion: CloudflareRegion;
    /** Pool (region) whose app serves the country, null when only a down fallback is left. */
    readonly servedBy: string | null;
    /** Home region of the country's rows, and where their leaseholder is (differs with the home down). */
    readonly home: string;
    readonly leaseholder: string | null;
    readonly read: number | null;
    readonly homedWrite: number | null;
    /** Per table with a constraint checked in every region: the insert's round trips. */
    readonly uniqueInsert: Readonly<Record<string, number | null>>;
    /** Great circle at the speed of light to the nearest region the domain permits (no route factor). */
    readonly floor: number;
}

export interface UniqueInsertLatency extends Percentiles {
    readonly table: string;
    /** Constraints CockroachDB checks in every region on insert. */
    readonly constraints: readonly UniqueConstraint[];
    /** Regions outside the domain that an insert of the domain's users reaches. */
    readonly outsideDomain: readonly string[];
}

export interface DomainLatency {
    readonly domain: string;
    /** Population covered by the model, and domain countries without a population figure. */
    readonly population: number;
    readonly unmodelled: readonly string[];
    readonly reads: Percentiles;
    readonly homedWrites: Percentiles;
    /**
     * Inserts of a new homed row (a signup), in the worst residency table: the homed write plus,
     * for a table with a constraint checked in every region, the farthest partition.
     */
    readonly inserts: Percentiles;
    /** Tables whose inserts are checked in every region; empty when none is. */
    readonly uniqueInserts: readonly UniqueInsertLatency[];
    /** P50/P95 of the floor to the nearest permitted region. */
    readonly floor: Percentiles;
    /** Regions outside the domain that serve or hold the leaseholder for any of its users. */
    readonly outsideDomain: readonly string[];
    readonly countries: readonly CountryLatency[];
}

/** The plan JSON's `latency` section. */
export interface LatencyPlan {
    /** Always "modelled": no figure here is measured. */
    readonly kind: "modelled";
    readonly routeFactor: number;
    readonly down: readonly string[];
    readonly domains: readonly DomainLatency[];
    readonly model: string;
}

export interface LatencyOptions {
    /** Route inflation over the great circle; default ROUTE_FACTOR (2.1). */
    readonly routeFactor?: number;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** Voters per region of a placement entry: pinned voters, plus the slots the unpinned voters fill. */
function voterRegions(e: PlacementEntry, all: readonly string[], nearestFirst: (rs: readonly string[]) => string[]): Map<string, number> {
    const voters = new Map(Object.entries(e.voters));
    let unpinned = e.unpinned.voters;
    for (const [r, n] of Object.entries(e.unpinned.slots)) {
        if (unpinned <= 0) break;
        const k = Math.min(n, unpinned);
        voters.set(r, (voters.get(r) ?? 0) + k);
        unpinned -= k;
    }
    // Voters no constraint places: one per other region (CockroachDB spreads for diversity), nearest first.
    for (const r of nearestFirst(all.filter((x) => !voters.has(x)))) {
        if (unpinned <= 0) break;
        voters.set(r, 1);
        unpinned--;
    }
    return voters;
}

/**
 * The latency section for a validated config. `down` names CockroachDB regions (= pools) that
 * are unavailable: routing skips them (as `countryPools` does for one), leases move to the
 * nearest surviving voter region, and quorums count only surviving voters.
 */
export function latencyModel(
    config: StackConfig,
    topology: Topology,
    routing: RoutingPlan,
    database: DatabaseModel,
    down: ReadonlySet<string> = new Set(),
    options: LatencyOptions = {},
): LatencyPlan {
    const factor = options.routeFactor ?? ROUTE_FACTOR;
    const { spec, placement } = database;
    const where = new Map<string, Point>(topology.regions.map((r) => [r.name, r.catalog]));
    const pointOf = (region: string): Point => {
        const p = where.get(region);
        if (!p) throw new Error(`region ${region} is not in the topology`);
        return p;
    };
    const rtt = (a: string, b: string) => (a === b ? 0 : roundTripMs(pointOf(a), pointOf(b), factor));
    const nearestFrom = (from: string) => (rs: readonly string[]) => [...rs].sort((a, b) => rtt(from, a) - rtt(from, b));
    const allRegions = topology.regions.map((r) => r.name);

    const residencyTables = spec.tables.filter((t) => t.locality === "residency");
    const schema = uniqueConstraints(spec.migrations.flatMap((m) => m.statements));
    const checked = residencyTables.map((t) => {
        const found = schema.find((s) => s.table === t.name);
        const constraints = (found?.uniques ?? []).filter((u) =>
            checkedInEveryRegion(u, t.residencyColumn ?? "", found?.randomUuidColumns ?? []),
        );
        return { table: t.name, constraints };
    });
    const partition = (table: string, region: string) => {
        const e = placement.find((p) => p.table === table && p.partition === region);
        if (!e) throw new Error(`no placement entry for ${table} partition ${region}`);
        return e;
    };

    /** Leaseholder of a partition with `down` regions out, and the commit round trip from it; null: unavailable. */
    const lease = (e: PlacementEntry): { at: string; commit: number } | null => {
        const voters = voterRegions(e, allRegions, nearestFrom(e.home));
        const quorum = raftMajority(e.zoneConfig.num_voters);
        const alive = [...voters].filter(([r]) => !down.has(r));
        if (alive.reduce((a, [, n]) => a + n, 0) < quorum) return null;
        const holder = down.has(e.leaseholder) ? at(nearestFrom(e.home)(alive.map(([r]) => r)), 0, "surviving voters") : e.leaseholder;
        // The leader's own vote counts; the commit waits for the nearest voters to make up a quorum.
        let acks = 0;
        for (const [r, n] of [...alive].sort(([a], [b]) => rtt(holder, a) - rtt(holder, b))) {
            acks += n;
            if (acks >= quorum) return { at: holder, commit: rtt(holder, r) };
        }
        return null;
    };
    const leases = new Map(placement.filter((p) => p.partition !== null).map((p) => [`${p.table}@${p.partition}`, lease(p)]));
    const leaseOf = (table: string, region: string) => leases.get(`${table}@${region}`) ?? lease(partition(table, region));

    const domains: DomainLatency[] = config.domains.map((d) => {
        const own = new Set(config.regions.filter((r) => r.domain === d.name).map((r) => r.crdbRegion));
        const outside = new Set<string>();
        const unmodelled: string[] = [];
        const countries: CountryLatency[] = [];
        for (const code of d.countries) {
            const pop = POPULATION_BY_CODE.get(code);
            const country = COUNTRY_BY_CODE.get(code);
            const home = topology.countryHome.get(code);
            if (!pop || !country || !home) {
                unmodelled.push(code);
                continue;
            }
            const point: Point = pop.point ?? country;
            const region = country.cloudflareRegion;
            const pools = servingPools(routing, region, down);
            const first = at(pools, 0, `pools of ${region}`);
            const servedBy = down.has(first) ? null : first;
            const table = residencyTables[0]?.name;
            const l = table ? leaseOf(table, home) : null;
            if (servedBy && !own.has(servedBy)) outside.add(servedBy);
            if (l && !own.has(l.at)) outside.add(l.at);
            const read = servedBy && l ? roundTripMs(point, pointOf(servedBy), factor) + rtt(servedBy, l.at) : null;
            const homedWrite = read !== null && l ? read + l.commit : null;
            const uniqueInsert: Record<string, number | null> = {};
            for (const c of checked.filter((x) => x.constraints.length > 0)) {
                const holders = allRegions.map((r) => leaseOf(c.table, r));
                uniqueInsert[c.table] =
                    homedWrite === null || !servedBy || holders.some((h) => h === null)
                        ? null
                        : homedWrite + Math.max(...holders.map((h) => rtt(servedBy, h?.at ?? servedBy)));
            }
            const permitted = [...own].filter((r) => !down.has(r));
            const floor = Math.min(...(permitted.length > 0 ? permitted : [...own]).map((r) => floorMs(point, pointOf(r))));
            countries.push({
                country: code,
                population: pop.population,
                point: pop.point?.what ?? `capital (${country.name})`,
                cloudflareRegion: region,
                servedBy,
                home,
                leaseholder: l?.at ?? null,
                read: read === null ? null : round(read),
                homedWrite: homedWrite === null ? null : round(homedWrite),
                uniqueInsert: Object.fromEntries(Object.entries(uniqueInsert).map(([t, v]) => [t, v === null ? null : round(v)])),
                floor: round(floor),
            });
        }
        const pct = (value: (c: CountryLatency) => number | null): Percentiles => {
            // Unserved users count as infinitely slow: a percentile they reach is null.
            const samples = countries.map((c) => ({ value: value(c) ?? Infinity, weight: c.population }));
            const p = (q: number) => {
                const v = weightedPercentile(samples, q);
                return v === undefined || !Number.isFinite(v) ? null : v;
            };
            return { p50: p(0.5), p95: p(0.95) };
        };
        const uniqueInserts = checked
            .filter((c) => c.constraints.length > 0)
            .map((c) => ({
                table: c.table,
                constraints: c.constraints,
                outsideDomain: [
                    ...new Set(allRegions.map((r) => leaseOf(c.table, r)?.at).filter((r): r is string => r !== undefined && !own.has(r))),
                ].sort(),
                ...pct((x) => x.uniqueInsert[c.table] ?? null),
            }));
        return {
            domain: d.name,
            population: countries.reduce((a, c) => a + c.population, 0),
            unmodelled,
            reads: pct((c) => c.read),
            homedWrites: pct((c) => c.homedWrite),
            inserts: pct((c) => {
                const checks = Object.values(c.uniqueInsert);
                if (c.homedWrite === null || checks.includes(null)) return null;
                return Math.max(c.homedWrite, ...checks.filter((v): v is number => v !== null));
            }),
            uniqueInserts,
            floor: pct((c) => c.floor),
            outsideDomain: [...outside].sort(),
            countries,
        };
    });
    return {
        kind: "modelled",
        routeFactor: factor,
        down: [...down].sort(),
        domains,
        model:
            `Modelled, not measured: great-circle distance x ${factor} route factor x 0.01 ms/km round trip (speed of light in fibre; ` +
            "Bozkurt et al. 2018 rule of thumb), one point per country weighted by population (Eurostat/UN/national figures, 2023-2024). " +
            "Read = user -> serving region -> leaseholder; write adds the Raft quorum round trip; unique-checked insert adds the farthest partition. " +
            "Floor = great circle to the nearest permitted region at the speed of light in fibre.",
    };
}
