import type { ResourceValidationPolicy } from "@pulumi/policy";
import { cloudOf, CLUSTER_SCOPE, DOMAIN_TAG, effectiveTags, isProvider, REGION_TAG, SCOPE_TAG } from "../lib/facts";
import { violation } from "../lib/message";

/**
 * Every AWS/GCP resource and provider carries its residency domain and region (from its
 * provider's default tags/labels or its own), or `scope=cluster` for cluster-wide resources:
 * an untagged resource has no domain any other rule could hold it to.
 */
export const residencyTags: ResourceValidationPolicy = {
    name: "residency-tags",
    description: "Every AWS and GCP resource is tagged/labelled with its residency domain and region (or scope=cluster).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (!cloudOf(args.type)) return;
        const tags = effectiveTags(args);
        if (tags[SCOPE_TAG] === CLUSTER_SCOPE) return;
        const missing = [DOMAIN_TAG, REGION_TAG].filter((k) => !tags[k]);
        if (missing.length === 0) return;
        report(
            violation(
                args,
                `has no ${missing.join(" and ")} ${cloudOf(args.type) === "gcp" ? "label" : "tag"}, so its data belongs to no residency domain`,
                isProvider(args.type)
                    ? "create the provider with components/providers.ts regionProvider (default tags/labels from residencyTags) or clusterProviders"
                    : "create it with the region's provider ({ provider } or { parent } from its regional stack), whose default tags/labels carry the domain",
            ),
        );
    },
};
