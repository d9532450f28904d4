/**
 * The ports a CockroachDB node listens on, defined once for the cluster, the regional stacks and
 * the SQL provider. Source: https://www.cockroachlabs.com/docs/stable/cockroach-start#networking
 * (`--listen-addr` defaults to port 26257, `--http-addr` to port 8080).
 */

/** CockroachDB RPC and SQL port. */
export const COCKROACH_PORT = 26257;
/** DB Console (HTTPS) port; also serves `/health?ready=1` for load balancer health checks. */
export const CONSOLE_PORT = 8080;
