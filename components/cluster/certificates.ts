/**
 * The cluster's certificates: one CA, a node certificate per node naming every address used to
 * reach it, client certificates for `root` and the app user, and the app user's password. Made
 * with `@pulumi/tls` / `@pulumi/random`, kept as Pulumi secrets; the regional stacks deliver them
 * through their own secret store, never through a boot script.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";
import * as ipaddr from "ipaddr.js";

/** Where one node is reached: the inputs of its certificate's subject alternative names. */
export interface NodeEndpoints {
    readonly privateIp: string;
    readonly publicIp: string;
    /** Private addresses of the region's internal SQL load balancer. */
    readonly sqlEndpointIps: readonly string[];
    /** Private DNS name of the region's SQL endpoint (`sql.<crdb-region>.<env>.crdb.internal`). */
    readonly sqlHost: string;
}

/** Subject alternative names of a node certificate. */
export interface CertificateSans {
    readonly ipAddresses: string[];
    readonly dnsNames: string[];
}

/**
 * SANs of a node certificate: every address a peer, the app or an operator uses to reach the node:
 * its private address (same-region traffic), its public address (other regions and clouds), the SQL
 * load balancer's addresses and name (the app, with `sslmode=verify-full`) and localhost (the init
 * step and operators on the node). Pure.
 */
export function nodeCertificateSans(node: NodeEndpoints): CertificateSans {
    const ips = [node.privateIp, node.publicIp, ...node.sqlEndpointIps, "127.0.0.1", "::1"];
    // Dotted-quad IPv4 or plain IPv6 only: ipaddr.js also accepts `10.1` and octal `010.0.0.1`, which
    // Go's net.ParseIP (the tls provider, CockroachDB) rejects.
    for (const ip of ips)
        if (!ipaddr.IPv4.isValidFourPartDecimal(ip) && !(ipaddr.IPv6.isValid(ip) && !ip.includes("%")))
            throw new Error(`node certificate: "${ip}" is not an IP address.`);
    if (!/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(node.sqlHost))
        throw new Error(`node certificate: "${node.sqlHost}" is not a DNS name.`);
    return { ipAddresses: [...new Set(ips)], dnsNames: ["localhost", node.sqlHost] };
}

/** A certificate and its key (PEM); the key is a Pulumi secret. */
export interface KeyPair {
    readonly certPem: pulumi.Output<string>;
    readonly keyPem: pulumi.Output<string>;
}

/** One region's nodes as the certificates need them. */
export interface CertificateRegion {
    /** CockroachDB region name (`aws-us-east-1`). */
    readonly name: string;
    readonly sqlEndpointIps: readonly string[];
    readonly sqlHost: string;
    readonly nodes: readonly { readonly index: number; readonly privateIp: string; readonly publicIp: pulumi.Input<string> }[];
}

export interface ClusterCertificatesArgs {
    /** Every region of the cluster with its nodes (public addresses from the first pass). */
    readonly regions: readonly CertificateRegion[];
    /** SQL user of the app: the client certificate's common name. Default `app`. */
    readonly appUser?: string;
    /** Validity of the CA in hours. Default 87600 (10 years). */
    readonly caValidityHours?: number;
    /** Validity of node and client certificates in hours. Default 43800 (5 years); re-issued 30 days before expiry at `pulumi up`. */
    readonly validityHours?: number;
}

/** Both CockroachDB and its Go/Java/Node clients read PKCS#8; ECDSA P-256 keys are cheap to make. */
const KEY = { algorithm: "ECDSA", ecdsaCurve: "P256" } as const;
const SUBJECT_ORG = "Cockroach";

/**
 * The cluster's certificate authority and every certificate signed by it.
 *
 * Providers: pass the `tls` and `random` providers in `opts.providers` (default providers are
 * disabled). The CA key lives only in Pulumi state (encrypted as a secret); no node ever gets it.
 */
