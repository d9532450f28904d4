/**
 * Usage assumptions of the modelled cost, in one place. Resource counts and sizes come from the
 * planned resources; what a plan cannot know (traffic, stored bytes) is assumed here and printed
 * with every cost report.
 */
export interface UsageAssumptions {
    /** Hours in a billed month (AWS's pricing examples use 730). */
    readonly hoursPerMonth: number;
    /** GB processed by each NAT gateway per month (image pulls, OS updates, backups to other clouds). */
    readonly natGbPerMonth: number;
    /** Average ALB capacity units per hour (1 LCU: 25 new connections/s or 1 GB/h processed). */
    readonly albLcuPerHour: number;
    /**
     * Stored backup bytes per region, as a multiple of the region's provisioned CockroachDB data
     * disks (1: one full copy of every data disk at its provisioned size).
     */
    readonly backupCopiesOfDataDisks: number;
    /** Cloud Run regions taken as Tier 1 of https://cloud.google.com/run/pricing (the stored copy lacks the list). */
    readonly cloudRunTier1Regions: readonly string[];
}

export const DEFAULT_ASSUMPTIONS: UsageAssumptions = {
    // "Hourly charge (730 hrs)": https://basavytix.com/blog/aws-nat-gateway-pricing
    hoursPerMonth: 730,
    natGbPerMonth: 100,
    albLcuPerHour: 1,
    backupCopiesOfDataDisks: 1,
    cloudRunTier1Regions: ["gcp-us-central1", "gcp-europe-west1"],
};

/** The assumptions as sentences, for the report. */
export function assumptionLines(a: UsageAssumptions): string[] {
    return [
        `${a.hoursPerMonth} hours a month; every resource runs the whole month; the app tier runs at its minimum (ECS desired count, Cloud Run min instances)`,
        `NAT: ${a.natGbPerMonth} GB processed per month by each AWS NAT gateway and each Cloud NAT`,
        `ALB: ${a.albLcuPerHour} LCU per hour on average`,
        `backups: ${a.backupCopiesOfDataDisks} x the region's provisioned CockroachDB data disks stored in its backup bucket`,
        `Cloud Run Tier 1 regions assumed: ${a.cloudRunTier1Regions.join(", ")}`,
        "KMS: AWS keys in their first year (no rotated backing keys yet), Cloud KMS keys with the versions their rotation period adds in a year; on-demand list prices, no free tiers or discounts; data transfer between regions and clouds not modelled",
    ];
}
