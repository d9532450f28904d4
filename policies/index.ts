// The pack's entry point: constructs the PolicyPack once (which starts the analyzer server the
// engine talks to) from the policies in ./all.ts. Nothing else belongs here.
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, policies } from "./all";

new PolicyPack(PACK_NAME, { policies });
