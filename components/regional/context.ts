import type * as pulumi from "@pulumi/pulumi";
import type { RegionPlan } from "../topology";

/** What every part of a regional stack knows of its region: names, plan and tags (plain values). */
export interface Region {
    /** The regional stack's name: every resource of the region is `${name}-<role>`. */
    readonly name: string;
    readonly plan: RegionPlan;
    readonly environment: string;
    /** `<env>-<crdb-region>`: prefix of cloud-side names and `Name` tags. */
    readonly prefix: string;
    /** The residency tags/labels (set by the provider too; repeated where provider defaults do not reach). */
    readonly tags: Readonly<Record<string, string>>;
}

/** Options of a resource inside a tier component: its parent, and the parent it had before tiers existed. */
export interface ChildOptions {
    readonly parent: pulumi.ComponentResource;
    readonly aliases: pulumi.Input<pulumi.Alias>[];
}

/** What the wiring functions of one tier (network, data, nodes, app) share. */
export interface RegionContext extends Region {
    /** The tier component: every child's parent, and through it the region's provider. */
    readonly parent: pulumi.ComponentResource;
    /** Options of a plain child (`{ ...ctx.child, protect: true }` to add more). */
    readonly child: ChildOptions;
}

/**
 * The context of a tier component. Its children were direct children of the regional stack before
 * the tiers existed (same names): each carries `aliases: [{ parent: <regional stack> }]`, the
 * alias Pulumi documents for re-parenting a resource, so deployed stacks keep every resource and
 * `pulumi up` only rewrites their URNs (pulumi.com/docs/iac/operations/stack-management/
 * refactoring-with-aliases, "Re-parenting a resource"). test/urns.test.ts checks it against the
 * URNs deployed stacks hold. Remove the aliases once every stack has been updated.
 */
export function tierContext<R extends Region>(
    region: R,
    tier: pulumi.ComponentResource,
    opts?: pulumi.ComponentResourceOptions,
): R & RegionContext {
    if (!opts?.parent) throw new Error(`${region.name}: a tier component of a regional stack needs the stack as opts.parent.`);
    return { ...region, parent: tier, child: { parent: tier, aliases: [{ parent: opts.parent }] } };
}
