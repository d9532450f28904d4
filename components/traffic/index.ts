export * from "./checks";
export * from "./cloudflare";
export * from "./constants";
export * from "./fromConfig";
export * from "./model";
export * from "./regions";
export { GlobalLoadBalancer, type GlobalLoadBalancerArgs, type LoadBalancerOrigin } from "./loadBalancer";
export {
    acmValidationRecord,
    OriginCertificates,
    originTlsSummary,
    type AcmValidationOption,
    type OriginCertificateRegion,
    type OriginCertificatesArgs,
    type OriginTlsSummary,
    type ValidationRecord,
} from "./originTls";
