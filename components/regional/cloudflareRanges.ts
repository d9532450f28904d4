/**
 * Cloudflare's published edge address ranges: the only sources allowed to reach a public origin
 * (the AWS ALB's HTTPS listener).
 *
 * Source: https://www.cloudflare.com/ips-v4 and https://www.cloudflare.com/ips-v6 (also the API
 * `GET https://api.cloudflare.com/client/v4/ips`). Copied 2026-11-26, compared with public copies of
 * the list; it last changed in 2021 (104.16.0.0/12 became 104.16.0.0/13 + 104.24.0.0/14). Cloudflare
 * announces changes in advance; re-check the lists before each release of this template and after
 * any such notice. `@pulumi/cloudflare`'s `getIpRanges` reads the live list, at the price of an
 * API call at every preview.
 */
export const CLOUDFLARE_RANGES_CHECKED = "2026-11-26";

export const CLOUDFLARE_IPV4: readonly string[] = [
    "173.245.48.0/20",
    "103.21.244.0/22",
    "103.22.200.0/22",
    "103.31.4.0/22",
    "141.101.64.0/18",
    "108.162.192.0/18",
    "190.93.240.0/20",
    "188.114.96.0/20",
    "197.234.240.0/22",
    "198.41.128.0/17",
    "162.158.0.0/15",
    "104.16.0.0/13",
    "104.24.0.0/14",
    "172.64.0.0/13",
    "131.0.72.0/22",
];

export const CLOUDFLARE_IPV6: readonly string[] = [
    "2400:cb00::/32",
    "2606:4700::/32",
    "2803:f800::/32",
    "2405:b500::/32",
    "2405:8100::/32",
    "2a06:98c0::/29",
    "2c0f:f248::/32",
];
