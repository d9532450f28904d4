import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";

/** Validity periods the Origin CA issues, in days. */
export type OriginCaValidity = 7 | 30 | 90 | 365 | 730 | 1095 | 5475;

export interface OriginCertificateArgs {
    /**
     * Names the certificate covers: the load balancer hostname (the `Host` header Cloudflare sends
     * to the origin), optionally a `*.` wildcard. Must belong to a zone of the account.
     */
    readonly hostnames: pulumi.Input<pulumi.Input<string>[]>;
    /** `RSA` (2048-bit, `origin-rsa`, default) or `ECDSA` (P-256, `origin-ecc`); ACM imports both. */
    readonly keyAlgorithm?: "RSA" | "ECDSA";
    /** Days the certificate is valid. Default 5475 (15 years, Cloudflare's default); ACM does not renew imported certificates. */
    readonly validityDays?: OriginCaValidity;
}

/**
 * A Cloudflare Origin CA certificate for an origin behind the load balancer: a private key and CSR
 * made here (`@pulumi/tls`), signed by Cloudflare's Origin CA. Cloudflare trusts it when it
 * connects to the origin, so the zone can run SSL mode Full (strict); browsers do not trust it, so
 * it belongs only behind Cloudflare. The AWS regional stack imports it into ACM for its ALB
 * (`aws.acm.Certificate({ certificateBody: certificatePem, privateKey: privateKeyPem })`).
 *
 * Providers: pass both `cloudflare` and `tls` providers in `opts.providers` (default providers are
 * disabled). The Cloudflare token needs "Zone > SSL and Certificates > Edit" on the zone.
 */
export class OriginCertificate extends pulumi.ComponentResource {
    /** The signed certificate (PEM), as a secret. */
    public readonly certificatePem: pulumi.Output<string>;
    /** The private key (PEM), as a secret; it never leaves Pulumi state and the ACM import. */
    public readonly privateKeyPem: pulumi.Output<string>;
    /** When the certificate expires (RFC 3339). */
    public readonly expiresOn: pulumi.Output<string>;

    constructor(name: string, args: OriginCertificateArgs, opts?: pulumi.ComponentResourceOptions) {
        super("backend:traffic:OriginCertificate", name, {}, opts);
        const rsa = (args.keyAlgorithm ?? "RSA") === "RSA";
        const key = new tls.PrivateKey(
            `${name}-key`,
            rsa ? { algorithm: "RSA", rsaBits: 2048 } : { algorithm: "ECDSA", ecdsaCurve: "P256" },
            { parent: this },
        );
        const hostnames = pulumi.output(args.hostnames);
        const csr = new tls.CertRequest(
            `${name}-csr`,
            {
                privateKeyPem: key.privateKeyPem,
                subject: { commonName: hostnames.apply((h) => h[0]) },
                dnsNames: hostnames,
            },
            { parent: this },
        );
        const cert = new cloudflare.OriginCaCertificate(
            `${name}-cert`,
            {
                csr: csr.certRequestPem,
                hostnames: args.hostnames,
                requestType: rsa ? "origin-rsa" : "origin-ecc",
                requestedValidity: args.validityDays ?? 5475,
            },
            { parent: this },
        );
        this.certificatePem = pulumi.secret(cert.certificate);
        this.privateKeyPem = pulumi.secret(key.privateKeyPem);
        this.expiresOn = cert.expiresOn;
        this.registerOutputs({ certificatePem: this.certificatePem, privateKeyPem: this.privateKeyPem, expiresOn: this.expiresOn });
    }
}
