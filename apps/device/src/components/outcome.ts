// What a card says once its request has ended, by how it ended and where it was decided.
import type { CardOutcome } from "../lib/requests-state";

export type OutcomeTone = "success" | "neutral" | "danger" | "warning";

export interface OutcomeCopy {
  title: string;
  text: string;
  tone: OutcomeTone;
}

export function describeOutcome(outcome: CardOutcome, client: string): OutcomeCopy {
  const here = outcome.where === "here";
  switch (outcome.status) {
    case "approved":
      return here
        ? { title: "You confirmed it's you", text: `${client} can carry on with your call.`, tone: "success" }
        : { title: "Approved on another device", text: "Nothing more to do here.", tone: "success" };
    case "denied":
      if (outcome.suspectedFraud) {
        return here
          ? {
              title: "Reported as suspected fraud",
              text: "We've stopped this request and alerted our fraud team. If someone called you saying they're from Acme Bank, hang up now.",
              tone: "danger",
            }
          : { title: "Reported as fraud on another device", text: "This request was stopped and flagged to our fraud team.", tone: "danger" };
      }
      return here
        ? { title: "Request declined", text: `We've told ${client} that you said no.`, tone: "neutral" }
        : { title: "Declined on another device", text: "Nothing more to do here.", tone: "neutral" };
    case "cancelled":
      return { title: `${client} cancelled this request`, text: "They no longer need you to confirm. Nothing was shared.", tone: "neutral" };
    case "expired":
      return {
        title: "This request expired",
        text: "Nothing was shared. If you still need to confirm, ask them to send a new request.",
        tone: "warning",
      };
    case "unavailable":
      return {
        title: "This request is no longer waiting for you",
        text: "It was answered, cancelled or expired while this device was offline.",
        tone: "neutral",
      };
  }
}
