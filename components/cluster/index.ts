export * from "./bootstrap";
export * from "./certificates";
export * from "./firewall";
export * from "./join";
