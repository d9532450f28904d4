export * from "./backupAccess";
export * from "./backups";
export * from "./bootstrap";
export * from "./certificates";
export * from "./firewall";
export * from "./join";
export * from "./ports";
