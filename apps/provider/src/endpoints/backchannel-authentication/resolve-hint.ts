// CIBA Core §7.1, §7.2 steps 3-5: exactly one hint, and it must name a known user.
//  - login_hint: an e-mail address, an E.164 phone number, a customer number or a subject;
//  - id_token_hint: an ID token this provider issued to this client (expired ones are accepted for a
//    grace period, CIBA Core §14);
//  - login_hint_token: a JWT signed by the client with a key it registered, naming the user in a
//    `sub_id` subject identifier (RFC 9493): {"format":"email","email":...}, {"format":"phone_number",
//    "phone_number":...}, {"format":"opaque","id":<sub>} or {"format":"iss_sub","iss":<issuer>,"sub":<sub>}.
import type { Client, User } from "@ciba/db";
import { classifyLoginHint } from "@ciba/protocol";
import { errors, type JWTPayload, jwtVerify } from "jose";
import { clientKeys } from "../../client-auth/client-keys";
import { describeJwtFailure } from "../../client-auth/jwt-errors";
import type { ProviderDeps } from "../../deps";
import { OAuthError } from "../../errors";
import { type RequestParams, stringParam } from "./params";

export type HintType = "login_hint" | "login_hint_token" | "id_token_hint";

export interface ResolvedHint {
  user: User;
  hintType: HintType;
  hint: string;
}

const hintTypes: HintType[] = ["login_hint", "login_hint_token", "id_token_hint"];

const unknownUser = () => new OAuthError("unknown_user_id", "no user matches the hint");

export async function resolveHint(deps: ProviderDeps, client: Client, params: RequestParams): Promise<ResolvedHint> {
  const present = hintTypes.filter((name) => stringParam(params, name) !== undefined);
  if (present.length === 0) {
    throw new OAuthError("invalid_request", "one of login_hint, login_hint_token or id_token_hint is required");
  }
  if (present.length > 1) {
    throw new OAuthError("invalid_request", "only one of login_hint, login_hint_token or id_token_hint must be provided");
  }
  const hintType = present[0]!;
  const hint = stringParam(params, hintType)!;
  if (hint.length > 8192) throw new OAuthError("invalid_request", `${hintType} is too long`);
  const user =
    hintType === "login_hint"
      ? await resolveLoginHint(deps, hint)
      : hintType === "id_token_hint"
        ? await resolveIdTokenHint(deps, client, hint)
        : await resolveLoginHintToken(deps, client, hint);
  return { user, hintType, hint };
}

async function resolveLoginHint(deps: ProviderDeps, hint: string): Promise<User> {
  if (hint.length > 256) throw new OAuthError("invalid_request", "login_hint is longer than 256 characters");
  const user = await deps.policy.resolveLoginHint(hint);
  if (!user) throw unknownUser();
  return user;
}

async function resolveIdTokenHint(deps: ProviderDeps, client: Client, hint: string): Promise<User> {
  if (hint.split(".").length === 5) throw new OAuthError("invalid_request", "id_token_hint must be a signed, not encrypted, ID token");
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(hint, deps.keystore.verificationKeys, {
      issuer: deps.config.issuer,
      audience: client.clientId,
      currentDate: deps.clock.now(),
      // An expired ID token still identifies the user (CIBA Core §14); accept it for a grace period.
      clockTolerance: deps.config.tokens.idTokenHintGraceSeconds,
      requiredClaims: ["sub"],
    }));
  } catch (error) {
    throw new OAuthError("invalid_request", describeJwtFailure("id_token_hint", error, "this provider"), { cause: error });
  }
  const user = await deps.repos.users.findBySub(payload.sub!);
  if (!user) throw unknownUser();
  return user;
}

interface SubjectIdentifier {
  format?: unknown;
  email?: unknown;
  phone_number?: unknown;
  id?: unknown;
  iss?: unknown;
  sub?: unknown;
}

async function resolveLoginHintToken(deps: ProviderDeps, client: Client, hint: string): Promise<User> {
  const keys = clientKeys(deps, client);
  if (!keys) throw new OAuthError("invalid_request", "login_hint_token cannot be verified: the client has registered no keys");
  let payload: JWTPayload & { sub_id?: SubjectIdentifier };
  try {
    ({ payload } = await jwtVerify(hint, keys, {
      algorithms: client.fapiCiba ? ["PS256", "ES256"] : ["RS256", "PS256", "ES256"],
      issuer: client.clientId,
      audience: deps.config.issuer,
      currentDate: deps.clock.now(),
      requiredClaims: ["exp"],
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      throw new OAuthError("expired_login_hint_token", "login_hint_token has expired", { cause: error });
    }
    throw new OAuthError("invalid_request", describeJwtFailure("login_hint_token", error), { cause: error });
  }
  const subject = payload.sub_id;
  if (!subject || typeof subject !== "object") {
    throw new OAuthError("invalid_request", "login_hint_token must name the user in a sub_id subject identifier");
  }
  const text = (v: unknown) => (typeof v === "string" && v ? v : null);
  let user: User | null;
  switch (subject.format) {
    case "email": {
      const email = text(subject.email);
      user = email ? await deps.repos.users.findByHint("email", classifyLoginHint(email).value) : null;
      break;
    }
    case "phone_number": {
      const phone = text(subject.phone_number);
      user = phone ? await deps.repos.users.findByHint("phone_number", classifyLoginHint(phone).value) : null;
      break;
    }
    case "opaque":
      user = text(subject.id) ? await deps.repos.users.findBySub(text(subject.id)!) : null;
      break;
    case "iss_sub":
      user = subject.iss === deps.config.issuer && text(subject.sub) ? await deps.repos.users.findBySub(text(subject.sub)!) : null;
      break;
    default:
      throw new OAuthError("invalid_request", "login_hint_token sub_id format must be email, phone_number, opaque or iss_sub");
  }
  if (!user) throw unknownUser();
  return user;
}
