/**
 * Facts about machine types that the wiring needs: CPU architecture (image and CockroachDB build)
 * and, on GCP, which disk types the machine series can attach. Pure.
 */
import type { Cloud } from "../catalog-types";

/**
 * `arm64` for Graviton (`m7g`, `c7gn`, `r8gd`, ...) and Axion/Ampere (`c4a`, `t2a`), else `amd64`.
 * Source: EC2 instance type naming (a `g` after the generation is Graviton) and GCE machine series.
 */
export function cpuArchitecture(cloud: Cloud, machineType: string): "amd64" | "arm64" {
    if (cloud === "aws") {
        // The family is what precedes the first "." (or the whole name).
        return /^[a-z]+\d+[a-z]*g[a-z]*(\.|$)/.test(machineType) ? "arm64" : "amd64";
    }
    return /^(c4a|t2a|n4a)-/.test(machineType) ? "arm64" : "amd64";
}

/**
 * GCE disk types a machine series supports: the fourth-generation series (N4, N4A, N4D, C4, C4A, C4D) attach
 * only Hyperdisk; the others take Persistent Disk (pd-ssd for data, as CockroachDB recommends).
 * Source: cloud.google.com/compute/docs/disks#disk-types (machine series support table).
 */
export function gcpDiskTypes(machineType: string): { boot: string; data: string } {
    return /^(n4|n4a|n4d|c4|c4a|c4d)-/.test(machineType)
        ? { boot: "hyperdisk-balanced", data: "hyperdisk-balanced" }
        : { boot: "pd-balanced", data: "pd-ssd" };
}

/** SSM parameter holding the current Amazon Linux 2023 AMI for the architecture (AWS CLI preinstalled). */
export function awsImageParameter(arch: "amd64" | "arm64"): string {
    return `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch === "arm64" ? "arm64" : "x86_64"}`;
}

/** GCE image family of Debian 12 for the architecture (gcloud preinstalled). */
export function gcpImage(arch: "amd64" | "arm64"): string {
    return arch === "arm64" ? "debian-cloud/debian-12-arm64" : "debian-cloud/debian-12";
}
