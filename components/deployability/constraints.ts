/**
 * Documented constraints of the resource types this program creates, as data: resource types, the
 * input property, the rule in words, a check, and the source of the rule. Mocks accept any input,
 * so these are what a first `pulumi up` would otherwise discover one API error at a time.
 * `RESOURCE_TYPES_WITHOUT_CONSTRAINTS` lists the registered types no rule here applies to, with
 * why; test/deployability.test.ts fails when the plan registers a type listed in neither.
 */
import type { Constraint, CountRule, PlannedInput } from "./engine";
import { all, matches, maxBytes, maxEntries, maxLength, minLength, notEndingWith, notStartingWith, oneOf, onlyCharacters } from "./engine";

// ---- sources ----
const EC2_SG_API = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html";
const EC2_RULE_API = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html";
const ELB_LB_API = "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html";
const ELB_TG_API = "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html";
const IAM_QUOTAS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html";
const S3_NAMES = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html";
const SECRETS_API = "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html";
const KMS_ALIAS_API = "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html";
const EC2_USER_DATA = "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html";
const ECS_CLUSTER_API = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html";
const ECS_SERVICE_API = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html";
const ECS_TASK_API = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html";
const LOGS_API = "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html";
const AWS_TAGS = "https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html";
const GCE_NAMES = "https://cloud.google.com/compute/docs/naming-resources";
const GCE_METADATA =
    "https://cloud.google.com/compute/docs/reference/rest/v1/instances (Metadata.items: value <= 262144 bytes; all keys and values < 512 KB)";
const GCP_LABELS = "https://cloud.google.com/compute/docs/labeling-resources#requirements";
const GCP_SA_API = "https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts/create";
const GCP_SECRET_API = "https://cloud.google.com/secret-manager/docs/reference/rest/v1/projects.secrets/create";
const GCS_NAMES = "https://cloud.google.com/storage/docs/buckets#naming";
const GCP_KMS_NAMES =
    "https://cloud.google.com/kms/docs/reference/rest/v1/projects.locations.keyRings/create (keyRingId, and cryptoKeyId likewise: [a-zA-Z0-9_-]{1,63})";
const GCP_WIF_API = "https://cloud.google.com/iam/docs/reference/rest/v1/projects.locations.workloadIdentityPools/create";
const CLOUD_RUN_PROBES = "https://cloud.google.com/run/docs/configuring/healthchecks";
const CF_POOL = "@pulumi/cloudflare 6.22 LoadBalancerPool.name: only alphanumeric characters, hyphens and underscores";
const ACM_REQUEST_API =
    "https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html (DomainName: the Common Name, per RFC 5280, cannot exceed 64 octets including periods)";
/** The first domain name of an ACM certificate request, in characters (ACM_REQUEST_API). */
export const ACM_DOMAIN_NAME_MAX_LENGTH = 64;
const FLOW_LOG_API =
    "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html (MaxAggregationInterval: 60 | 600); @pulumi/aws 7.48 ec2.FlowLog maxAggregationInterval";
const S3_OWNERSHIP_API =
    "https://docs.aws.amazon.com/AmazonS3/latest/API/API_OwnershipControlsRule.html; @pulumi/aws 7.48 s3.BucketOwnershipControls rule.objectOwnership";
const S3_KEYS = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html (object key names up to 1,024 bytes)";
const CF_DNS_NAMES =
    "https://developers.cloudflare.com/dns/manage-dns-records/reference/dns-record-types/ (labels of 63 characters or less, the FQDN not above 253)";
const CF_DNS_COMMENTS =
    "https://developers.cloudflare.com/dns/manage-dns-records/reference/record-attributes/ (comments do not support newline or carriage return)";
const CF_DNS_TTL = "@pulumi/cloudflare 6.22 DnsRecord.ttl: 1 (automatic) or 60-86400, minimum 30 for Enterprise zones";

