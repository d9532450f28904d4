import type * as pulumi from "@pulumi/pulumi";
import type { Region, RegionContext } from "../context";

/** A region on AWS: the account and partition, read once per region. */
export interface AwsRegion extends Region {
    readonly accountId: pulumi.Output<string>;
    readonly partition: pulumi.Output<string>;
}

/** A tier's context on AWS. */
export type AwsContext = AwsRegion & RegionContext;
