/**
 * Configs the specs share: a shipped stack's validated config (optionally changed first) and a
 * small three-region fixture, both built through the same validation the program runs.
 */
import { formatIssues, type StackConfig } from "../components/config";
import { parseConfig, parseStackConfig } from "../components/validate";
import { readStackFile } from "../scripts/offline";

type Values = Record<string, any>;

/** `Pulumi.<stack>.yaml`'s config, validated; `mutate` changes its values (`backend:key` -> value) first. */
export function shippedConfig(stack: string, mutate: (values: Values) => void = () => {}): StackConfig {
    const { config: text } = readStackFile(stack);
    const values: Values = Object.fromEntries(Object.entries(text).map(([k, v]) => [k, /^[[{]/.test(v) ? JSON.parse(v) : v]));
    mutate(values);
    const result = parseStackConfig(
        Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])),
    );
    if (!result.ok) throw new Error(formatIssues(result.issues));
    return result.config;
}

/** Two domains, three regions on both clouds (raw keys without the namespace). */
export const FIXTURE: Readonly<Values> = {
    environment: "test",
    gcpProject: "acme-backend-test",
    domains: [
        { name: "eu", jurisdictions: ["EU"] },
        { name: "us", countries: ["US", "CA"] },
    ],
    regions: [
        { cloud: "aws", region: "us-east-1", domain: "us", primary: true },
        { cloud: "aws", region: "eu-central-1", domain: "eu" },
        { cloud: "gcp", region: "europe-west1", domain: "eu" },
    ],
    app: { image: "docker.io/acme/api:1.0.0" },
    cockroach: { adminCidrs: ["198.51.100.0/28"] },
    database: {
        tables: [
            { name: "users", locality: "residency" },
            { name: "orders", locality: "residency" },
            { name: "currencies", locality: "global" },
        ],
    },
    cloudflare: { accountId: "0123456789abcdef0123456789abcdef", zoneId: "fedcba9876543210fedcba9876543210", hostname: "api.example.com" },
};

/** The fixture, validated; `mutate` changes a copy of its raw keys first. */
export function fixtureConfig(mutate: (raw: Values) => void = () => {}): StackConfig {
    const raw = structuredClone(FIXTURE) as Values;
    mutate(raw);
    const result = parseConfig(raw);
    if (!result.ok) throw new Error(formatIssues(result.issues));
    return result.config;
}
