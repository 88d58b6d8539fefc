/**
 * The API key lives in sessionStorage: it is gone when the browser tab closes, and other tabs
 * and later sessions never see it. Vendor credentials are never stored in the browser at all.
 */
const KEY = "gateway.console.apiKey";

export const session = {
  get: (): string | undefined => sessionStorage.getItem(KEY) ?? undefined,
  set: (key: string) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
};
