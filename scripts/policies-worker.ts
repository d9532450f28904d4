/**
 * Worker thread of the offline plan's policy analysis: owns the pack process and its gRPC client,
 * so building requests and talking gRPC (about a second of CPU for a prod plan) happens beside the
 * program, not on its thread. Messages: `step` (a registered resource), `finish` (URNs of the
 * plan, in order); replies `pid` (the pack's process, for the parent to kill on exit), `report`
 * or `error`.
 */
import { parentPort, workerData } from "node:worker_threads";
import { PolicyPackProcess, PolicySession, type AnalyzedResource, type PackConfig } from "./policies";

const port = parentPort!;
const pack = PolicyPackProcess.start();
pack.then(
    (p) => port.postMessage({ kind: "pid", pid: p.pid }),
    () => undefined,
);
const session = new PolicySession(pack, (workerData as { config: PackConfig }).config);
const seen = new Map<string, AnalyzedResource>();

port.on("message", (m: { kind: "step"; resource: AnalyzedResource } | { kind: "finish"; urns: string[] }) => {
    if (m.kind === "step") {
        seen.set(m.resource.urn, m.resource);
        session.step(m.resource);
        return;
    }
    const resources = m.urns.map((u) => seen.get(u)).filter((r): r is AnalyzedResource => !!r);
    session.finish(resources).then(
        (report) => port.postMessage({ kind: "report", report }),
        (e: unknown) => port.postMessage({ kind: "error", message: (e as Error).message ?? String(e) }),
    );
});
