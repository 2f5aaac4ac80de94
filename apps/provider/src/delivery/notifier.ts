// Ping and push delivery as the provider's ClientNotifier: when a request ends, the delivery it owes
// (plan.ts) is written to the database first and then attempted at once by this instance; the
// dispatcher retries it and any instance resumes it after a restart.
import { type AuthRequest, type AuthRequestWithClient, type Client, type DeliveryKind, isUniqueViolation } from "@ciba/db";
import type { ClientNotifier } from "../ciba/client-notifier";
import type { ProviderDeps } from "../deps";
import { createDispatcher } from "./dispatcher";
import type { Resolver } from "./endpoint-safety";
import { deliveryIdFor, planDelivery, TRANSACTION_FAILED_DESCRIPTION } from "./plan";
import { type IssuedPush, issuePushTokens, recordPushedTokens } from "./push-tokens";

export interface DeliveryNotifierOptions {
  /** How notification endpoint hosts are resolved, if not as deps.resolve; tests inject answers. */
  resolve?: Resolver;
}

/** How far back start-up looks for ended requests whose delivery was never created. */
const RECONCILE_WINDOW_MS = 60 * 60 * 1000;

export function createDeliveryNotifier(base: Omit<ProviderDeps, "notifier">, options: DeliveryNotifierOptions = {}): ClientNotifier {
  let timer: NodeJS.Timeout | undefined;
  let closing = false;
  const notifier: ClientNotifier = { requestCompleted, start, close };
  const deps: ProviderDeps = { ...base, notifier };
  const dispatcher = createDispatcher(deps, options.resolve ?? deps.resolve);

  /**
   * The lease a new delivery starts with: this instance's, for an immediate attempt; none while
   * shutting down, so another instance (or the next start) sends it without waiting for a lease.
   */
  const initialLease = (now: Date) =>
    closing ? { leaseOwner: null, leaseUntil: null } : { leaseOwner: dispatcher.owner, leaseUntil: dispatcher.leaseUntil(now) };

  /** Creates a delivery (see initialLease); null if it exists already (made by another path). */
  async function createLeased(request: AuthRequest, kind: DeliveryKind, endpoint: string, payload: unknown, now: Date) {
    try {
      return await deps.repos.deliveries.create({
        id: deliveryIdFor(request.id, kind),
        authRequestId: request.id,
        kind,
        endpoint,
        payload: JSON.stringify(payload),
        nextAttemptAt: now,
        ...initialLease(now),
        createdAt: now,
      });
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  /** Push approval: tokens issued once, or transaction_failed when they cannot be (CIBA Core §12). */
  async function pushTokens(request: AuthRequest, client: Client, now: Date): Promise<Partial<IssuedPush> | null> {
    const endpoint = client.notificationEndpoint!;
    try {
      return await issuePushTokens(deps, request, client, { endpoint, ...initialLease(now), now });
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      deps.log.error("push token issuance failed", { client: request.clientId, error: error as Error });
      const delivery = await createLeased(
        request,
        "push_error",
        endpoint,
        { auth_req_id: request.authReqId, error: "transaction_failed", error_description: TRANSACTION_FAILED_DESCRIPTION },
        now,
      );
      return delivery && { delivery };
    }
  }

  async function deliver(request: AuthRequestWithClient): Promise<void> {
    const plan = planDelivery(request);
    if (!plan) return;
    // Push issuance needs the whole client; a ping or an error payload only the endpoint, which
    // usually came with the request.
    const readClient = plan.kind === "push_tokens" || request.clientNotificationEndpoint === undefined;
    const client = readClient ? await deps.repos.clients.findById(request.clientId) : null;
    const endpoint = readClient ? client?.notificationEndpoint : request.clientNotificationEndpoint;
    if (!endpoint) {
      deps.log.warn(`a ${request.deliveryMode} client has no notification endpoint: nothing delivered`, { client: request.clientId });
      return;
    }
    const now = new Date();
    // The endpoint check and the handshake run while the delivery is written; nothing is sent before.
    const opened = closing ? null : dispatcher.open(endpoint);
    let made: Partial<IssuedPush> | null = null;
    try {
      made =
        plan.kind === "push_tokens"
          ? await pushTokens(request, client!, now)
          : { delivery: (await createLeased(request, plan.kind, endpoint, plan.payload, now)) ?? undefined };
    } finally {
      if (opened && !made?.delivery?.leaseOwner) opened.cancel();
    }
    if (opened && made?.delivery?.leaseOwner) dispatcher.attemptLeased(made.delivery, request, opened);
    if (made?.tokens) await recordPushedTokens(deps, request, made.tokens);
  }

  async function requestCompleted(request: AuthRequestWithClient): Promise<void> {
    try {
      await deliver(request);
    } catch (error) {
      // The decision is already stored; the next start-up creates the missing delivery.
      deps.log.error("could not create the delivery of an ended request", { client: request.clientId, error: error as Error });
    }
  }

  /** Creates deliveries a stopped instance owed but never wrote, then resumes pending and retrying ones. */
  async function start(): Promise<void> {
    const since = new Date(deps.clock.now().getTime() - RECONCILE_WINDOW_MS);
    for (const id of await deps.repos.deliveries.listEndedWithoutDelivery(since)) {
      const request = await deps.repos.authRequests.findById(id);
      if (request) await requestCompleted(request);
    }
    await dispatcher.sweep();
    timer = setInterval(() => {
      dispatcher.sweep().catch((error: unknown) => deps.log.error("delivery sweep failed", { error: error as Error }));
    }, deps.config.delivery.pollIntervalMs);
    timer.unref();
  }

  async function close(): Promise<void> {
    closing = true;
    clearInterval(timer);
    await dispatcher.close();
  }

  return notifier;
}