/** EC2 security group names, descriptions and rule descriptions (EC2-VPC). */
const EC2_CHARSET = "a-zA-Z0-9 ._\\-:/()#,@\\[\\]+=&;{}!$*";
const ec2Text = all(maxLength(255), onlyCharacters(EC2_CHARSET, "a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*"));
/** ELB and target group names. */
const elbName = all(
    maxLength(32),
    matches(/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/, "alphanumerics and hyphens, not starting or ending with a hyphen"),
);
/** IAM names of users, roles, policies, instance profiles. */
const iamName = (max: number) => all(minLength(1), maxLength(max), matches(/^[\w+=,.@-]+$/, "alphanumerics and +=,.@_-"));
/** GCE resource names: RFC 1035 label, 1-63 characters. */
const rfc1035 = all(maxLength(63), matches(/^[a-z](?:[-a-z0-9]*[a-z0-9])?$/, "a lowercase RFC 1035 name ([a-z]([-a-z0-9]*[a-z0-9])?)"));
const gcpLabelKey = all(maxLength(63), matches(/^[a-z][a-z0-9_-]*$/, "a label key (lowercase letter first, then a-z, 0-9, _ and -)"));
const gcpLabelValue = all(maxLength(63), matches(/^[a-z0-9_-]*$/, "a label value (a-z, 0-9, _ and -)"));

const GCE_NAMED = [
    "gcp:compute/address:Address",
    "gcp:compute/disk:Disk",
    "gcp:compute/firewall:Firewall",
    "gcp:compute/forwardingRule:ForwardingRule",
    "gcp:compute/instance:Instance",
    "gcp:compute/instanceGroup:InstanceGroup",
    "gcp:compute/network:Network",
    "gcp:compute/regionBackendService:RegionBackendService",
    "gcp:compute/regionHealthCheck:RegionHealthCheck",
    "gcp:compute/router:Router",
    "gcp:compute/routerNat:RouterNat",
    "gcp:compute/subnetwork:Subnetwork",
    "gcp:dns/managedZone:ManagedZone",
];
const GCP_LABELLED = [
    "gcp:compute/address:Address",
    "gcp:compute/disk:Disk",
    "gcp:compute/forwardingRule:ForwardingRule",
    "gcp:compute/instance:Instance",
    "gcp:kms/cryptoKey:CryptoKey",
    "gcp:secretmanager/secret:Secret",
    "gcp:storage/bucket:Bucket",
    "gcp:cloudrunv2/service:Service",
    "gcp:dns/managedZone:ManagedZone",
];
const SG_RULE_TYPES = [
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
];

