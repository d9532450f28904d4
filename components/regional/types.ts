import * as pulumi from "@pulumi/pulumi";
import type { RegionPlan } from "../topology";

/**
 * Arguments every regional stack takes, whichever cloud it runs on. Cloud-specific choices
 * (machine families, managed services) stay inside each implementation.
 */
export interface RegionalStackArgs {
    /** Environment name (`prod`); prefixes cloud-side names. */
    readonly environment: string;
    /** The region's plan from `planTopology`: zones, CIDRs, node addresses, domain. */
    readonly plan: RegionPlan;
}

/** What every regional stack exposes, with the same keys on both clouds. */
export interface RegionalStackOutputs {
    /** CockroachDB region name (`aws-us-east-1`). */
    readonly crdbRegion: string;
    /** Residency domain whose data the region holds. */
    readonly domain: string;
    /** Id of the region's network (AWS VPC id, GCP network self link). */
    readonly networkId: pulumi.Output<string>;
    /** Ids of the private subnets that hold the database nodes and the SQL endpoint. */
    readonly privateSubnetIds: pulumi.Output<string[]>;
    /** Zones the network actually spans, as the cloud names them. */
    readonly zones: pulumi.Output<string[]>;
}

/** Labels (GCP) / tags (AWS) every taggable resource of a region carries, so policies can tell its domain. */
export function residencyTags(environment: string, plan: Pick<RegionPlan, "name" | "domain">): Record<string, string> {
    return {
        environment,
        "crdb-region": plan.name,
        "residency-domain": plan.domain,
        "managed-by": "pulumi",
    };
}
