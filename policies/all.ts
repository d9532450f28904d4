/**
 * Every policy of the pack, one concern per module. Nothing here constructs the PolicyPack
 * (index.ts does, once): @pulumi/policy starts a server on construction and exits on a second.
 */
import type { Policies } from "@pulumi/policy";
import { residencyBackupsAndLogs } from "./residency/backups";
import { residencyDatabase } from "./residency/database";
import { residencyNodeLocality } from "./residency/locality";
import { residencyLocation } from "./residency/location";
import { residencyReplication } from "./residency/replication";
import { residencyRouting } from "./residency/routing";
import { residencyTags } from "./residency/tags";
import { resilienceMultiCloud, resilienceRegionSurvival } from "./resilience";
import { securityBackupVersioning } from "./security/versioning";
import { securityBucketPublicAccess } from "./security/publicAccess";
import { securityCustomerManagedKeys } from "./security/encryption";
import { securityDeletionProtection } from "./security/deletionProtection";
import { securityAdminIngress } from "./security/ingress";
import { securityImageRegistries } from "./security/registries";
import { securityImdsv2 } from "./security/imds";
import { securityMonitorHttps } from "./security/monitors";
import { securityNoClearTextSecrets } from "./security/secrets";
import { securityNodeSecretScope } from "./security/secretScope";
import { securityOriginHttps } from "./security/origins";
import { securityProtectStateful } from "./security/protect";

export const PACK_NAME = "multicloud-residency";

export const policies: Policies = [
    residencyTags,
    residencyLocation,
    residencyReplication,
    residencyBackupsAndLogs,
    residencyRouting,
    residencyNodeLocality,
    residencyDatabase,
    securityAdminIngress,
    securityOriginHttps,
    securityMonitorHttps,
    securityCustomerManagedKeys,
    securityImdsv2,
    securityBucketPublicAccess,
    securityBackupVersioning,
    securityProtectStateful,
    securityDeletionProtection,
    securityNoClearTextSecrets,
    securityNodeSecretScope,
    securityImageRegistries,
    resilienceRegionSurvival,
    resilienceMultiCloud,
];
