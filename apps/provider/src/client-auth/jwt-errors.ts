// Turns jose's verification failures into precise, safe descriptions for error responses.
import { errors } from "jose";
import { quote } from "../errors";

export function describeJwtFailure(what: string, error: unknown): string {
  if (error instanceof errors.JWTExpired) return `${what} has expired`;
  if (error instanceof errors.JWTClaimValidationFailed) {
    return error.reason === "missing"
      ? `${what} is missing the ${quote(error.claim)} claim`
      : `${what} has an invalid ${quote(error.claim)} claim`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return `${what} signature is invalid`;
  if (error instanceof errors.JOSEAlgNotAllowed) return `${what} is signed with an algorithm that is not allowed`;
  if (error instanceof errors.JWKSNoMatchingKey) return `${what} is signed with a key the client has not registered`;
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JOSEError && error.code === "ERR_JWKS_INVALID") {
    return `the client's jwks_uri could not be used to verify the ${what}`;
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return `${what} is not a valid signed JWT`;
  return `${what} could not be verified`;
}