export class ClusterCertificates extends pulumi.ComponentResource {
    /** The CA certificate (public; clients verify nodes with it). */
    readonly caCertPem: pulumi.Output<string>;
    /** Node certificates by CockroachDB region, in node order. */
    readonly nodes: Readonly<Record<string, readonly KeyPair[]>>;
    /** Client certificate of `root` (init node and operators). */
    readonly root: KeyPair;
    /** Client certificate of the app user. */
    readonly app: KeyPair;
    /** The app user's SQL password (32 letters and digits), secret. */
    readonly appPassword: pulumi.Output<string>;

    constructor(name: string, args: ClusterCertificatesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("backend:cluster:ClusterCertificates", name, {}, opts);
        const child = { parent: this };
        const validity = args.validityHours ?? 43800;
        const renew = Math.min(720, Math.floor(validity / 10));

        const caKey = new tls.PrivateKey(`${name}-ca-key`, KEY, child);
        const ca = new tls.SelfSignedCert(
            `${name}-ca`,
            {
                privateKeyPem: caKey.privateKeyPem,
                subject: { commonName: "Cockroach CA", organization: SUBJECT_ORG },
                isCaCertificate: true,
                validityPeriodHours: args.caValidityHours ?? 87600,
                allowedUses: ["certSigning", "crlSigning", "digitalSignature", "keyEncipherment"],
            },
            child,
        );
        this.caCertPem = ca.certPem;

        const issue = (id: string, commonName: string, uses: string[], sans?: pulumi.Input<CertificateSans>): KeyPair => {
            const key = new tls.PrivateKey(`${id}-key`, KEY, child);
            const sanOut = sans === undefined ? undefined : pulumi.output(sans);
            const csr = new tls.CertRequest(
                `${id}-csr`,
                {
                    privateKeyPem: key.privateKeyPem,
                    subject: { commonName, organization: SUBJECT_ORG },
                    ipAddresses: sanOut?.ipAddresses,
                    dnsNames: sanOut?.dnsNames,
                },
                child,
            );
            const cert = new tls.LocallySignedCert(
                `${id}-cert`,
                {
                    certRequestPem: csr.certRequestPem,
                    caPrivateKeyPem: caKey.privateKeyPem,
                    caCertPem: ca.certPem,
                    validityPeriodHours: validity,
                    earlyRenewalHours: renew,
                    allowedUses: uses,
                },
                child,
            );
            return { certPem: cert.certPem, keyPem: pulumi.secret(key.privateKeyPemPkcs8) };
        };

        // `node` is the common name CockroachDB requires; serverAuth for peers and clients,
        // clientAuth because nodes connect to each other as the `node` user.
        const nodeUses = ["digitalSignature", "keyEncipherment", "serverAuth", "clientAuth"];
        const clientUses = ["digitalSignature", "keyEncipherment", "clientAuth"];
        const nodes: Record<string, KeyPair[]> = {};
        for (const region of args.regions) {
            nodes[region.name] = region.nodes.map((n) =>
                issue(
                    `${name}-${region.name}-node-${n.index}`,
                    "node",
                    nodeUses,
                    pulumi.output(n.publicIp).apply((publicIp) =>
                        nodeCertificateSans({
                            privateIp: n.privateIp,
                            publicIp,
                            sqlEndpointIps: region.sqlEndpointIps,
                            sqlHost: region.sqlHost,
                        }),
                    ),
                ),
            );
        }
        this.nodes = nodes;
        const appUser = args.appUser ?? "app";
        this.root = issue(`${name}-root`, "root", clientUses);
        this.app = issue(`${name}-${appUser}`, appUser, clientUses);
        // Letters and digits only: the password travels through JSON, SQL literals and URLs unquoted.
        const password = new random.RandomPassword(`${name}-${appUser}-password`, { length: 32, special: false }, child);
        this.appPassword = pulumi.secret(password.result);

        this.registerOutputs({ caCertPem: this.caCertPem });
    }
}
