/**
 * The binding message policy (CIBA Core §7.1): short, plain text, shown verbatim on both devices so the
 * user can tell this request from a concurrent fraudulent one. Shared so the console generates messages
 * the provider accepts.
 */

export const BINDING_MESSAGE_MAX_LENGTH = 40;

/** Letters and digits of any script, spaces, and a few punctuation marks. */
const bindingMessagePattern = /^[\p{L}\p{N}][\p{L}\p{N} .,:;!?#'+/_-]*$/u;

export const bindingMessageRule = `binding_message must be 1 to ${BINDING_MESSAGE_MAX_LENGTH} characters: letters, digits, spaces and . , : ; ! ? # ' + / _ - starting with a letter or digit`;

export function isValidBindingMessage(message: string): boolean {
  const normalized = message.normalize("NFC");
  return (
    [...normalized].length <= BINDING_MESSAGE_MAX_LENGTH &&
    normalized === normalized.trim() &&
    bindingMessagePattern.test(normalized)
  );
}

/** Unambiguous characters for read-aloud codes: no 0/O, 1/I/L. */
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/**
 * A short code an operator reads to the caller, e.g. "4F7K". Uses the platform's CSPRNG
 * (available in browsers and in Node as `globalThis.crypto`).
 */
export function generateBindingCode(length = 4): string {
  // Rejection sampling keeps every character equally likely (256 is not a multiple of 31).
  const limit = 256 - (256 % codeAlphabet.length);
  let code = "";
  while (code.length < length) {
    const bytes = globalThis.crypto.getRandomValues(new Uint8Array(length * 2));
    for (const byte of bytes) {
      if (byte < limit && code.length < length) code += codeAlphabet[byte % codeAlphabet.length];
    }
  }
  return code;
}
