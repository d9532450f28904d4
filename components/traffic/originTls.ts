import * as aws from "@pulumi/aws";
import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import type { Cloud } from "../catalog-types";
import { at } from "../collections";

/*
 * Why the AWS origins serve a publicly trusted ACM certificate and not a Cloudflare Origin CA one.
 *
 * Cloudflare's health monitors validate the origin certificate unless `allow_insecure` is set, and
 * Cloudflare's Load Balancing troubleshooting page gives the cause of the monitor error "TLS
 * untrusted certificate error" as "The certificate is not trusted by a public Certificate Authority
 * (CA)", with the fix "either using a publicly trusted certificate or setting the allow_insecure
 * property on your monitor to true"
 * (https://developers.cloudflare.com/load-balancing/troubleshooting/common-error-codes/).
 * Origin CA certificates are trusted by Cloudflare's proxy in SSL mode Full (strict)
 * (https://developers.cloudflare.com/ssl/origin-configuration/origin-ca/) but are not issued by a
 * public CA, and no Cloudflare document says monitors accept them. So the ALBs serve an ACM
 * (Amazon-issued, publicly trusted) certificate for the hostname, the monitor keeps validating,
 * and the zone keeps Full (strict).
 *
 * ACM certificates are regional: an ALB needs one in its own region, and each region's certificate
 * must be validated (https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html). The DNS
 * validation CNAME is "created specifically for your domain and your account", and "Since the CNAME
 * validation token works for any AWS Region, you can re-create the same certificate in multiple
 * Regions" (https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html): every region's
 * certificate for the hostname asks for the same record. Cloudflare refuses a second CNAME with the
 * same name (hashicorp/terraform-provider-aws#13653: "An A, AAAA or CNAME record already exists
 * with that host."), so the zone gets the record once and every region's validation waits on it.
 */

/** One AWS region that needs a certificate for its ALB. */
export interface OriginCertificateRegion {
    /** CockroachDB region name (`aws-us-east-1`); names the certificate and keys the outputs. */
    readonly name: string;
    /** The region's explicit `aws.Provider` (its region and residency tags), as the regional stack uses. */
    readonly provider: pulumi.ProviderResource;
}

export interface OriginCertificatesArgs {
    /** Cloudflare zone of the hostname: the validation record goes there. */
    readonly zoneId: pulumi.Input<string>;
    /** The load balancer hostname (`api.example.com`): the `Host` header and SNI Cloudflare sends to the ALBs. */
    readonly hostname: string;
    /** Every AWS region of the environment, each with its own provider. At least one. */
    readonly regions: readonly OriginCertificateRegion[];
}

/** What ACM asks for to validate one domain name (`domainValidationOptions[]`). */
export interface AcmValidationOption {
    readonly domainName: string;
    readonly resourceRecordName: string;
    readonly resourceRecordType: string;
    readonly resourceRecordValue: string;
}

/** The one DNS record that validates the hostname's certificate in every region. */
export interface ValidationRecord {
    /** Record name without the trailing dot (`_x1.api.example.com`). */
    readonly name: string;
    readonly type: string;
    /** Record content without the trailing dot (`_x2.acm-validations.aws`). */
    readonly content: string;
}

/**
 * Cloudflare stores names and CNAME targets without the final dot, and the v5-based provider
 * reports a diff on every run when the input keeps it (cloudflare/terraform-provider-cloudflare#7286).
 */
const noTrailingDot = (s: string) => s.replace(/\.$/, "");

/**
 * The single validation record for `hostname`, from each region's `domainValidationOptions`.
 * Throws, naming the regions, if a region lacks the hostname or asks for a different record: then
 * one record cannot validate them all, and writing one would leave the others pending.
 */
export function acmValidationRecord(
    hostname: string,
    byRegion: Readonly<Record<string, readonly AcmValidationOption[]>>,
): ValidationRecord {
    const regions = Object.keys(byRegion);
    if (regions.length === 0) throw new Error(`acmValidationRecord: no AWS region asks for a certificate of ${hostname}.`);
    const records = Object.entries(byRegion).map(([region, options]) => {
        const option = options.find((o) => noTrailingDot(o.domainName).toLowerCase() === hostname.toLowerCase());
        if (!option)
            throw new Error(
                `ACM certificate of ${region} has no DNS validation option for ${hostname} (it lists ${options.map((o) => o.domainName).join(", ") || "none"}).`,
            );
        return {
            region,
            record: {
                name: noTrailingDot(option.resourceRecordName),
                type: option.resourceRecordType,
                content: noTrailingDot(option.resourceRecordValue),
            },
        };
    });
    const first = at(records, 0, "validation records");
    const differing = records.filter(
        (r) =>
            r.record.name.toLowerCase() !== first.record.name.toLowerCase() ||
            r.record.content !== first.record.content ||
            r.record.type !== first.record.type,
    );
    if (differing.length > 0)
        throw new Error(
            `ACM asks for different validation records for ${hostname}: ${records.map((r) => `${r.region} ${r.record.name} -> ${r.record.content}`).join("; ")}. ` +
                "ACM documents one record per domain name and account for every region; are the regions' providers in different AWS accounts?",
        );
    return first.record;
}

