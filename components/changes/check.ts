/**
 * The refusals of an update compared with the deployed record, before any resource is registered:
 * removing a region, moving a region to another domain and lowering the survival goal need their
 * acknowledgment in `backend:acknowledge` (naming that exact change); an acknowledgment of a change
 * the update does not make is refused too (it would let a later one through unseen); an app wave
 * (a region's image changes) in the same update as a schema step is refused, naming both keys; an
 * acknowledged change whose database step `database.allowDestructive` would stop mid-update is
 * refused now. Pure.
 */
import type { Migration } from "../cockroach/migrations";
import { updateStatements } from "../cockroach/sql";
import { keyOf, type ConfigIssue, type StackConfig } from "../config";
import { parseConfig } from "../validate";
import { changesBetween, type ChangeSet } from "./detect";
import { dataMoves, dataState, drillsAfter, replicasChangeIn, votersChange } from "./impact";
import type { DeployedRecord } from "./record";

/** One unsafe change with what it does. */
export interface UnsafeChange {
    readonly kind: "remove-region" | "move-region" | "lower-survival";
    /** The region removed or moved; null when lowering the survival goal. */
    readonly region: string | null;
    /** The key that makes the change. */
    readonly key: string;
    /** The acknowledgment it needs, as `pulumi config set --path` would name it. */
    readonly ackKey: string;
    readonly acknowledged: boolean;
    readonly summary: string;
    /** Which rows re-home and which replicas move. */
    readonly dataMoves: readonly string[];
    /** What a region loss does after the change. */
    readonly drills: string;
}

/** The plan document's `changes` section. */
export interface ChangeReport {
    /** The record compared with (`deployed/<stack>.json` and when it was written); null: none, a first deployment. */
    readonly record: { readonly file: string; readonly recordedAt: string } | null;
    readonly unsafe: readonly UnsafeChange[];
    readonly wave: ChangeSet["imageChanges"];
    readonly schemaSteps: ChangeSet["schemaSteps"];
    readonly addedRegions: readonly string[];
    /** Every refusal; empty when the update may go ahead. */
    readonly issues: readonly ConfigIssue[];
}

/** How many data-move lines a refusal message shows (the plan's JSON `changes` has them all). */
const MESSAGE_LINES = 8;

export function changeReport(
    record: DeployedRecord | undefined,
    recordFile: string,
    next: StackConfig,
    nextMigrations: readonly Migration[],
): ChangeReport {
    if (!record) return { record: null, unsafe: [], wave: [], schemaSteps: [], addedRegions: [], issues: [] };
    const where = { file: recordFile, recordedAt: record.recordedAt };
    const parsed = parseConfig(record.config);
    if (!parsed.ok)
        return {
            record: where,
            unsafe: [],
            wave: [],
            schemaSteps: [],
            addedRegions: [],
            issues: [
                {
                    key: recordFile,
                    message: `holds a config this version of the program refuses (${parsed.issues.map((i) => `${i.key}: ${i.message}`).join(" ")}); after a successful pulumi up, write it again: npm run wave -- --stack ${record.stack} --record.`,
                },
            ],
        };
    const prev = parsed.config;
    const set = changesBetween(prev, next, record.migrations, nextMigrations);
    const before = dataState(prev, record.migrations);
    const after = dataState(next, nextMigrations);
    const ack = next.acknowledge;
    const since = `deployed per ${recordFile} (${record.recordedAt})`;
    const unsafe: UnsafeChange[] = [];
    const domainRegions = (d: string) => next.regions.filter((r) => r.domain === d).map((r) => r.crdbRegion);

    for (const r of set.removedRegions)
        unsafe.push({
            kind: "remove-region",
            region: r.region,
            key: keyOf(["regions"]),
            ackKey: keyOf(["acknowledge", "removeRegions"]),
            acknowledged: ack.removeRegions.includes(r.region),
            summary: `removes region ${r.region} of domain ${r.domain}, ${since}`,
            dataMoves: dataMoves(before, after, (from) => from === r.region, replicasChangeIn(r.region)),
            drills: drillsAfter(after, domainRegions(r.domain)),
        });
    for (const m of set.movedRegions)
        unsafe.push({
            kind: "move-region",
            region: m.region,
            key: keyOf(["regions", m.index, "domain"]),
            ackKey: keyOf(["acknowledge", "moveRegions", m.region]),
            acknowledged: ack.moveRegions[m.region] === m.to,
            summary: `moves region ${m.region} from domain ${m.from} to domain ${m.to}, ${since}`,
            dataMoves: [
                ...domainChangeOf(before, after, m.region, m.from, m.to),
                ...dataMoves(before, after, (from, to) => from === m.region || to === m.region, replicasChangeIn(m.region)),
            ],
            drills: drillsAfter(after, [...new Set([...domainRegions(m.from), ...domainRegions(m.to)])]),
        });
    if (set.lowersSurvival)
        unsafe.push({
            kind: "lower-survival",
            region: null,
            key: keyOf(["cockroach", "survivalGoal"]),
            ackKey: keyOf(["acknowledge", "lowerSurvivalGoal"]),
            acknowledged: ack.lowerSurvivalGoal,
            summary: `lowers the survival goal from region to zone, ${since}`,
            dataMoves: dataMoves(before, after, () => false, votersChange),
            drills: drillsAfter(
                after,
                next.regions.map((r) => r.crdbRegion),
            ),
        });

    const issues: ConfigIssue[] = unsafe.filter((u) => !u.acknowledged).map(refusal);
    issues.push(...staleAcknowledgments(next, set));
    issues.push(...mixedWave(prev, next, set));
    if (issues.length === 0 && next.database.manage) issues.push(...destructiveSteps(before, after, next));
    return { record: where, unsafe, wave: set.imageChanges, schemaSteps: set.schemaSteps, addedRegions: set.addedRegions, issues };
}

