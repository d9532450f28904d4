import type { StackValidationPolicy } from "@pulumi/policy";
import { effectiveTags, json, REGION_TAG, refersTo, type Res } from "../lib/facts";
import { violation } from "../lib/message";

interface Statement {
    Effect?: string;
    Action?: string | string[];
    Resource?: string | string[];
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * A node identity reads only its own region's secrets: AWS role policies of a region grant
 * `secretsmanager:GetSecretValue` on secrets of that region only (never `*`); a GCP secret's
 * accessor grant goes to a service account of the secret's own region.
 */
export const securityNodeSecretScope: StackValidationPolicy = {
    name: "security-node-secret-scope",
    description: "Node identities read only their own region's secrets.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const all = args.resources as readonly Res[];
        for (const r of all) {
            if (r.type === "aws:iam/rolePolicy:RolePolicy") {
                const own = effectiveTags(r)[REGION_TAG];
                if (!own) continue;
                const region = own.replace(/^aws-/, "");
                const doc = json(r.props.policy) as { Statement?: Statement | Statement[] } | undefined;
                for (const s of list(doc?.Statement)) {
                    if (s.Effect !== "Allow") continue;
                    const reads = list(s.Action).some((a) => /^(secretsmanager:(GetSecretValue|\*)|\*)$/i.test(a));
                    if (!reads) continue;
                    for (const arn of list(s.Resource)) {
                        const m = /^arn:aws[\w-]*:secretsmanager:([a-z0-9-]+):/.exec(arn);
                        if (!m || m[1] !== region)
                            report(
                                violation(
                                    r,
                                    `lets ${own}'s identity read secret ${arn}, which is not a secret of ${region}`,
                                    `grant GetSecretValue only on arn:aws:secretsmanager:${region}:... secrets of the region`,
                                ),
                                r.urn,
                            );
                    }
                }
            } else if (
                /^gcp:secretmanager\/secretIam(Member|Binding):/.test(r.type) &&
                /secretAccessor|secretmanager\.admin|roles\/owner/.test(String(r.props.role))
            ) {
                const secret = all.find((s) => s.type === "gcp:secretmanager/secret:Secret" && refersTo(r.props.secretId, s));
                const secretRegion = secret && effectiveTags(secret)[REGION_TAG];
                const members = [r.props.member, ...((r.props.members as unknown[]) ?? [])].filter(
                    (m): m is string => typeof m === "string",
                );
                for (const m of members) {
                    const accountId = /^serviceAccount:([^@]+)@/.exec(m)?.[1];
                    const account = all.find((a) => a.type === "gcp:serviceaccount/account:Account" && a.props.accountId === accountId);
                    const accountRegion = account && effectiveTags(account)[REGION_TAG];
                    if (secretRegion && accountRegion && accountRegion !== secretRegion)
                        report(
                            violation(
                                r,
                                `lets ${m} (an identity of ${accountRegion}) read a secret of ${secretRegion}`,
                                `grant the secret only to ${secretRegion}'s own service accounts`,
                            ),
                            r.urn,
                        );
                }
            }
        }
    },
};
