import assert from "node:assert/strict";
import {
    crossCloudBackupRoleArn,
    federatedAwsRole,
    federationAudience,
    federationPoolId,
    gcpExternalAccountConfig,
    googleWebIdentityTrust,
    POOL_ID,
    s3BackupPolicy,
} from "../components/cluster/backups";

describe("cluster backups: who may write the backup buckets", () => {
    it("names a pool and provider Google accepts (4-32 characters) for the longest environment name", () => {
        const pool = federationPoolId("abcdefghijklmnop", "ffffff");
        assert.equal(pool, "crdb-abcdefghijklmnop-aws-ffffff");
        assert.ok(pool.length >= 4 && pool.length <= 32, pool);
        assert.match(pool, POOL_ID);
        assert.ok(!federationPoolId("gcp", "000000").startsWith("gcp-"), "the gcp- prefix is reserved");
        assert.match(
            federationAudience("123", federationPoolId("prod", "0a1b2c")),
            /^\/\/iam\.googleapis\.com\/projects\/123\/locations\/global\/workloadIdentityPools\/crdb-prod-aws-0a1b2c\/providers\/aws-nodes$/,
        );
    });

    it("names a new pool for every deployment: a deleted pool's id stays blocked for 30 days", () => {
        for (const env of ["a", "prod", "abcdefghijklmnop"]) {
            const first = federationPoolId(env, "0a1b2c");
            const second = federationPoolId(env, "d4e5f6");
            assert.notEqual(first, second, env);
            for (const id of [first, second]) assert.match(id, POOL_ID);
        }
        for (const bad of ["", "0a1b2", "0A1B2C", "0a1b2c3", "zzzzzz"]) assert.throws(() => federationPoolId("prod", bad), /suffix/, bad);
    });

    it("accepts pool ids of 4-32 characters of [a-z0-9-] that do not start with gcp-, and nothing else", () => {
        for (const ok of ["crdb", "a".repeat(32), "crdb-prod-aws-0a1b2c"]) assert.match(ok, POOL_ID);
        for (const bad of ["abc", "a".repeat(33), "gcp-pool", "Crdb-prod", "crdb_prod"]) assert.doesNotMatch(bad, POOL_ID);
    });

    it("grants GCS access to every session of one AWS role, not to the account", () => {
        assert.equal(
            federatedAwsRole("123", "crdb-prod-aws-0a1b2c", "111122223333", "prod-aws-us-east-1-cockroach-node"),
            "principalSet://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/crdb-prod-aws-0a1b2c/attribute.aws_role/arn:aws:sts::111122223333:assumed-role/prod-aws-us-east-1-cockroach-node",
        );
    });

    it("trusts only the named Google service accounts, by unique id, with tokens minted for AWS STS", () => {
        const trust = JSON.parse(googleWebIdentityTrust(["222222222222222222222", "111111111111111111111"])) as {
            Statement: { Principal: unknown; Action: string; Condition: { StringEquals: Record<string, unknown> } }[];
        };
        assert.deepEqual(trust.Statement[0]!.Principal, { Federated: "accounts.google.com" });
        assert.equal(trust.Statement[0]!.Action, "sts:AssumeRoleWithWebIdentity");
        assert.deepEqual(trust.Statement[0]!.Condition.StringEquals["accounts.google.com:sub"], [
            "111111111111111111111",
            "222222222222222222222",
        ]);
        assert.deepEqual(trust.Statement[0]!.Condition.StringEquals["accounts.google.com:aud"], [
            "111111111111111111111",
            "222222222222222222222",
        ]);
        assert.equal(trust.Statement[0]!.Condition.StringEquals["accounts.google.com:oaud"], "sts.amazonaws.com");
        assert.throws(() => googleWebIdentityTrust([]), /at least one service account/);
        assert.throws(
            () => googleWebIdentityTrust(["node@project.iam.gserviceaccount.com"]),
            /not a Google service account's numeric unique id/,
        );
    });

    it("limits S3 access to the backup buckets and the environment's keys through S3", () => {
        const policy = JSON.parse(s3BackupPolicy(["b-2", "b-1"], "prod", ["us-east-1", "eu-west-1"])) as {
            Statement: {
                Sid: string;
                Action: string[];
                Resource: string | string[];
                Condition?: { StringEquals: Record<string, unknown> };
            }[];
        };
        const [list, objects, keys] = policy.Statement;
        assert.deepEqual(list!.Resource, ["arn:aws:s3:::b-1", "arn:aws:s3:::b-2"]);
        assert.deepEqual(objects!.Resource, ["arn:aws:s3:::b-1/*", "arn:aws:s3:::b-2/*"]);
        assert.ok(!objects!.Action.includes("s3:*"));
        assert.deepEqual(keys!.Condition!.StringEquals, {
            "aws:ResourceTag/environment": "prod",
            "kms:ViaService": ["s3.eu-west-1.amazonaws.com", "s3.us-east-1.amazonaws.com"],
        });
        assert.throws(() => s3BackupPolicy([], "prod", []), /at least one bucket/);
    });

    it("builds the role ARN in the caller's partition before the role exists", () => {
        assert.equal(
            crossCloudBackupRoleArn("arn:aws:iam::111122223333:user/ci", "111122223333", "prod"),
            "arn:aws:iam::111122223333:role/prod-crdb-backups-from-gcp",
        );
        assert.equal(
            crossCloudBackupRoleArn("arn:aws-us-gov:sts::111122223333:assumed-role/x/y", "111122223333", "prod"),
            "arn:aws-us-gov:iam::111122223333:role/prod-crdb-backups-from-gcp",
        );
    });

    it("writes external-account credentials that sign with the instance role through IMDSv2 and hold no key", () => {
        const config = JSON.parse(gcpExternalAccountConfig("//iam.googleapis.com/x")) as Record<string, any>;
        assert.equal(config.type, "external_account");
        assert.equal(config.subject_token_type, "urn:ietf:params:aws:token-type:aws4_request");
        assert.equal(config.credential_source.imdsv2_session_token_url, "http://169.254.169.254/latest/api/token");
        assert.ok(!JSON.stringify(config).includes("private_key"));
    });
});
