import type { RegionPlan } from "../topology";

/** Labels (GCP) / tags (AWS) every taggable resource of a region carries, so policies can tell its domain. */
export function residencyTags(environment: string, plan: Pick<RegionPlan, "name" | "domain">): Record<string, string> {
    return {
        environment,
        "crdb-region": plan.name,
        "residency-domain": plan.domain,
        "managed-by": "pulumi",
    };
}
