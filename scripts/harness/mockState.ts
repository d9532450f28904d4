/** What the mocked providers answer: computed outputs of each resource type, addresses, readable values. */
import { createHash } from "node:crypto";

const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const SIG = "4dabf18193072939515e22adb298388d";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Replaces secrets and unknowns in a serialized property value with readable markers. */
export function readable(value: unknown): unknown {
    if (value === UNKNOWN) return "[unknown]";
    if (Array.isArray(value)) return value.map(readable);
    if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (obj[SIG] === SECRET) return "[secret]";
        if (obj[SIG] !== undefined) return obj.urn ?? obj.value ?? "[reference]";
        return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, readable(v)]));
    }
    return value;
}

/**
 * IPv4 blocks reserved for documentation (RFC 5737: TEST-NET-3, TEST-NET-1, TEST-NET-2), the
 * only IPv4 space that can never be a real node. 3 x 254 host addresses; the edge-environment
 * test checks that this covers every public address of the largest environment config accepts.
 */
export const DOCUMENTATION_BLOCKS = ["203.0.113", "192.0.2", "198.51.100"] as const;
export const ADDRESS_CAPACITY = DOCUMENTATION_BLOCKS.length * 254;

/** Hands out mocked public IPv4 addresses, each once per program run, in registration order. */
export class AddressPool {
    private next = 0;
    /** Resource name -> its address, so a name asks twice and gets one answer. */
    private readonly byName = new Map<string, string>();

    allocate(name: string): string {
        const known = this.byName.get(name);
        if (known) return known;
        if (this.next >= ADDRESS_CAPACITY)
            throw new Error(
                `the offline mocks ran out of documentation addresses (${ADDRESS_CAPACITY}) at ${name}; the environment has more public addresses than scripts/offline.ts can model`,
            );
        const address = `${DOCUMENTATION_BLOCKS[Math.floor(this.next / 254)]}.${(this.next % 254) + 1}`;
        this.next++;
        this.byName.set(name, address);
        return address;
    }

    /** How many addresses this run handed out. */
    get allocated(): number {
        return this.next;
    }
}

export const MOCK_PROJECT = "mock-project";
export const MOCK_PROJECT_NUMBER = "123456789012";

/** PEM-shaped placeholder naming the resource (never a usable key or certificate). */
function pem(label: string, name: string): string {
    return `-----BEGIN ${label}-----\nT0ZGTElORS1QTEFO${Buffer.from(name).toString("base64")}\n-----END ${label}-----\n`;
}

/** Computed outputs the providers would return, so apply() chains see realistic values. */
export function mockState(
    type: string,
    name: string,
    inputs: Record<string, unknown>,
    region: string | undefined,
    addresses: AddressPool,
    serial: number,
): Record<string, unknown> {
    const state: Record<string, unknown> = { ...inputs };
    const arn = `arn:aws:${type.split(":")[1]?.split("/")[0] ?? "mock"}:${region ?? "us-east-1"}:123456789012:${name}`;
    if (type.startsWith("aws:")) Object.assign(state, { arn: inputs.arn ?? arn });
    switch (type) {
        case "aws:ec2/eip:Eip":
            state.publicIp = addresses.allocate(`${type}::${name}`);
            state.allocationId = `eipalloc-${name}`;
            break;
        case "gcp:compute/address:Address":
            state.address = inputs.address ?? (inputs.addressType === "INTERNAL" ? undefined : addresses.allocate(`${type}::${name}`));
            state.selfLink = `https://www.googleapis.com/compute/v1/projects/mock/regions/${inputs.region}/addresses/${inputs.name ?? name}`;
            break;
        case "aws:lb/loadBalancer:LoadBalancer":
            state.dnsName = `${name}.${region}.elb.amazonaws.com`;
            state.zoneId = "Z35SXDOTRQ7X7K";
            break;
        // Stand-in PEM text, so certificate plumbing (secrets, boot specs, outputs) sees strings.
        case "tls:index/privateKey:PrivateKey":
            Object.assign(state, {
                privateKeyPem: pem("PRIVATE KEY", name),
                privateKeyPemPkcs8: pem("PRIVATE KEY", name),
                publicKeyPem: pem("PUBLIC KEY", name),
            });
            break;
        case "tls:index/certRequest:CertRequest":
            state.certRequestPem = pem("CERTIFICATE REQUEST", name);
            break;
        case "tls:index/selfSignedCert:SelfSignedCert":
        case "tls:index/locallySignedCert:LocallySignedCert":
            state.certPem = pem("CERTIFICATE", name);
            break;
        // ACM's DNS validation record depends on the domain name and account, not the region.
        case "aws:acm/certificate:Certificate": {
            const token = Buffer.from(String(inputs.domainName)).toString("hex").slice(0, 32);
            state.domainValidationOptions = [
                {
                    domainName: inputs.domainName,
                    resourceRecordName: `_${token}.${inputs.domainName}.`,
                    resourceRecordType: "CNAME",
                    resourceRecordValue: `_${token}.offline.acm-validations.aws.`,
                },
            ];
            break;
        }
        case "random:index/randomId:RandomId": {
            // Stable per resource name, as a real RandomId is stable per deployment.
            const bytes = createHash("sha256")
                .update(name)
                .digest()
                .subarray(0, Number(inputs.byteLength ?? 8));
            Object.assign(state, {
                hex: bytes.toString("hex"),
                b64Url: bytes.toString("base64url"),
                b64Std: bytes.toString("base64"),
                dec: BigInt(`0x${bytes.toString("hex")}`).toString(),
            });
            break;
        }
        case "random:index/randomPassword:RandomPassword":
            state.result = "offlineplanpassword0123456789abc";
            break;
        case "gcp:serviceaccount/account:Account":
            state.email = `${inputs.accountId}@${MOCK_PROJECT}.iam.gserviceaccount.com`;
            // 21 digits, like a real service account's unique id; unique per run.
            state.uniqueId = `1${String(serial).padStart(20, "0")}`;
            state.member = `serviceAccount:${state.email}`;
            break;
        case "gcp:projects/serviceIdentity:ServiceIdentity":
            state.email = `service-${MOCK_PROJECT_NUMBER}@gcp-sa-${String(inputs.service).split(".")[0]}.iam.gserviceaccount.com`;
            state.member = `serviceAccount:${state.email}`;
            break;
        case "gcp:cloudrunv2/service:Service":
            state.uri = `https://${inputs.name ?? name}-mock.a.run.app`;
            break;
    }
    if (type.startsWith("gcp:") && state.selfLink === undefined)
        state.selfLink = `https://www.googleapis.com/compute/v1/projects/mock/global/${name}`;
    if (state.name === undefined) state.name = name;
    return state;
}
