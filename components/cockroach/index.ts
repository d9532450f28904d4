/**
 * CockroachDB data layer: spec (what), SQL (how), placement model (where replicas go), checks
 * (what CockroachDB would reject), and the RegionalDatabase component that applies it.
 */
import type { StackConfig } from "../config";
import type { Topology } from "../topology";
import type { PlacementEntry } from "./placement";
import { residencyReport, type ResidencyViolation } from "./residency";
import type { Migration } from "./migrations";
import { databaseModel } from "./model";
import { createStatements, sqlOf } from "./sql";

export * from "./spec";
export * from "./migrations";
export * from "./sqlLexer";
export * from "./sql";
export * from "./placement";
export * from "./model";
export * from "./residency";
export * from "./validate";
export * from "./provider";
export * from "./database";

/** The `database` section of the plan document. */
export interface DatabaseSection {
    /** What a first `pulumi up` runs, in order. */
    readonly statements: string[];
    readonly placement: PlacementEntry[];
    readonly residencyViolations: ResidencyViolation[];
    /** Super regions the statements add (one per domain, named after it), members sorted. */
    readonly superRegions: { name: string; regions: string[] }[];
}

/**
 * Plan-document section: the statements of a first deployment, the placement of every object
 * and the residency report. `backupUrls` maps each CockroachDB region to its bucket
 * (`s3://name`, `gs://name`); leave it out to plan without a backup schedule.
 */
export function databaseSection(
    config: StackConfig,
    topology: Pick<Topology, "primary" | "countryHome">,
    migrations: readonly Migration[],
    backupUrls?: Readonly<Record<string, string>>,
): DatabaseSection {
    const { spec, placement } = databaseModel(config, topology, migrations, backupUrls);
    return {
        statements: sqlOf(createStatements(spec)),
        placement,
        residencyViolations: residencyReport(spec, placement),
        superRegions: spec.superRegions.map((s) => ({ name: s.name, regions: [...s.regions] })),
    };
}
