/**
 * The failures a drill simulates, derived from the planned topology: every region, every zone of
 * the primary region that holds a node, each cloud and each residency domain going down as a whole. Pure.
 */
import { at } from "../collections";
import type { Topology } from "../topology";

export type ScenarioKind = "region" | "zone" | "cloud" | "domain";

export interface Scenario {
    /** `region:aws-us-east-1`, `zone:us-east-1a`, `cloud:aws`, `domain:eu`. */
    readonly id: string;
    readonly kind: ScenarioKind;
    /** CockroachDB regions entirely down (every node, the app tier, the pool's origin). */
    readonly regions: readonly string[];
    /** One zone down (its nodes only; the app tier spans zones and keeps serving), or null. */
    readonly zone: { readonly region: string; readonly zone: string } | null;
}

/** Every scenario of a topology, in a stable order: regions, primary zones, clouds, domains. */
export function drillScenarios(topology: Pick<Topology, "regions" | "primary">): Scenario[] {
    const regions = topology.regions;
    const primary = at(
        regions.filter((r) => r.name === topology.primary),
        0,
        "primary region",
    );
    const clouds = [...new Set(regions.map((r) => r.cloud))];
    const domains = [...new Set(regions.map((r) => r.domain))];
    return [
        ...regions.map((r) => ({ id: `region:${r.name}`, kind: "region" as const, regions: [r.name], zone: null })),
        // A zone without a node takes no replica with it; the app tier spans the zones behind one origin.
        ...primary.zones
            .filter((zone) => primary.nodes.some((n) => n.zone === zone))
            .map((zone) => ({ id: `zone:${zone}`, kind: "zone" as const, regions: [], zone: { region: primary.name, zone } })),
        ...clouds.map((cloud) => ({
            id: `cloud:${cloud}`,
            kind: "cloud" as const,
            regions: regions.filter((r) => r.cloud === cloud).map((r) => r.name),
            zone: null,
        })),
        ...domains.map((domain) => ({
            id: `domain:${domain}`,
            kind: "domain" as const,
            regions: regions.filter((r) => r.domain === domain).map((r) => r.name),
            zone: null,
        })),
    ];
}