/** The certificate one origin serves and why Cloudflare's monitor (certificate validation on) trusts it. */
export interface OriginTlsSummary {
    /** CockroachDB region name. */
    readonly region: string;
    readonly cloud: Cloud;
    /** The certificate the origin presents. */
    readonly serves: string;
    /** Why the HTTPS monitor and the proxy in Full (strict) accept it. */
    readonly trustedBecause: string;
}

/**
 * Which certificate each origin serves (for the stack outputs and the offline plan). AWS: the ACM
 * certificate made by `OriginCertificates`. GCP: Cloud Run's own certificate of the service's
 * `*.run.app` host, which is also the pool's origin address and Host header; "all Cloud Run services
 * have a stable HTTPS URL" (https://cloud.google.com/run/docs/triggering/https-request). Either way
 * the monitor sends the Host header as SNI: "When a host header is set, we set this as the
 * ServerName in the initial TLS handshake" (common-error-codes page above, "TLS unrecognized name").
 */
export function originTlsSummary(regions: readonly { name: string; cloud: Cloud }[], hostname: string): OriginTlsSummary[] {
    return regions.map(({ name, cloud }) =>
        cloud === "aws"
            ? {
                  region: name,
                  cloud,
                  serves: `ACM (Amazon-issued) certificate for ${hostname}, DNS-validated through one CNAME in the Cloudflare zone`,
                  trustedBecause: `issued by a public CA (Amazon) and names ${hostname}, the Host header and SNI Cloudflare sends to the ALB`,
              }
            : {
                  region: name,
                  cloud,
                  serves: "Google-managed certificate of the service's *.run.app host",
                  trustedBecause:
                      "issued by a public CA (Google) and names the *.run.app host, which is the pool's origin address and Host header (the SNI)",
              },
    );
}

/**
 * A publicly trusted ACM certificate for the hostname in every AWS region, validated by DNS: one
 * certificate and one `CertificateValidation` per region (through that region's provider), and one
 * DNS-only CNAME in the Cloudflare zone that all of them wait on. `certificateArns` are the
 * validated ARNs (`CertificateValidation.certificateArn`): a listener that uses one is created only
 * after the certificate is issued.
 *
 * Pass the Cloudflare provider as `opts.provider`; the AWS providers come with the regions. The
 * Cloudflare token needs "Zone > DNS: Edit" on the zone.
 */
export class OriginCertificates extends pulumi.ComponentResource {
    /** CockroachDB region name -> ARN of its validated certificate. */
    public readonly certificateArns: Readonly<Record<string, pulumi.Output<string>>>;
    /** The validation record written to the zone. */
    public readonly validationRecord: pulumi.Output<ValidationRecord>;

    constructor(name: string, args: OriginCertificatesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("backend:traffic:OriginCertificates", name, {}, opts);
        const where = `OriginCertificates "${name}"`;
        if (args.regions.length === 0) throw new Error(`${where}: regions is empty; make it only when the environment has an AWS region.`);
        const names = args.regions.map((r) => r.name);
        if (new Set(names).size !== names.length) throw new Error(`${where}: regions ${names.join(", ")} repeat a name.`);

        const certificates = args.regions.map(
            (r) =>
                new aws.acm.Certificate(
                    `${name}-${r.name}`,
                    { domainName: args.hostname, validationMethod: "DNS", tags: { Name: args.hostname } },
                    { parent: this, provider: r.provider },
                ),
        );
        // Read from every region's request, so the record waits for all certificates and a region
        // asking for another record fails the update here instead of leaving a validation pending.
        this.validationRecord = pulumi
            .all(certificates.map((c) => c.domainValidationOptions))
            .apply((options) =>
                acmValidationRecord(
                    args.hostname,
                    Object.fromEntries(names.map((n, i) => [n, at(options, i, "certificate validation options")])),
                ),
            );
        const record = new cloudflare.DnsRecord(
            `${name}-validation`,
            {
                zoneId: args.zoneId,
                name: this.validationRecord.name,
                type: this.validationRecord.type,
                content: this.validationRecord.content,
                // A validation record must resolve as written: DNS only.
                proxied: false,
                // 60 s, the lowest TTL Cloudflare takes outside Enterprise (DnsRecordArgs.ttl).
                ttl: 60,
                comment: "ACM DNS validation of the AWS origins; ACM renews with it: keep it",
            },
            { parent: this },
        );
        this.certificateArns = Object.fromEntries(
            args.regions.map((r, i) => {
                const validation = new aws.acm.CertificateValidation(
                    `${name}-${r.name}`,
                    // The FQDN makes the provider check that it is the record this certificate asks for.
                    { certificateArn: at(certificates, i, "certificates").arn, validationRecordFqdns: [record.name] },
                    { parent: this, provider: r.provider },
                );
                return [r.name, validation.certificateArn];
            }),
        );
        this.registerOutputs({ certificateArns: this.certificateArns, validationRecord: this.validationRecord });
    }
}
