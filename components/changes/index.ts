/**
 * Safe changes: the update compared with the deployed record (`deployed/<stack>.json`) before any
 * resource is registered. See check.ts for the rules and record.ts for why a record file.
 */
import * as path from "node:path";
import type { Migration } from "../cockroach/migrations";
import { ConfigError, type StackConfig } from "../config";
import { changeReport, type ChangeReport } from "./check";
import { readRecord, recordPath } from "./record";

export { changeIssues, changeReport, type ChangeReport, type UnsafeChange } from "./check";
export { changesBetween, type ChangeSet, type ImageChange, type MovedRegion, type RemovedRegion, type SchemaStep } from "./detect";
export { dataMoves, dataState, drillsAfter, type DataState } from "./impact";
export { readRecord, recordOf, recordPath, RECORD_DIR, RECORD_VERSION, sameDeployment, writeRecord, type DeployedRecord } from "./record";
export { renderChanges } from "./render";

/** The report of `stack`'s update against its record under `root` (the project folder). */
export function updateReport(root: string, stack: string, config: StackConfig, migrations: readonly Migration[]): ChangeReport {
    return changeReport(readRecord(root, stack), path.relative(root, recordPath(root, stack)), config, migrations);
}

/** Throws `ConfigError` with every refusal of the update; index.ts calls it before any resource. */
export function assertSafeUpdate(root: string, stack: string, config: StackConfig, migrations: readonly Migration[]): ChangeReport {
    const report = updateReport(root, stack, config, migrations);
    if (report.issues.length > 0) throw new ConfigError(report.issues);
    return report;
}