export const CONSTRAINTS: readonly Constraint[] = [
    // ---- AWS EC2 security groups ----
    {
        types: ["aws:ec2/securityGroup:SecurityGroup"],
        property: "name",
        rule: "group name: up to 255 characters of a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*; cannot start with sg-",
        check: all(ec2Text, notStartingWith("sg-")),
        source: EC2_SG_API,
    },
    {
        types: ["aws:ec2/securityGroup:SecurityGroup"],
        property: "description",
        rule: "group description: up to 255 characters of a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*",
        check: ec2Text,
        source: EC2_SG_API,
    },
    {
        types: ["aws:ec2/securityGroup:SecurityGroup"],
        property: "ingress.*.description",
        rule: "rule description: up to 255 characters of a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*",
        check: ec2Text,
        source: EC2_RULE_API,
    },
    {
        types: ["aws:ec2/securityGroup:SecurityGroup"],
        property: "egress.*.description",
        rule: "rule description: up to 255 characters of a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*",
        check: ec2Text,
        source: EC2_RULE_API,
    },
    {
        types: [...SG_RULE_TYPES, "aws:ec2/securityGroupRule:SecurityGroupRule"],
        property: "description",
        rule: "rule description: up to 255 characters of a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*",
        check: ec2Text,
        source: EC2_RULE_API,
    },
    // ---- Elastic Load Balancing ----
    {
        types: ["aws:lb/loadBalancer:LoadBalancer"],
        property: "name",
        rule: "load balancer name: up to 32 alphanumerics and hyphens, no hyphen first or last, cannot start with internal-",
        check: all(elbName, notStartingWith("internal-")),
        source: ELB_LB_API,
    },
    {
        types: ["aws:lb/targetGroup:TargetGroup"],
        property: "name",
        rule: "target group name: up to 32 alphanumerics and hyphens, no hyphen first or last",
        check: elbName,
        source: ELB_TG_API,
    },
    // ---- IAM ----
    {
        types: ["aws:iam/role:Role"],
        property: "name",
        rule: "role name: 1-64 alphanumerics and +=,.@_-",
        check: iamName(64),
        source: IAM_QUOTAS,
    },
    {
        types: ["aws:iam/instanceProfile:InstanceProfile"],
        property: "name",
        rule: "instance profile name: 1-128 alphanumerics and +=,.@_-",
        check: iamName(128),
        source: IAM_QUOTAS,
    },
    {
        types: ["aws:iam/rolePolicy:RolePolicy"],
        property: "name",
        rule: "inline policy name: 1-128 alphanumerics and +=,.@_-",
        check: iamName(128),
        source: IAM_QUOTAS,
    },
    {
        types: ["aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy"],
        property: "assumeRolePolicy",
        rule: "policy documents: only tab, LF, CR and U+0020-U+00FF",
        check: (v) =>
            onlyCharacters("\\t\\n\\r\\u0020-\\u00ff", "tab, LF, CR and U+0020-U+00FF")(typeof v === "string" ? v : JSON.stringify(v)),
        source: IAM_QUOTAS,
    },
    // ---- S3 ----
    {
        types: ["aws:s3/bucket:Bucket"],
        property: "bucket",
        rule: "bucket name: 3-63 characters of a-z, 0-9, '.' and '-', starting and ending with a letter or digit; not xn--, sthree-, amzn-s3-demo-, -s3alias, --ol-s3, .mrap, --x-s3, --table-s3, not an IP address",
        check: all(
            minLength(3),
            maxLength(63),
            matches(/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/, "lowercase letters, digits, '.' and '-' starting and ending with a letter or digit"),
            matches(/^(?!\d+\.\d+\.\d+\.\d+$)(?!.*\.\.)/, "free of '..' and not an IP address"),
            notStartingWith("xn--", "sthree-", "amzn-s3-demo-"),
            notEndingWith("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"),
        ),
        source: S3_NAMES,
    },
    // ---- Secrets Manager, KMS ----
    {
        types: ["aws:secretsmanager/secret:Secret"],
        property: "name",
        rule: "secret name: 1-512 characters of A-Z, a-z, 0-9 and /_+=.@-",
        check: all(minLength(1), maxLength(512), matches(/^[A-Za-z0-9/_+=.@-]+$/, "A-Z, a-z, 0-9 and /_+=.@-")),
        source: SECRETS_API,
    },
    {
        types: ["aws:kms/alias:Alias"],
        property: "name",
        rule: "alias name: alias/ then a-z, A-Z, 0-9, /, _ and -, at most 256 characters, not alias/aws/",
        check: all(maxLength(256), matches(/^alias\/[a-zA-Z0-9/_-]+$/, "alias/ followed by a-zA-Z0-9/_-"), notStartingWith("alias/aws/")),
        source: KMS_ALIAS_API,
    },
    // ---- EC2 instances ----
    {
        types: ["aws:ec2/instance:Instance"],
        property: "userData",
        rule: "user data: at most 16 KB before base64 encoding",
        check: maxBytes(16 * 1024),
        source: EC2_USER_DATA,
    },
    // ---- ECS, CloudWatch Logs ----
    {
        types: ["aws:ecs/cluster:Cluster"],
        property: "name",
        rule: "cluster name: up to 255 letters, digits, hyphens and underscores",
        check: all(maxLength(255), matches(/^[A-Za-z0-9_-]+$/, "letters, digits, hyphens and underscores")),
        source: ECS_CLUSTER_API,
    },
    {
        types: ["aws:ecs/service:Service"],
        property: "name",
        rule: "service name: up to 255 letters, digits, hyphens and underscores",
        check: all(maxLength(255), matches(/^[A-Za-z0-9_-]+$/, "letters, digits, hyphens and underscores")),
        source: ECS_SERVICE_API,
    },
    {
        types: ["aws:ecs/taskDefinition:TaskDefinition"],
        property: "family",
        rule: "task definition family: up to 255 letters, digits, hyphens and underscores",
        check: all(maxLength(255), matches(/^[A-Za-z0-9_-]+$/, "letters, digits, hyphens and underscores")),
        source: ECS_TASK_API,
    },
    {
        types: ["aws:cloudwatch/logGroup:LogGroup"],
        property: "name",
        rule: "log group name: 1-512 characters of a-z, A-Z, 0-9, '_', '-', '/', '.' and '#'",
        check: all(minLength(1), maxLength(512), matches(/^[.\-_/#A-Za-z0-9]+$/, "a-z, A-Z, 0-9 and ._-/#")),
        source: LOGS_API,
    },
    // ---- AWS tags (resources and provider default tags) ----
    {
        types: ["pulumi:providers:aws"],
        property: "defaultTags.tags.~",
        rule: "tag key: 1-128 characters, not starting with aws:",
        check: all(maxLength(128), notStartingWith("aws:")),
        source: AWS_TAGS,
    },
    {
        types: ["pulumi:providers:aws"],
        property: "defaultTags.tags.*",
        rule: "tag value: 0-256 characters",
        check: maxLength(256),
        source: AWS_TAGS,
    },
    // ---- GCP ----
    {
        types: GCE_NAMED,
        property: "name",
        rule: "resource name: 1-63 characters, RFC 1035 ([a-z]([-a-z0-9]*[a-z0-9])?)",
        check: rfc1035,
        source: GCE_NAMES,
    },
    {
        types: ["gcp:compute/instance:Instance"],
        property: "metadata.*",
        rule: "metadata value: at most 262144 bytes (256 KiB)",
        check: maxBytes(262144),
        source: GCE_METADATA,
    },
    {
        types: ["gcp:compute/instance:Instance"],
        property: "metadata",
        rule: "metadata: all keys and values together under 512 KB",
        check: (v) =>
            v && typeof v === "object"
                ? maxBytes(512 * 1024 - 1)(
                      Object.entries(v)
                          .map(([k, x]) => k + String(x))
                          .join(""),
                  )
                : undefined,
        source: GCE_METADATA,
    },
    {
        types: ["gcp:compute/instance:Instance"],
        property: "metadata.~",
        rule: "metadata key: [a-zA-Z0-9-_]+, under 128 bytes",
        check: all(maxBytes(127), matches(/^[a-zA-Z0-9_-]+$/, "[a-zA-Z0-9-_]+")),
        source: GCE_METADATA,
    },
    {
        types: GCP_LABELLED,
        property: "labels.~",
        rule: "label key: 1-63 characters, lowercase letter first, then a-z, 0-9, _ and -",
        check: gcpLabelKey,
        source: GCP_LABELS,
    },
    {
        types: GCP_LABELLED,
        property: "labels.*",
        rule: "label value: 0-63 characters of a-z, 0-9, _ and -",
        check: gcpLabelValue,
        source: GCP_LABELS,
    },
    {
        types: GCP_LABELLED,
        property: "labels",
        rule: "at most 64 labels per resource",
        check: maxEntries(64, "labels"),
        source: GCP_LABELS,
    },
    {
        types: ["pulumi:providers:gcp"],
        property: "defaultLabels.~",
        rule: "label key: 1-63 characters, lowercase letter first, then a-z, 0-9, _ and -",
        check: gcpLabelKey,
        source: GCP_LABELS,
    },
    {
        types: ["pulumi:providers:gcp"],
        property: "defaultLabels.*",
        rule: "label value: 0-63 characters of a-z, 0-9, _ and -",
        check: gcpLabelValue,
        source: GCP_LABELS,
    },
    {
        types: ["gcp:serviceaccount/account:Account"],
        property: "accountId",
        rule: "service account id: 6-30 characters, [a-z]([-a-z0-9]*[a-z0-9])",
        check: all(
            minLength(6),
            maxLength(30),
            matches(/^[a-z](?:[-a-z0-9]*[a-z0-9])$/, "a lowercase letter, then a-z, 0-9 and -, ending with a letter or digit"),
        ),
        source: GCP_SA_API,
    },
    {
        types: ["gcp:secretmanager/secret:Secret"],
        property: "secretId",
        rule: "secret id: 1-255 characters of a-z, A-Z, 0-9, _ and -",
        check: all(minLength(1), maxLength(255), matches(/^[A-Za-z0-9_-]+$/, "a-z, A-Z, 0-9, _ and -")),
        source: GCP_SECRET_API,
    },
    {
        types: ["gcp:storage/bucket:Bucket"],
        property: "name",
        rule: "bucket name: 3-63 characters of a-z, 0-9, -, _ and . (dotted names up to 222), starting and ending with a letter or digit",
        check: all(
            minLength(3),
            (v) => (typeof v === "string" && !v.includes(".") ? maxLength(63)(v) : maxLength(222)(v)),
            matches(/^[a-z0-9][a-z0-9._-]*[a-z0-9]$/, "a-z, 0-9, -, _ and . starting and ending with a letter or digit"),
        ),
        source: GCS_NAMES,
    },
    {
        types: ["gcp:kms/keyRing:KeyRing", "gcp:kms/cryptoKey:CryptoKey"],
        property: "name",
        rule: "key ring / key name: 1-63 characters of a-z, A-Z, 0-9, _ and -",
        check: all(minLength(1), maxLength(63), matches(/^[a-zA-Z0-9_-]+$/, "a-zA-Z0-9_-")),
        source: GCP_KMS_NAMES,
    },
    {
        types: ["gcp:iam/workloadIdentityPool:WorkloadIdentityPool"],
        property: "workloadIdentityPoolId",
        rule: "pool id: 4-32 characters of a-z, 0-9 and -; the prefix gcp- is reserved",
        check: all(minLength(4), maxLength(32), matches(/^[a-z0-9-]+$/, "a-z, 0-9 and -"), notStartingWith("gcp-")),
        source: GCP_WIF_API,
    },
    {
        types: ["gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider"],
        property: "workloadIdentityPoolProviderId",
        rule: "provider id: 4-32 characters of a-z, 0-9 and -; the prefix gcp- is reserved",
        check: all(minLength(4), maxLength(32), matches(/^[a-z0-9-]+$/, "a-z, 0-9 and -"), notStartingWith("gcp-")),
        source: GCP_WIF_API,
    },
    // Cloud Run shuts a container down when the startup probe has not passed within
    // failureThreshold x periodSeconds, which may not exceed 240 s.
    {
        types: ["gcp:cloudrunv2/service:Service"],
        property: "template.containers.*.startupProbe",
        rule: "startup probe: failureThreshold x periodSeconds at most 240 s (defaults 3 and 10)",
        check: (v) => {
            const p = v as { failureThreshold?: number; periodSeconds?: number };
            const window = (p.failureThreshold ?? 3) * (p.periodSeconds ?? 10);
            return window > 240
                ? `allows ${p.failureThreshold ?? 3} x ${p.periodSeconds ?? 10} s = ${window} s, more than 240 s`
                : undefined;
        },
        source: CLOUD_RUN_PROBES,
    },
    // ---- ACM, VPC flow logs, S3 logging and ownership ----
    // Only the first domain name (the certificate's Common Name) is held to 64; SANs may have 253.
    // Config refuses a longer cloudflare.hostname when a region is on AWS (components/config.ts).
    {
        types: ["aws:acm/certificate:Certificate"],
        property: "domainName",
        rule: `certificate domain name (the Common Name): 1-${ACM_DOMAIN_NAME_MAX_LENGTH} characters including periods`,
        check: all(minLength(1), maxLength(ACM_DOMAIN_NAME_MAX_LENGTH)),
        source: ACM_REQUEST_API,
    },
    {
        types: ["aws:ec2/flowLog:FlowLog"],
        property: "maxAggregationInterval",
        rule: "flow log maximum aggregation interval: 60 or 600 seconds",
        check: oneOf(60, 600),
        source: FLOW_LOG_API,
    },
    {
        types: ["aws:s3/bucketOwnershipControls:BucketOwnershipControls"],
        property: "rule.objectOwnership",
        rule: "object ownership: BucketOwnerPreferred, ObjectWriter or BucketOwnerEnforced",
        check: oneOf("BucketOwnerPreferred", "ObjectWriter", "BucketOwnerEnforced"),
        source: S3_OWNERSHIP_API,
    },
    // Every access log object's key starts with the prefix.
    {
        types: ["aws:s3/bucketLogging:BucketLogging"],
        property: "targetPrefix",
        rule: "log object key prefix: under the 1,024 bytes of an object key",
        check: maxBytes(1023),
        source: S3_KEYS,
    },
    // ---- Cloudflare ----
    {
        types: ["cloudflare:index/dnsRecord:DnsRecord"],
        property: "name",
        rule: "record name: labels of 1-63 characters, at most 253 characters in all",
        check: all(
            minLength(1),
            maxLength(253),
            matches(/^[^.]{1,63}(?:\.[^.]{1,63})*\.?$/, "made of dot-separated labels of 1-63 characters"),
        ),
        source: CF_DNS_NAMES,
    },
    {
        types: ["cloudflare:index/dnsRecord:DnsRecord"],
        property: "comment",
        rule: "record comment: no newline or carriage return",
        check: matches(/^[^\n\r]*$/, "free of newlines and carriage returns"),
        source: CF_DNS_COMMENTS,
    },
    {
        types: ["cloudflare:index/dnsRecord:DnsRecord"],
        property: "ttl",
        rule: "record TTL: 1 (automatic) or 30-86400 seconds (60 outside Enterprise zones)",
        check: (v) => (typeof v === "number" && v !== 1 && (v < 30 || v > 86400) ? `is ${v}, neither 1 nor 30-86400` : undefined),
        source: CF_DNS_TTL,
    },
    {
        types: ["cloudflare:index/loadBalancerPool:LoadBalancerPool"],
        property: "name",
        rule: "pool name: alphanumerics, hyphens and underscores",
        check: all(minLength(1), matches(/^[A-Za-z0-9_-]+$/, "alphanumerics, hyphens and underscores")),
        source: CF_POOL,
    },
];

// ---- quotas counted across the plan ----

/** `["a"]`, `"a"` or JSON text of a list, as a list. */
function list(v: unknown): unknown[] {
    if (typeof v === "string" && v.startsWith("[")) return list(JSON.parse(v));
    return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

/**
 * Quota units of one security group rule: each IPv4 CIDR is a rule against the IPv4 count, each
 * IPv6 CIDR against the IPv6 count; a referenced group or prefix list against both.
 */
function ruleUnits(rule: Record<string, unknown>): { ipv4: number; ipv6: number } {
    const refs =
        list(rule.securityGroups).length +
        list(rule.prefixListIds).length +
        (rule.self === true ? 1 : 0) +
        (rule.referencedSecurityGroupId ? 1 : 0) +
        (rule.prefixListId ? 1 : 0) +
        (rule.sourceSecurityGroupId ? 1 : 0);
    return {
        ipv4: list(rule.cidrBlocks).length + (rule.cidrIpv4 ? 1 : 0) + refs,
        ipv6: list(rule.ipv6CidrBlocks).length + (rule.cidrIpv6 ? 1 : 0) + refs,
    };
}

const region = (r: PlannedInput) => r.region;

export const COUNTS: readonly CountRule[] = [
    { quota: "elasticIps", types: ["aws:ec2/eip:Eip"], scope: region, units: () => ({ "Elastic IPs": 1 }) },
    { quota: "vpcsPerRegion", types: ["aws:ec2/vpc:Vpc"], scope: region, units: () => ({ VPCs: 1 }) },
    {
        quota: "internetGatewaysPerRegion",
        types: ["aws:ec2/internetGateway:InternetGateway"],
        scope: region,
        units: () => ({ "internet gateways": 1 }),
    },
    {
        quota: "natGatewaysPerZone",
        types: ["aws:ec2/natGateway:NatGateway"],
        // A NAT gateway sits in its subnet's zone.
        scope: (r, index) => {
            const zone = index.find(r.inputs.subnetId)?.inputs.availabilityZone;
            return typeof zone === "string" ? `${r.region} ${zone}` : r.region;
        },
        units: () => ({ "NAT gateways": 1 }),
    },
    {
        quota: "inboundRulesPerSecurityGroup",
        types: [
            "aws:ec2/securityGroup:SecurityGroup",
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            "aws:ec2/securityGroupRule:SecurityGroupRule",
        ],
        // Inline rules count against their group; separate rule resources against the group they name.
        scope: (r, index) => {
            if (r.type === "aws:ec2/securityGroup:SecurityGroup") return r.urn;
            if (r.type === "aws:ec2/securityGroupRule:SecurityGroupRule" && r.inputs.type !== "ingress") return null;
            return index.find(r.inputs.securityGroupId)?.urn ?? `security group ${String(r.inputs.securityGroupId)}`;
        },
        units: (r) => {
            const rules = r.type === "aws:ec2/securityGroup:SecurityGroup" ? list(r.inputs.ingress) : [r.inputs];
            const sum = { "inbound IPv4 rules": 0, "inbound IPv6 rules": 0 };
            for (const rule of rules) {
                const u = ruleUnits(rule as Record<string, unknown>);
                sum["inbound IPv4 rules"] += u.ipv4;
                sum["inbound IPv6 rules"] += u.ipv6;
            }
            return sum;
        },
    },
    {
        quota: "routesPerRouteTable",
        types: ["aws:ec2/routeTable:RouteTable", "aws:ec2/route:Route"],
        scope: (r, index) =>
            r.type === "aws:ec2/routeTable:RouteTable"
                ? r.urn
                : (index.find(r.inputs.routeTableId)?.urn ?? `route table ${String(r.inputs.routeTableId)}`),
        units: (r) => ({ routes: r.type === "aws:ec2/routeTable:RouteTable" ? list(r.inputs.routes).length : 1 }),
    },
    // Quota L-C07B4B0D, per role: counted in characters, as IAM counts them (the JSON text as sent).
    // A count rule rather than a constraint so that a raised backend:quotas.roleTrustPolicyLength applies.
    {
        quota: "roleTrustPolicyLength",
        types: ["aws:iam/role:Role"],
        scope: (r) => r.urn,
        units: (r): Record<string, number> => {
            const v = r.inputs.assumeRolePolicy;
            if (v === undefined || v === null || v === "[unknown]" || v === "[secret]") return {};
            return { "trust policy characters": [...(typeof v === "string" ? v : JSON.stringify(v))].length };
        },
    },
];

/** Types the program registers that no rule above constrains, and why none applies. */
export const RESOURCE_TYPES_WITHOUT_CONSTRAINTS: Readonly<Record<string, string>> = {
    "aws:acm/certificateValidation:CertificateValidation": "no name; the certificate ARN and the record's FQDN come from other resources",
    "aws:appautoscaling/policy:Policy": "name is the autonamed logical name (under 255)",
    "aws:appautoscaling/target:Target": "no name",
    "aws:ebs/volume:Volume": "no name; size validated by config (diskSizeGb)",
    "aws:ec2/eipAssociation:EipAssociation": "no name",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "no name",
    "aws:ec2/subnet:Subnet": "no name; CIDRs from the topology plan",
    "aws:ec2/volumeAttachment:VolumeAttachment": "device name fixed by the component",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "AWS-managed policy ARN, no name",
    "aws:kms/key:Key": "description is free text up to 8192 characters; ours are short",
    "aws:lb/listener:Listener": "no name",
    "aws:lb/targetGroupAttachment:TargetGroupAttachment": "no name",
    "aws:route53/record:Record": "name built from the environment and region, DNS labels well under 63",
    "aws:route53/zone:Zone": "private zone name built from the environment and region",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "no name",
    "aws:s3/bucketPolicy:BucketPolicy": "no name; policy size far under 20 KB",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "no name",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": "no name",
    "aws:s3/bucketVersioning:BucketVersioning": "no name",
    "aws:secretsmanager/secretVersion:SecretVersion": "secret value is a Pulumi secret, not visible offline",
    "cloudflare:index/loadBalancer:LoadBalancer": "name is the validated hostname",
    "cloudflare:index/loadBalancerMonitor:LoadBalancerMonitor": "interval, timeout and retries validated by config per plan",
    "cloudflare:index/originCaCertificate:OriginCaCertificate": "hostnames validated by config",
    "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": "binding, no name of its own",
    "gcp:dns/recordSet:RecordSet": "name built from the environment and region",
    "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": "binding, no name of its own",
    "gcp:projects/iAMMember:IAMMember": "binding, no name of its own",
    "gcp:projects/serviceIdentity:ServiceIdentity": "no name",
    "gcp:secretmanager/secretIamMember:SecretIamMember": "binding, no name of its own",
    "gcp:secretmanager/secretVersion:SecretVersion": "secret value is a Pulumi secret, not visible offline",
    "gcp:storage/bucketIAMMember:BucketIAMMember": "binding, no name of its own",
    "pulumi-nodejs:dynamic/cockroach:DatabaseSql": "runs SQL from the machine running pulumi up; no cloud API",
    "pulumi:providers:cloudflare": "no constrained inputs",
    "pulumi:providers:random": "no inputs",
    "pulumi:providers:tls": "no inputs",
    "random:index/randomId:RandomId": "local",
    "random:index/randomPassword:RandomPassword": "local",
    "tls:index/certRequest:CertRequest": "local",
    "tls:index/locallySignedCert:LocallySignedCert": "local",
    "tls:index/privateKey:PrivateKey": "local",
    "tls:index/selfSignedCert:SelfSignedCert": "local",
};
