// The operator's form: what it accepts and what it sends to the provider.
import { classifyLoginHint, paymentInitiationSchema } from "@ciba/protocol";
import { describe, expect, it } from "vitest";
import { readEnv } from "../../src/env";
import { normalizeAmount, paymentInitiation, scopeString, startFlowSchema } from "../../src/shared/start-flow";

describe("the start form", () => {
  it("recognises the three ways to name a caller as typed", () => {
    expect(classifyLoginHint(" Alice@Example.com ")).toEqual({ kind: "email", value: "alice@example.com" });
    expect(classifyLoginHint("+44 7700 900123")).toEqual({ kind: "phone_number", value: "+447700900123" });
    expect(classifyLoginHint("40012345")).toEqual({ kind: "customer_number", value: "40012345" });
  });

  it("always sends openid first, then the chosen scopes in a fixed order", () => {
    expect(scopeString([])).toBe("openid");
    expect(scopeString(["phone", "profile"])).toBe("openid profile phone");
  });

  it("turns a transaction into a valid payment_initiation", () => {
    const detail = paymentInitiation({ amount: "3.5", currency: "EUR", creditor: "Café Müller", reference: "" });
    expect(detail).toEqual({ type: "payment_initiation", instructedAmount: { currency: "EUR", amount: "3.50" }, creditorName: "Café Müller" });
    expect(paymentInitiationSchema.safeParse(detail).success).toBe(true);
    expect(normalizeAmount("125")).toBe("125.00");
  });

  it("explains what is wrong with a bad transaction", () => {
    const result = startFlowSchema.safeParse({
      login_hint: "alice@example.com",
      delivery_mode: "poll",
      transaction: { amount: "12,50", currency: "GBP", creditor: "", reference: "" },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["transaction.amount", "enter an amount such as 125.00"],
      ["transaction.creditor", "enter who is being paid"],
    ]);
  });

  it("requires an identifier", () => {
    const result = startFlowSchema.safeParse({ login_hint: "  ", delivery_mode: "push" });
    expect(result.error?.issues[0]?.message).toBe("enter the caller's e-mail address, phone number or customer number");
  });
});

describe("the console's environment", () => {
  it("allows http only to a provider on this machine unless told otherwise", () => {
    expect(readEnv({ PROVIDER_URL: "http://localhost:3000" }).PROVIDER_URL).toBe("http://localhost:3000");
    expect(readEnv({ PROVIDER_URL: "http://127.0.0.1:4400" }).CONSOLE_PORT).toBe(3001);
    expect(readEnv({ PROVIDER_URL: "https://op.example.com" }).CONSOLE_LONG_POLL_SECONDS).toBe(20);
    expect(() => readEnv({ PROVIDER_URL: "http://op.example.com" })).toThrow(
      "invalid console environment:\n  PROVIDER_URL: an http:// provider URL must be on this machine (localhost); use https, or set CONSOLE_ALLOW_INSECURE_HTTP=true",
    );
    expect(readEnv({ PROVIDER_URL: "http://provider:3000", CONSOLE_ALLOW_INSECURE_HTTP: "true" }).CONSOLE_ALLOW_INSECURE_HTTP).toBe(true);
    expect(() => readEnv({ CONSOLE_PORT: "seventy" })).toThrow(/CONSOLE_PORT/);
  });
});
