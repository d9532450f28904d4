import type * as pulumi from "@pulumi/pulumi";
import type { RegionContext } from "../context";

/** A region's context on GCP: the project, read once per region. */
export interface GcpContext extends RegionContext {
    /** Project id (`backend:gcpProject`): names buckets, read by the boot script. */
    readonly project: string;
    /** Project number: names the Google-managed service agents. */
    readonly projectNumber: pulumi.Output<string>;
}

/** `serviceAccount:` member of a Google-managed service agent, `service-<number>@<domain>`. */
export function serviceAgent(ctx: GcpContext, domain: string): pulumi.Output<string> {
    return ctx.projectNumber.apply((n) => `serviceAccount:service-${n}@${domain}`);
}
