import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./config";
import { residencyTags } from "./regional/tags";
import type { RegionPlan } from "./topology";

/**
 * The explicit provider of one region. Default providers are disabled for the project
 * (`pulumi:disable-default-providers`), so a resource that forgets its provider fails instead of
 * landing in whatever region the shell happens to be configured for. Credentials come from the
 * usual environment (AWS profile or keys, `gcloud auth application-default login`).
 */
export function regionProvider(config: StackConfig, plan: RegionPlan): pulumi.ProviderResource {
    const tags = residencyTags(config.environment, plan);
    if (plan.cloud === "aws") {
        return new aws.Provider(plan.name, { region: plan.region as aws.Region, defaultTags: { tags } });
    }
    return new gcp.Provider(plan.name, { project: config.gcpProject, region: plan.region, defaultLabels: tags });
}

/** `scope` tag/label of cluster-wide resources. */
export const CLUSTER_SCOPE = "cluster";

/** Tags/labels of cluster-wide resources (IAM, federation): they belong to no residency domain. */
export function clusterTags(environment: string): Record<string, string> {
    return { environment, scope: CLUSTER_SCOPE, "managed-by": "pulumi" };
}

/**
 * Providers for the cluster-wide resources of each cloud the environment uses (IAM is global on
 * AWS, federation and grants are project-wide on GCP), tagged as the cluster's rather than as one
 * domain's. Their region is only where API calls go: the first region of that cloud.
 */
export function clusterProviders(config: StackConfig, plans: readonly RegionPlan[]): { aws?: aws.Provider; gcp?: gcp.Provider } {
    const first = (cloud: string) => plans.find((p) => p.cloud === cloud);
    const tags = clusterTags(config.environment);
    const a = first("aws");
    const g = first("gcp");
    return {
        aws: a && new aws.Provider("global-aws", { region: a.region as aws.Region, defaultTags: { tags } }),
        gcp: g && new gcp.Provider("global-gcp", { project: config.gcpProject, region: g.region, defaultLabels: tags }),
    };
}
