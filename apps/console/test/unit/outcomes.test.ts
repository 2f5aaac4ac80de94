// Which final state an OAuth error from the token endpoint or a push means.
import { describe, expect, it } from "vitest";
import { outcomeOfError } from "../../src/flows/completion";
import { plainError } from "../../src/shared/error-messages";

const denied = plainError("access_denied", "the end-user denied the authorization request", 400);
const fraud = plainError("access_denied", "the end-user reported that they are not on a call: suspected fraud", 400);
const plain = { providerDecision: null, cancelRequested: false };

describe("outcomeOfError", () => {
  it("access_denied is a denial", () => {
    expect(outcomeOfError(plain, denied)).toEqual({ status: "denied", detail: "the caller declined on their device" });
  });

  it("access_denied is suspected fraud when the provider's event says so, or its description does", () => {
    expect(outcomeOfError({ ...plain, providerDecision: { status: "denied", suspectedFraud: true, description: null } }, denied).status).toBe("suspected_fraud");
    expect(outcomeOfError(plain, fraud).status).toBe("suspected_fraud");
    // The event wins over the wording when it says it was a plain denial.
    expect(outcomeOfError({ ...plain, providerDecision: { status: "denied", suspectedFraud: false, description: null } }, fraud).status).toBe("denied");
  });

  it("access_denied after the operator's cancel is a cancellation", () => {
    expect(outcomeOfError({ ...plain, cancelRequested: true }, denied).status).toBe("cancelled");
    expect(outcomeOfError({ ...plain, providerDecision: { status: "cancelled", suspectedFraud: false, description: "cancelled by the client" } }, denied).status).toBe(
      "cancelled",
    );
  });

  it("expired_token is an expiry; anything else a failure with its plain title", () => {
    expect(outcomeOfError(plain, plainError("expired_token", null, 400)).status).toBe("expired");
    expect(outcomeOfError(plain, plainError("invalid_grant", "auth_req_id is unknown", 400))).toEqual({
      status: "failed",
      detail: "The provider no longer recognises this request",
    });
  });
});
