export * from "./steering";
export { GlobalLoadBalancer, type GlobalLoadBalancerArgs, type LoadBalancerOrigin } from "./loadBalancer";
export { OriginCertificate, type OriginCaValidity, type OriginCertificateArgs } from "./originCert";
