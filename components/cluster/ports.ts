/** CockroachDB's SQL and inter-node port (`--listen-addr`, `--advertise-addr`). */
export const COCKROACH_PORT = 26257;
/** CockroachDB's DB Console and health endpoint port (`--http-addr`). */
export const CONSOLE_PORT = 8080;
