/**
 * The database as planned: its spec and where that spec places every replica. The plan's database
 * section, the latency model and the drills all read both; build it once and pass it on.
 */
import type { Topology } from "../topology";
import type { StackConfig } from "../config";
import type { Migration } from "./migrations";
import { placementModel, type PlacementEntry } from "./placement";
import { databaseSpec, type DatabaseSpec } from "./spec";

export interface DatabaseModel {
    readonly spec: DatabaseSpec;
    readonly placement: PlacementEntry[];
}

export function databaseModel(
    config: StackConfig,
    topology: Pick<Topology, "primary" | "countryHome">,
    migrations: readonly Migration[],
    backupUrls?: Readonly<Record<string, string>>,
): DatabaseModel {
    const spec = databaseSpec(config, topology, migrations, backupUrls);
    return { spec, placement: placementModel(spec) };
}
