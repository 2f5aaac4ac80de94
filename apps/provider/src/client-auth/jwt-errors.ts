// Turns jose's verification failures into precise, safe descriptions for error responses.
import { errors } from "jose";
import { quote } from "../errors";
import { JwksFetchError } from "./jwks-fetch";

/** `keyOwner` words whose keys verify the JWT: the client's registered ones, or the provider's own. */
export function describeJwtFailure(what: string, error: unknown, keyOwner: "the client" | "this provider" = "the client"): string {
  if (error instanceof errors.JWTExpired) {
    // maxTokenAge failures are JWTExpired too, on iat.
    return error.claim === "iat" ? `${what} was issued too long ago (iat)` : `${what} has expired`;
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    const claim = quote(error.claim);
    if (error.reason === "missing") return `${what} is missing the ${claim} claim`;
    if (claim === "nbf" && error.reason === "check_failed") return `${what} is not valid yet (nbf is in the future)`;
    if (claim === "iat" && error.reason === "check_failed") return `${what} was issued in the future (iat)`;
    if (claim === "typ") return `${what} has an unexpected typ header`;
    return `${what} has an invalid ${claim} claim`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return `${what} signature is invalid`;
  if (error instanceof errors.JOSEAlgNotAllowed) return `${what} is signed with an algorithm that is not allowed`;
  if (error instanceof errors.JWKSNoMatchingKey) {
    return keyOwner === "the client" ? `${what} is signed with a key the client has not registered` : `${what} is not signed with a key of this provider`;
  }
  if (error instanceof errors.JWKSMultipleMatchingKeys) return `${what} names no kid and the client has several matching keys`;
  // A jwks_uri that timed out, was refused by the SSRF policy or answered with something unusable.
  if (error instanceof errors.JWKSTimeout || error instanceof JwksFetchError || (error instanceof errors.JOSEError && error.code === "ERR_JWKS_INVALID")) {
    return `the client's jwks_uri could not be used to verify the ${what}`;
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return `${what} is not a valid signed JWT`;
  return `${what} could not be verified`;
}
