import type * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DEPLOYMENT_SUFFIX_BYTES } from "./naming";

/**
 * A per-deployment suffix of the region (hex of a `random.RandomId`), for the names a cloud keeps
 * after deletion. It is created with the resources it names and lives as long as they do: `pulumi
 * destroy` deletes it with them (unless a protected resource still uses it), and the next deployment
 * draws a new one. Needs a `random` provider among the regional stack's `providers`.
 */
export function deploymentSuffix(name: string, role: string, opts: { readonly parent: pulumi.Resource }): pulumi.Output<string> {
    return new random.RandomId(`${name}-${role}-suffix`, { byteLength: DEPLOYMENT_SUFFIX_BYTES }, opts).hex;
}