/** Rows that keep their home region but change domain with it: their replicas follow the new domain's super region. */
function domainChangeOf(
    before: ReturnType<typeof dataState>,
    after: ReturnType<typeof dataState>,
    region: string,
    from: string,
    to: string,
): string[] {
    const stay = [...after.homes].filter(([c, r]) => r === region && before.homes.get(c) === region).map(([c]) => c);
    return stay.length > 0 ? [`rows of ${stay.sort().join(" ")} stay homed in ${region}, which leaves domain ${from} for ${to}`] : [];
}

function refusal(u: UnsafeChange): ConfigIssue {
    const shown = u.dataMoves.slice(0, MESSAGE_LINES);
    const more = u.dataMoves.length - shown.length;
    const how =
        u.kind === "remove-region"
            ? `add "${u.region}" to ${u.ackKey}`
            : u.kind === "move-region"
              ? `set ${u.ackKey} to the new domain`
              : `set ${u.ackKey} to true`;
    return {
        key: u.key,
        message:
            `${u.summary}. What moves: ${shown.join("; ") || "no replica"}${more > 0 ? `; and ${more} more (npm run plan -- --json: changes.unsafe)` : ""}. ` +
            `Drills: ${u.drills} To go ahead, ${how}.`,
    };
}

/** Acknowledgments that name no change of this update. */
function staleAcknowledgments(next: StackConfig, set: ChangeSet): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const ack = next.acknowledge;
    ack.removeRegions.forEach((region, i) => {
        if (!set.removedRegions.some((r) => r.region === region))
            issues.push({
                key: keyOf(["acknowledge", "removeRegions", i]),
                message: `acknowledges removing "${region}", which this update does not remove (it is ${next.regions.some((r) => r.crdbRegion === region) ? "still in backend:regions" : "not in the deployed record"}); remove the acknowledgment so it cannot let a later removal through.`,
            });
    });
    for (const [region, domain] of Object.entries(ack.moveRegions)) {
        const move = set.movedRegions.find((m) => m.region === region);
        if (!move || move.to !== domain)
            issues.push({
                key: keyOf(["acknowledge", "moveRegions", region]),
                message: `acknowledges moving "${region}" to domain "${domain}", but this update ${move ? `moves it to "${move.to}"` : "does not move it"}; ${move ? `set it to "${move.to}"` : "remove the acknowledgment"}.`,
            });
    }
    if (ack.lowerSurvivalGoal && !set.lowersSurvival)
        issues.push({
            key: keyOf(["acknowledge", "lowerSurvivalGoal"]),
            message: `is true, but this update does not lower the survival goal from region to zone; remove it so it cannot let a later one through.`,
        });
    return issues;
}

/**
 * An app wave and a schema step in one update: rolling the wave back by config would leave the new
 * schema under the old image, and a failed wave cannot be told from a failed migration.
 */
function mixedWave(prev: StackConfig, next: StackConfig, set: ChangeSet): ConfigIssue[] {
    if (set.imageChanges.length === 0 || set.schemaSteps.length === 0) return [];
    const appKey = prev.app.image !== next.app.image ? keyOf(["app", "image"]) : keyOf(["app", "canary"]);
    const images = [...new Set(set.imageChanges.map((c) => `${c.from} -> ${c.to}`))].join(", ");
    const schemaKeys = [...new Set(set.schemaSteps.map((s) => s.key))];
    return [
        {
            key: appKey,
            message:
                `changes the app image of ${set.imageChanges.map((c) => c.region).join(", ")} (${images}) in the same update as database schema steps (${set.schemaSteps.map((s) => `${s.key}: ${s.what}`).join("; ")}). ` +
                `Deploy them apart: first the schema alone (every running image must work with it), record it, then the wave; revert ${appKey} or ${schemaKeys.join(", ")} for this update.`,
        },
    ];
}

/** Destructive database steps of the update that `database.allowDestructive` would stop at apply time. */
function destructiveSteps(before: ReturnType<typeof dataState>, after: ReturnType<typeof dataState>, next: StackConfig): ConfigIssue[] {
    const flags = new Map<string, string[]>();
    for (const s of updateStatements(before.spec, after.spec))
        if (s.destructive && !next.database.allowDestructive[s.destructive])
            flags.set(s.destructive, [...(flags.get(s.destructive) ?? []), s.reason ?? s.sql]);
    return [...flags].map(([flag, reasons]) => ({
        key: keyOf(["database", "allowDestructive", flag]),
        message: `is false, so pulumi up would stop at the database step after changing the regional stacks: the update ${reasons.join("; ")}. Set it to true for this update (and back to false after).`,
    }));
}

/** Throws-free check for index.ts: the refusals only. */
export function changeIssues(
    record: DeployedRecord | undefined,
    recordFile: string,
    next: StackConfig,
    nextMigrations: readonly Migration[],
): readonly ConfigIssue[] {
    return changeReport(record, recordFile, next, nextMigrations).issues;
}
