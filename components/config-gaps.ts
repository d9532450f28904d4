/**
 * Config mistakes that pass the schema but fail only at deploy time (or never fail and quietly do
 * the wrong thing). Pure checks; config.ts calls them with its `add` callback. Type-only imports
 * from config.ts, which loads this module.
 */
import * as ipaddr from "ipaddr.js";
import type { ConfigIssue } from "./config";

type Add = (path: PropertyKey[], message: string) => void;

/**
 * Ranges no packet from the internet carries as its source: RFC 1918, RFC 6598 shared address
 * space, 0.0.0.0/8, loopback, link-local; IPv6 unique-local (RFC 4193), link-local, site-local
 * (RFC 3879), loopback.
 */
const NOT_ON_THE_INTERNET = [
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "0.0.0.0/8",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "fc00::/7",
    "fe80::/10",
    "fec0::/10",
    "::1/128",
].map((c) => ipaddr.parseCIDR(c));

/** Whether a whole CIDR block lies inside one of the NOT_ON_THE_INTERNET ranges. */
export function isPrivateBlock(block: string): boolean {
    const [addr, bits] = ipaddr.parseCIDR(block);
    return NOT_ON_THE_INTERNET.some(([net, size]) => net.kind() === addr.kind() && bits >= size && addr.match(net, size));
}

/**
 * `database.manage` applies the schema from the machine running `pulumi up`, over TLS to the
 * primary region's first node at its public address (index.ts). Packets reach that address from
 * the machine's public address (after any NAT), so admin networks that are all private can never
 * match them, and the first `pulumi up` would time out connecting.
 */
export function adminReachIssues(manage: boolean, adminCidrs: readonly string[], add: Add): void {
    if (!manage || adminCidrs.length === 0) return;
    const valid = adminCidrs.filter((c) => ipaddr.isValidCIDR(c));
    if (valid.length < adminCidrs.length || !valid.every(isPrivateBlock)) return;
    add(
        ["database", "manage"],
        `is true, so pulumi up connects to the primary region's first node at its public address, but every network in backend:cockroach.adminCidrs (${adminCidrs.join(", ")}) is private and no packet from the internet carries such a source; add the public address of the machine running pulumi up (e.g. 198.51.100.7/32, what "curl https://checkip.amazonaws.com" prints), or set manage: false and apply the plan's database statements yourself.`,
    );
}

/**
 * Header names per load balancer for `sessionAffinity: header`: at least one; at most 5 on
 * Enterprise and 1 on other plans. Source: `sessionAffinityAttributes.headers` in
 * @pulumi/cloudflare 6.22 (types/input.d.ts, from Cloudflare's API schema): "At least one HTTP
 * header name must be provided ... The default max number of HTTP header names that can be
 * provided depends on your plan: 5 for Enterprise, 1 for all other plans."
 */
export const SESSION_AFFINITY_MAX_HEADERS = { pro: 1, business: 1, enterprise: 5 } as const;

/** RFC 9110 field name (token), or Cloudflare's `cookie` / `cookie:<name>,<name>` form. */
const HEADER_NAME = /^(?:[!#$%&'*+.^_`|~0-9A-Za-z-]+|cookie:[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:,[!#$%&'*+.^_`|~0-9A-Za-z-]+)*)$/;

export function sessionAffinityIssues(
    cloudflare: {
        readonly plan: keyof typeof SESSION_AFFINITY_MAX_HEADERS;
        readonly sessionAffinity: string;
        readonly sessionAffinityHeaders: readonly string[];
    },
    add: Add,
): void {
    const headers = cloudflare.sessionAffinityHeaders;
    const max = SESSION_AFFINITY_MAX_HEADERS[cloudflare.plan];
    if (cloudflare.sessionAffinity !== "header") {
        if (headers.length > 0)
            add(
                ["cloudflare", "sessionAffinityHeaders"],
                `is set but sessionAffinity is "${cloudflare.sessionAffinity}", which ignores it; set sessionAffinity: header or remove sessionAffinityHeaders.`,
            );
        return;
    }
    if (headers.length === 0)
        add(
            ["cloudflare", "sessionAffinityHeaders"],
            `sessionAffinity is "header" but no header is named, and Cloudflare requires at least one; list the request headers that identify a session, e.g. sessionAffinityHeaders: ["x-session-id"] (or ["cookie:session"]), or use sessionAffinity: cookie.`,
        );
    else if (max !== undefined && headers.length > max)
        add(
            ["cloudflare", "sessionAffinityHeaders"],
            `${headers.length} headers, but a ${cloudflare.plan} zone allows ${max} per load balancer${cloudflare.plan === "enterprise" ? "" : " (5 on Enterprise)"}; list at most ${max}.`,
        );
    headers.forEach((h, i) => {
        if (!HEADER_NAME.test(h))
            add(
                ["cloudflare", "sessionAffinityHeaders", i],
                `"${h}" is not an HTTP header name (letters, digits and !#$%&'*+.^_\`|~-) nor cookie:<name>[,<name>]; received ${JSON.stringify(h)}.`,
            );
    });
}

/**
 * Secret keys whose value sits in clear text in the stack file (no `secure:`): the value is then
 * in git and in every copy of the file. `isSecret(fullKey)` tells whether Pulumi holds the key as
 * a secret (the CLI passes the list of secret keys to the program).
 */
export function clearTextSecretIssues(
    all: Readonly<Record<string, string>>,
    secretKeys: readonly string[],
    namespace: string,
    isSecret: (fullKey: string) => boolean,
): ConfigIssue[] {
    return secretKeys
        .map((k) => `${namespace}:${k}`)
        .filter((full) => all[full] !== undefined && !isSecret(full))
        .map((full) => ({
            key: full,
            message: `is in clear text in the stack file, so the value is in every copy of Pulumi.<stack>.yaml and in git; remove the line and set it encrypted with: pulumi config set --secret ${full} <value> (and revoke the exposed value if the file was shared).`,
        }));
}
