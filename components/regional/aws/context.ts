import type * as pulumi from "@pulumi/pulumi";
import type { RegionContext } from "../context";

/** A region's context on AWS: the account and partition, read once per region. */
export interface AwsContext extends RegionContext {
    readonly accountId: pulumi.Output<string>;
    readonly partition: pulumi.Output<string>;
}
