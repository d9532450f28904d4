export * from "./types";
export { AwsRegionalStack } from "./aws";
export { GcpRegionalStack } from "./gcp";
