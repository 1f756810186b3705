import { createPrivateKey } from 'node:crypto';

/*
 * The signed-note example of golang.org/x/mod/sumdb/note (note.go / note_test.go): a key,
 * a text and the note Go signs from them. Ed25519 is deterministic, so signing the same text
 * with the same key must reproduce the note byte for byte — an outside anchor for the format.
 */
export const GO_VERIFIER_KEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
/** Go's signer key: PRIVATE+KEY+<name>+<id>+base64(0x01 ‖ 32-byte Ed25519 seed). */
export const GO_SIGNER_KEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
export const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
export const GO_NOTE = `${GO_TEXT}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

/** The Go signer key's seed as a node:crypto private key (PKCS#8 = fixed prefix ‖ seed). */
export function goPrivateKey() {
  const seed = Buffer.from(GO_SIGNER_KEY.split('+').slice(4).join('+'), 'base64').subarray(1);
  return createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
}
