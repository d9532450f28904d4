/** The adapter from what a regional stack knows about a node to its BootSpec, shared by both clouds. */
import { at } from "../collections";
import { localityOf } from "../topology";
import type { BootSpec, CrossCloudAccess } from "./bootSpec";

/** Secret role of node `index`: the name its certificates are stored under (`node-0`). */
export function nodeSecretRole(index: number): string {
    return `node-${index}`;
}

/** Secrets a region's nodes read: the init node's only in the init node's region. */
export interface RegionSecrets<T> {
    /** One per node, in the order of `nodes`. */
    readonly nodes: readonly T[];
    readonly init?: { readonly root: T; readonly app: T; readonly license?: T };
}

/**
 * Every secret a region's nodes read, with the role `nodeBootSpec` names it by: the nodes'
 * certificates, then (init region) root, app and licence. The node identity gets read access to
 * exactly these, so a secret the boot script fetches is always readable. Pure.
 */
export function readableSecrets<T>(nodes: readonly { readonly index: number }[], secrets: RegionSecrets<T>): { role: string; secret: T }[] {
    if (secrets.nodes.length !== nodes.length)
        throw new Error(`readableSecrets: ${secrets.nodes.length} node secrets for ${nodes.length} nodes; pass one per node.`);
    const init = secrets.init;
    return [
        ...secrets.nodes.map((secret, i) => ({ role: nodeSecretRole(at(nodes, i, "readableSecrets nodes").index), secret })),
        ...(init
            ? [
                  { role: "root", secret: init.root },
                  { role: "app", secret: init.app },
              ]
            : []),
        ...(init?.license ? [{ role: "license", secret: init.license }] : []),
    ];
}

/**
 * What a regional stack knows about one node when it writes its boot script: the spec's own fields
 * as they are, plus what `nodeBootSpec` derives the rest from.
 */
export interface NodeBootInput extends Pick<
    BootSpec,
    "cloud" | "version" | "arch" | "crdbRegion" | "publicIp" | "privateIp" | "join" | "dataDevices" | "store" | "cache" | "maxSqlMemory"
> {
    /** Environment: the cluster name. */
    readonly environment: string;
    /** Zone as the cloud names it (`us-east-1a`). */
    readonly zone: string;
    readonly nodeIndex: number;
    /** The region's secret name (AWS) or id (GCP) of a role: `node-0`, `root`, `app`, `license`. */
    readonly secretName: (role: string) => string;
    /** Set on the init node: whether a licence secret exists, the app user, the backup bucket URI. */
    readonly init?: { readonly license: boolean; readonly appUser: string; readonly bucketUri: string };
    readonly crossCloud?: CrossCloudAccess;
}

/** The boot spec of one node, the same way on both clouds. Pure. */
export function nodeBootSpec(n: NodeBootInput): BootSpec {
    return {
        cloud: n.cloud,
        clusterName: n.environment,
        version: n.version,
        arch: n.arch,
        crdbRegion: n.crdbRegion,
        locality: localityOf(n.cloud, n.crdbRegion, n.zone),
        publicIp: n.publicIp,
        privateIp: n.privateIp,
        join: n.join,
        dataDevices: n.dataDevices,
        store: n.store,
        nodeSecret: n.secretName(nodeSecretRole(n.nodeIndex)),
        cache: n.cache,
        maxSqlMemory: n.maxSqlMemory,
        init: n.init && {
            rootSecret: n.secretName("root"),
            licenseSecret: n.init.license ? n.secretName("license") : undefined,
            appSecret: n.secretName("app"),
            appUser: n.init.appUser,
            markerUri: `${n.init.bucketUri}/cluster/initialized`,
        },
        crossCloud: n.crossCloud,
    };
}
