import type * as pulumi from "@pulumi/pulumi";
import type { RegionPlan } from "../topology";

/** What the wiring functions of a regional stack share: names, parent and the region's plan. */
export interface RegionContext {
    /** The regional stack's name: children are `${name}-<role>`. */
    readonly name: string;
    /** The regional stack: every child's parent, and through it the region's provider. */
    readonly parent: pulumi.ComponentResource;
    /** `{ parent }`, the options of a plain child. */
    readonly child: { readonly parent: pulumi.ComponentResource };
    readonly plan: RegionPlan;
    readonly environment: string;
    /** `<env>-<crdb-region>`: prefix of cloud-side names and `Name` tags. */
    readonly prefix: string;
    /** The residency tags/labels (set by the provider too; repeated where provider defaults do not reach). */
    readonly tags: Readonly<Record<string, string>>;
    /**
     * Suffix of this deployment in the names of the region's stateful resources the cloud keeps
     * (buckets, the GCP key ring): kept with them while they are in the stack, new after a full destroy.
     */
    readonly dataSuffix: pulumi.Output<string>;
}
