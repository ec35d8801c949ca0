// Limits every way of sending a request shares (the JSON routes and the Generate form's Server Action).
// No imports, so next.config.ts can read them before any app code runs.

/** The largest request body accepted; well above the biggest valid request (a 5,000-character script). */
export const MAX_BODY_BYTES = 64 * 1024;
