/**
 * Config checks of deployability: regions the shipped design can never deploy to, and environments
 * that need more than a quota of a new AWS account (or than the raised value in `backend:quotas`).
 * Issues carry a key path; components/validate turns them into `backend:...` keys.
 */
import type { StackConfig } from "../config";
import { findRegion } from "../regions-lookup";
import { regionRefusal } from "../topology";
import { ACM_DOMAIN_NAME_MAX_LENGTH } from "./constraints";
import { effectiveLimit } from "./engine";
import { AWS_QUOTAS } from "./quotas";
import type { CheckedAwsQuota } from "./settings";
import { awsQuotaUsage } from "./usage";

export interface DeployabilityIssue {
    readonly path: readonly (string | number)[];
    readonly message: string;
}

/** Regions in the catalog that the design cannot deploy to (e.g. AWS regions with two zones). */
export function regionRefusals(regions: readonly { readonly cloud: "aws" | "gcp"; readonly region: string }[]): DeployabilityIssue[] {
    return regions.flatMap((r, i) => {
        const entry = findRegion(r.cloud, r.region);
        const reason = entry && regionRefusal(entry);
        return reason ? [{ path: ["regions", i, "region"], message: reason }] : [];
    });
}

/**
 * A hostname ACM cannot certify: AWS regions serve it with an ACM certificate whose first domain
 * name is the hostname, at most 64 characters
 * (docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html).
 */
export function hostnameRefusals(regions: readonly { readonly cloud: "aws" | "gcp" }[], hostname: string): DeployabilityIssue[] {
    if (!regions.some((r) => r.cloud === "aws") || hostname.length <= ACM_DOMAIN_NAME_MAX_LENGTH) return [];
    return [
        {
            path: ["cloudflare", "hostname"],
            message: `"${hostname}" is ${hostname.length} characters, but a region is on AWS and ACM issues its origin certificate only for a first domain name of at most ${ACM_DOMAIN_NAME_MAX_LENGTH} characters (docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html); use a hostname of at most ${ACM_DOMAIN_NAME_MAX_LENGTH} characters.`,
        },
    ];
}

/** The limit config checks against: the raised value from `backend:quotas`, else the default (as the plan does). */
export function quotaLimit(config: Pick<StackConfig, "quotas">, quota: CheckedAwsQuota): number {
    return effectiveLimit(quota, config.quotas).limit;
}

/** One issue per quota use above its limit, naming the quota, the need and how to raise it. */
export function quotaIssues(config: StackConfig): DeployabilityIssue[] {
    return awsQuotaUsage(config).flatMap((use) => {
        const limit = quotaLimit(config, use.quota);
        if (use.needs <= limit) return [];
        const q = AWS_QUOTAS[use.quota];
        const [service, code] = q.code.split("/");
        const raised = config.quotas[use.quota] !== undefined;
        // IAM is global; its quotas are requested through Service Quotas in us-east-1.
        const regionFlag = use.region ? ` --region ${use.region}` : service === "iam" ? " --region us-east-1" : "";
        return [
            {
                path: use.key,
                message:
                    `${use.what} needs ${use.needs}, above the ${raised ? "raised value in backend:quotas" : "default"} ${limit} of the AWS quota "${q.name}" (${q.code}, per ${q.scope}). ` +
                    `To fit, ${use.reduce}; or raise the quota (adjustable: ${q.adjustable}; aws service-quotas request-service-quota-increase${regionFlag} --service-code ${service} --quota-code ${code} --desired-value ${use.needs}) ` +
                    `and, once granted, set backend:quotas.${use.quota}: ${use.needs}.`,
            },
        ];
    });
}
