// The request card as the customer sees it: who is asking, the binding message first, plain-word scopes,
// the transaction, the countdown, the three answers, and what remains once the request has ended.
import type { DeviceRequest } from "@ciba/protocol";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { RequestCardView, type RequestCardProps } from "../src/components/request-card";
import type { CardOutcome, RequestCard } from "../src/lib/requests-state";

const created = Date.parse("2030-01-01T09:00:00.000Z");

const request: DeviceRequest = {
  id: "req-1",
  client_name: "Acme Bank call centre",
  binding_message: "4F7K",
  scope: "openid profile email phone",
  acr_values: null,
  authorization_details: null,
  created_at: new Date(created).toISOString(),
  expires_at: new Date(created + 300_000).toISOString(),
};

function renderCard(overrides: Partial<RequestCard> = {}, props: Partial<RequestCardProps> = {}) {
  const handlers = {
    onDecide: vi.fn<RequestCardProps["onDecide"]>().mockResolvedValue({ ok: true }),
    onExpired: vi.fn(),
    onDismiss: vi.fn(),
  };
  const card: RequestCard = { request, outcome: null, deciding: null, live: true, ...overrides };
  const view = render(<RequestCardView card={card} now={created + 55_000} {...handlers} {...props} />);
  return { ...handlers, ...view };
}

describe("a pending request card", () => {
  it("says who is asking and shows the binding message before anything else", () => {
    renderCard();
    const card = screen.getByRole("article", { name: "Acme Bank call centre is asking you to confirm it's you. Code 4F7K" });
    expect(within(card).getByRole("heading", { name: "Acme Bank call centre" })).toBeInTheDocument();
    expect(card).toHaveTextContent("is asking you to confirm it's you");
    const code = within(card).getByText("4F7K");
    const scopes = within(card).getByRole("list");
    // The code precedes the permissions and the answers in reading order.
    expect(code.compareDocumentPosition(scopes) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it("turns the requested scopes into sentences", () => {
    renderCard();
    expect(screen.getAllByRole("listitem").map((item) => item.textContent)).toEqual([
      "Confirm that it's really you",
      "See your name and preferred language",
      "See your email address",
      "See your phone number",
    ]);
  });

  it("counts down to expiry", () => {
    renderCard();
    expect(screen.getByText(/Expires in/)).toHaveTextContent("Expires in 4:05");
  });

  it("shows a payment from authorization_details: amount in its currency, creditor, account and reference", () => {
    renderCard({
      request: {
        ...request,
        authorization_details: [
          {
            type: "payment_initiation",
            instructedAmount: { currency: "GBP", amount: "1250.5" },
            creditorName: "Northwind Traders Ltd",
            creditorAccount: { iban: "GB29NWBK60161331926819" },
            remittanceInformationUnstructured: "Invoice 2024-118",
          },
        ],
      },
    });
    expect(screen.getByText("is asking you to confirm a payment")).toBeInTheDocument();
    const payment = screen.getByRole("region", { name: "Payment to confirm" });
    expect(within(payment).getByText("£1,250.50")).toBeInTheDocument();
    expect(within(payment).getByText("Northwind Traders Ltd")).toBeInTheDocument();
    expect(within(payment).getByText("GB29 NWBK 6016 1331 9268 19")).toBeInTheDocument();
    expect(within(payment).getByText("Invoice 2024-118")).toBeInTheDocument();
  });

  it("formats other currencies in their own symbol and names unknown detail types", () => {
    renderCard({
      request: {
        ...request,
        authorization_details: [
          { type: "payment_initiation", instructedAmount: { currency: "EUR", amount: "99" }, creditorName: "Café Oslo" },
          { type: "account_information" },
        ],
      },
    });
    expect(screen.getByText("€99.00")).toBeInTheDocument();
    expect(screen.getByText("Also asks for: account information")).toBeInTheDocument();
  });

  it("offers Deny, Approve and \"I'm not on a call with anyone\", in that focus order", () => {
    renderCard();
    expect(screen.getAllByRole("button").map((b) => b.textContent)).toEqual(["Deny", "Approve", "I'm not on a call with anyone"]);
  });

  it("denies with Deny, and reports fraud with \"I'm not on a call with anyone\"", async () => {
    const user = userEvent.setup();
    const { onDecide } = renderCard();
    await user.click(screen.getByRole("button", { name: "Deny" }));
    expect(onDecide).toHaveBeenLastCalledWith("deny");
    await user.click(screen.getByRole("button", { name: "I'm not on a call with anyone" }));
    expect(onDecide).toHaveBeenLastCalledWith("report");
  });

  it("cannot be answered twice while an answer is on its way", () => {
    renderCard({ deciding: "deny" });
    for (const name of ["Deny", "Approve", "I'm not on a call with anyone"]) {
      expect(screen.getByRole("button", { name })).toBeDisabled();
    }
  });

  it("tells the device when its countdown reaches zero", () => {
    const { onExpired } = renderCard({}, { now: created + 300_000 });
    expect(onExpired).toHaveBeenCalledOnce();
  });

  it("says so when the answer could not be sent, and stays answerable", async () => {
    const user = userEvent.setup();
    const { onDecide } = renderCard();
    onDecide.mockResolvedValueOnce({ ok: false, error: new TypeError("fetch failed") });
    await user.click(screen.getByRole("button", { name: "Deny" }));
    expect(screen.getByRole("alert")).toHaveTextContent("Something went wrong. Please try again.");
    expect(screen.getByRole("button", { name: "Approve" })).toBeEnabled();
  });
});

describe("an ended request card", () => {
  const ended = (outcome: Partial<CardOutcome> & Pick<CardOutcome, "status">): Partial<RequestCard> => ({
    outcome: { suspectedFraud: false, where: "unknown", provisional: false, ...outcome },
  });

  it.each([
    [ended({ status: "approved", where: "here" }), "You confirmed it's you"],
    [ended({ status: "approved", where: "elsewhere" }), "Approved on another device"],
    [ended({ status: "denied", where: "here" }), "Request declined"],
    [ended({ status: "denied", where: "here", suspectedFraud: true }), "Reported as suspected fraud"],
    [ended({ status: "denied", where: "elsewhere" }), "Declined on another device"],
    [ended({ status: "cancelled" }), "Acme Bank call centre cancelled this request"],
    [ended({ status: "expired" }), "This request expired"],
    [ended({ status: "unavailable", provisional: true }), "This request is no longer waiting for you"],
  ])("says what happened and cannot be acted on (%#: %s)", (card, title) => {
    renderCard(card);
    expect(screen.getByRole("heading", { name: title })).toBeInTheDocument();
    expect(screen.getByText("4F7K")).toBeInTheDocument();
    expect(screen.getAllByRole("button").map((b) => b.textContent)).toEqual(["Dismiss"]);
  });

  it("is dismissed with Dismiss", async () => {
    const user = userEvent.setup();
    const { onDismiss } = renderCard(ended({ status: "expired" }));
    await user.click(screen.getByRole("button", { name: "Dismiss" }));
    expect(onDismiss).toHaveBeenCalledOnce();
  });
});
