// Protocol values in the words a bank customer reads, and the PIN messages built from provider errors.
import { describe, expect, it } from "vitest";
import { DeviceApiError, describePinError } from "../src/lib/device-api";
import { formatAmount, formatCountdown, formatIban, formatWhen, scopeToSentences } from "../src/lib/plain-words";

describe("plain words", () => {
  it("turns scopes into sentences, once each, naming unknown ones", () => {
    expect(scopeToSentences("openid email email offline_access accounts:read")).toEqual([
      "Confirm that it's really you",
      "See your email address",
      "Keep access after this call ends",
      'Use the permission "accounts:read"',
    ]);
  });

  it("formats amounts in their currency and tolerates a code the runtime does not know", () => {
    expect(formatAmount({ amount: "1250", currency: "GBP" })).toBe("£1,250.00");
    expect(formatAmount({ amount: "10.5", currency: "USD" })).toBe("US$10.50");
    expect(formatAmount({ amount: "3", currency: "XXY" })).toMatch(/3/);
  });

  it("groups an IBAN in fours", () => {
    expect(formatIban("DE89370400440532013000")).toBe("DE89 3704 0044 0532 0130 00");
  });

  it("counts down in minutes and seconds, never below zero", () => {
    expect(formatCountdown(245_000)).toBe("4:05");
    expect(formatCountdown(400)).toBe("0:01");
    expect(formatCountdown(-5_000)).toBe("0:00");
  });

  it("says when something happened relative to now", () => {
    const now = new Date(2030, 0, 10, 15, 0);
    expect(formatWhen(new Date(2030, 0, 10, 9, 5), now)).toBe("Today, 09:05");
    expect(formatWhen(new Date(2030, 0, 9, 18, 30), now)).toBe("Yesterday, 18:30");
    expect(formatWhen(new Date(2029, 11, 1, 8, 0), now)).toBe("1 Dec, 08:00");
  });
});

describe("PIN messages", () => {
  const error = (status: number, code: string, description: string) => new DeviceApiError(status, code, description);

  it("says how many attempts are left after a wrong PIN", () => {
    expect(describePinError(error(401, "invalid_credentials", "wrong PIN; 4 attempts left"))).toBe(
      "That PIN isn't right. 4 attempts left.",
    );
    expect(describePinError(error(401, "invalid_credentials", "wrong PIN; 1 attempt left"))).toBe("That PIN isn't right. 1 attempt left.");
  });

  it("says the PIN is locked, and for how long", () => {
    expect(describePinError(error(401, "invalid_credentials", "wrong PIN; the PIN is locked for 300 seconds"))).toBe(
      "That PIN isn't right. Your PIN is now locked for 5 minutes.",
    );
    expect(describePinError(error(429, "too_many_requests", "too many wrong PINs; try again in 42 seconds"))).toBe(
      "Too many wrong PINs. Try again in 42 seconds.",
    );
  });

  it("says the bank cannot be reached when the network fails", () => {
    expect(describePinError(error(0, "network_error", "the provider could not be reached"))).toBe(
      "We can't reach the bank right now. Check the connection and try again.",
    );
  });
});
