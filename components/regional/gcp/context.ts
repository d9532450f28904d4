import type * as pulumi from "@pulumi/pulumi";
import type { Region, RegionContext } from "../context";

/** A region on GCP: the project, read once per region. */
export interface GcpRegion extends Region {
    /** Project id (`backend:gcpProject`): names buckets, read by the boot script. */
    readonly project: string;
    /** Project number: names the Google-managed service agents. */
    readonly projectNumber: pulumi.Output<string>;
}

/** A tier's context on GCP. */
export type GcpContext = GcpRegion & RegionContext;

/** `serviceAccount:` member of a Google-managed service agent, `service-<number>@<domain>`. */
export function serviceAgent(ctx: GcpRegion, domain: string): pulumi.Output<string> {
    return ctx.projectNumber.apply((n) => `serviceAccount:service-${n}@${domain}`);
}
