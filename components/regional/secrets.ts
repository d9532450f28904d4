import * as pulumi from "@pulumi/pulumi";
import { at } from "../collections";
import type { ResolvedRegionalArgs } from "./args";
import type { TlsKeyPair } from "./types";

/** Secret payloads (JSON); every value that reaches a secret store goes through these. */
export const secretPayload = {
    /** A node's certificates: `ca.crt`, `node.crt`, `node.key`. */
    node: (ca: pulumi.Input<string>, pair: TlsKeyPair) =>
        pulumi.secret(
            pulumi
                .all([ca, pair.certPem, pair.keyPem])
                .apply(([c, crt, key]) => JSON.stringify({ "ca.crt": c, "node.crt": crt, "node.key": key })),
        ),
    /** Root client: `ca.crt`, `client.root.crt`, `client.root.key`. */
    root: (ca: pulumi.Input<string>, pair: TlsKeyPair) =>
        pulumi.secret(
            pulumi
                .all([ca, pair.certPem, pair.keyPem])
                .apply(([c, crt, key]) => JSON.stringify({ "ca.crt": c, "client.root.crt": crt, "client.root.key": key })),
        ),
    /** The app's credentials: `user`, `password`, `ca.crt`, `client.crt`, `client.key`. */
    app: (user: string, password: pulumi.Input<string>, ca: pulumi.Input<string>, pair: TlsKeyPair) =>
        pulumi.secret(
            pulumi
                .all([password, ca, pair.certPem, pair.keyPem])
                .apply(([pw, c, crt, key]) => JSON.stringify({ user, password: pw, "ca.crt": c, "client.crt": crt, "client.key": key })),
        ),
};

/** The secrets one region stores, whatever the store. */
export interface RegionSecrets<S> {
    /** One per node, in node order: its certificates. */
    readonly nodes: readonly S[];
    /** The app's credentials. */
    readonly app: S;
    /** On the init region only: what the init node reads besides its own certificates. */
    readonly init?: { readonly root: S; readonly app: S; readonly license?: S };
}

/**
 * Stores every secret of a region with `store(role, value)`: each node's certificates
 * (`node-<i>`), the app's credentials (`app`), and on the init region the root client certificate
 * (`root`) and the licence (`license`, when one is set).
 */
export function storeRegionSecrets<S>(
    args: Pick<ResolvedRegionalArgs, "plan" | "cluster" | "appUser">,
    store: (role: string, value: pulumi.Output<string>) => S,
): RegionSecrets<S> {
    const { plan, cluster, appUser } = args;
    const ca = cluster.caCertPem;
    const nodes = plan.nodes.map((node, i) =>
        store(`node-${node.index}`, secretPayload.node(ca, at(cluster.nodeCertificates, i, "node certificates"))),
    );
    const app = store("app", secretPayload.app(appUser, cluster.appPassword, ca, cluster.appClient));
    const init = cluster.init && {
        root: store("root", secretPayload.root(ca, cluster.init.rootClient)),
        app,
        license:
            cluster.init.licenseKey === undefined ? undefined : store("license", pulumi.secret(pulumi.output(cluster.init.licenseKey))),
    };
    return { nodes, app, init };
}
