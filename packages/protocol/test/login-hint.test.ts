import { describe, expect, it } from "vitest";
import { classifyLoginHint } from "../src/login-hint";

describe("classifyLoginHint", () => {
  it.each([
    ["alice@example.com", { kind: "email", value: "alice@example.com" }],
    ["  Alice@Example.COM ", { kind: "email", value: "alice@example.com" }],
    ["+447700900123", { kind: "phone_number", value: "+447700900123" }],
    ["+44 7700 900-123", { kind: "phone_number", value: "+447700900123" }],
    ["+1 (415) 555-0100", { kind: "phone_number", value: "+14155550100" }],
    ["40012345", { kind: "customer_number", value: "40012345" }],
    ["3f8d2c1e-5a7b-4e2f-9c1d-a11ce0000001", { kind: "sub", value: "3f8d2c1e-5a7b-4e2f-9c1d-a11ce0000001" }],
    // Not E.164 (no +, or a leading zero country code): not a phone number.
    ["07700900123", { kind: "customer_number", value: "07700900123" }],
    ["+0447700900123", { kind: "sub", value: "+0447700900123" }],
    ["12345", { kind: "sub", value: "12345" }],
  ])("classifies %j", (hint, expected) => {
    expect(classifyLoginHint(hint)).toEqual(expected);
  });
});
