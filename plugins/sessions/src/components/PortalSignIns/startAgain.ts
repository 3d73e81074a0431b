/**
 * Starts the app again: it signs in anew (a token refresh), which is how a
 * sign-in that passed its code gets a token without the wait.
 */
export function startAgain() {
  window.location.reload();
}
