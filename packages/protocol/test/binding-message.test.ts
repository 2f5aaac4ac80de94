import { describe, expect, it } from "vitest";
import { BINDING_MESSAGE_MAX_LENGTH, generateBindingCode, isValidBindingMessage } from "../src/binding-message";

describe("binding messages", () => {
  it.each(["4F7K", "1234", "Pay 12,50 EUR to Acme", "Überweisung #7", "支付 42", "x".repeat(BINDING_MESSAGE_MAX_LENGTH)])(
    "accepts %j",
    (message) => expect(isValidBindingMessage(message)).toBe(true),
  );

  it.each(["", " 4F7K", "4F7K ", "x".repeat(BINDING_MESSAGE_MAX_LENGTH + 1), "🎉", "a\tb", "<b>", '"quoted"'])(
    "refuses %j",
    (message) => expect(isValidBindingMessage(message)).toBe(false),
  );

  it("generates read-aloud codes without ambiguous characters", () => {
    const codes = Array.from({ length: 500 }, () => generateBindingCode());
    for (const code of codes) {
      expect(code).toMatch(/^[2-9A-HJKMNP-Z]{4}$/);
      expect(isValidBindingMessage(code)).toBe(true);
    }
    expect(new Set(codes).size).toBeGreaterThan(450);
  });
});
