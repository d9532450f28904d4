/**
 * ClusterDatabase: applies the multi-region database (regions, survival goal, super regions,
 * migrations, table localities, locality-aware backups) to the cluster at `pulumi up`, through
 * the dynamic provider in provider.ts. The SQL itself is decided by the pure functions in sql.ts
 * from the DatabaseSpec; this component only wires it to a connection.
 */
import * as pulumi from "@pulumi/pulumi";
import { COCKROACH_PORT } from "../cluster/ports";
import { databaseProvider, type DatabaseInputs, type SqlConnection } from "./provider";
import type { DatabaseSpec } from "./spec";

/** How the component reaches the cluster's SQL endpoint. */
export interface RegionalDatabaseConnection {
    /** SQL endpoint (host name or IP) the certificate of the nodes names. */
    readonly host: pulumi.Input<string>;
    /** SQL port. Default COCKROACH_PORT (26257). */
    readonly port?: pulumi.Input<number>;
    /** SQL user the client certificate is issued to (its CN). Default `root`. */
    readonly user?: pulumi.Input<string>;
    /** PEM of the cluster CA that signed the node certificates. */
    readonly caCert: pulumi.Input<string>;
    /** PEM client certificate (kept secret). */
    readonly clientCert: pulumi.Input<string>;
    /** PEM private key of the client certificate (kept secret). */
    readonly clientKey: pulumi.Input<string>;
}

export interface RegionalDatabaseArgs {
    /** The database to converge to, from `databaseSpec(...)`; its allowDestructive flags gate destructive steps. */
    readonly spec: pulumi.Input<DatabaseSpec>;
    /** Where and as whom to connect (TLS verify-full with a client certificate). */
    readonly connection: RegionalDatabaseConnection;
}

/** The dynamic resource that runs the SQL. Type `pulumi-nodejs:dynamic/cockroach:DatabaseSql`. */
class DatabaseSql extends pulumi.dynamic.Resource {
    declare readonly spec: pulumi.Output<DatabaseSpec>;
    declare readonly pendingStatements: pulumi.Output<string[]>;
    declare readonly appliedStatements: pulumi.Output<string[]>;

    constructor(name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
        super(
            databaseProvider(),
            name,
            { pendingStatements: undefined, appliedStatements: undefined, ...props },
            opts,
            "cockroach",
            "DatabaseSql",
        );
    }
}

/**
 * One multi-region CockroachDB database across every region of the environment.
 *
 * `pulumi preview` shows the statements an update will run (`pendingStatements`); destructive
 * steps (dropping a region, changing a residency table's locality, dropping or shrinking a super
 * region) fail the update unless `backend:database.allowDestructive.<flag>` is true.
 * `pulumi destroy` removes the backup schedule and leaves the database and its data in place.
 */
export class ClusterDatabase extends pulumi.ComponentResource {
    /** Database name. */
    public readonly databaseName: pulumi.Output<string>;
    /** Database regions (CockroachDB names), sorted. */
    public readonly regions: pulumi.Output<string[]>;
    /** During preview: the statements `pulumi up` will run. After an apply: empty. */
    public readonly pendingStatements: pulumi.Output<string[]>;
    /** Statements the last create or update ran. */
    public readonly appliedStatements: pulumi.Output<string[]>;

    constructor(name: string, args: RegionalDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        // Deployed stacks hold it under its former type, RegionalDatabase: the alias keeps it and,
        // through it, its children (pulumi.com/docs/iac/operations/stack-management/refactoring-with-aliases,
        // "Changing a resource's type"; aliases of a parent apply to its children).
        super(
            "backend:cockroach:ClusterDatabase",
            name,
            {},
            {
                ...opts,
                aliases: [{ type: "backend:cockroach:RegionalDatabase" }, ...(opts?.aliases ?? [])],
            },
        );

        const c = args.connection;
        // Field by field, so only the certificate and key are secret and the host stays readable.
        const connection: { [K in keyof SqlConnection]-?: pulumi.Input<SqlConnection[K]> } = {
            host: c.host,
            port: c.port ?? COCKROACH_PORT,
            user: c.user ?? "root",
            caCert: c.caCert,
            clientCert: pulumi.secret(c.clientCert),
            clientKey: pulumi.secret(c.clientKey),
        };
        const props: { [K in keyof DatabaseInputs]: pulumi.Input<unknown> } = { spec: args.spec, connection };
        const sql = new DatabaseSql(`${name}-sql`, props, { parent: this, additionalSecretOutputs: ["connection"] });

        const spec = pulumi.output(args.spec);
        this.databaseName = spec.apply((s) => s.name);
        this.regions = spec.apply((s) => [...s.regions]);
        this.pendingStatements = sql.pendingStatements;
        this.appliedStatements = sql.appliedStatements;

        this.registerOutputs({
            databaseName: this.databaseName,
            regions: this.regions,
            pendingStatements: this.pendingStatements,
            appliedStatements: this.appliedStatements,
        });
    }
}
