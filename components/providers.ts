import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./config";
import { residencyTags } from "./regional/types";
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
