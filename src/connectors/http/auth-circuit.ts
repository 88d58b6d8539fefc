/**
 * Stops calling a vendor with a credential the vendor has rejected (e.g. Ecwid 403
 * INVALID_API_TOKEN), until the credential changes. Keys are credential fingerprints, so new
 * credentials start with a closed circuit automatically. Calling on with a dead token only earns a
 * longer block from the vendor (Ecwid blocks tokens that keep failing).
 */
export class AuthCircuit {
  private readonly open = new Map<string, { at: Date; message: string }>();

  trip(fingerprint: string, message: string): void {
    this.open.set(fingerprint, { at: new Date(), message });
  }

  check(fingerprint: string): { at: Date; message: string } | undefined {
    return this.open.get(fingerprint);
  }

  reset(fingerprint: string): void {
    this.open.delete(fingerprint);
  }
}
