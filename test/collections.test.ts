import assert from "node:assert/strict";
import { at, entry } from "../components/collections";

describe("collections", () => {
    it("at returns the element, and an error naming what is missing past the end", () => {
        assert.equal(at(["a", "b"], 1, "pools"), "b");
        assert.throws(() => at(["a", "b"], 2, "pools"), /^Error: pools: no element at index 2 \(there are 2\)\.$/);
        assert.throws(() => at([], 0, "pools"), /pools: no element at index 0 \(there are 0\)/);
    });

    it("entry returns the value, and an error naming the key and the keys there are when absent", () => {
        assert.equal(entry({ "aws-us-east-1": "s3://b" }, "aws-us-east-1", "backup bucket URLs"), "s3://b");
        assert.throws(
            () => entry({ "aws-us-east-1": "s3://b" }, "gcp-europe-west1", "backup bucket URLs"),
            /^Error: backup bucket URLs: no entry for "gcp-europe-west1" \(has aws-us-east-1\)\.$/,
        );
        assert.throws(() => entry({}, "x", "tables"), /tables: no entry for "x" \(has none\)/);
    });
});
