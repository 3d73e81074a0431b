// Codes for the end-to-end tests, computed from the secret the page shows,
// as an authenticator app would. The backend accepts the time steps just
// before and after now and never one it accepted already (per person), so
// each call hands out a step not used yet for that secret, waiting for the
// clock when all are spent.
import { generate } from 'otplib';
import { setTimeout as sleep } from 'node:timers/promises';

const PERIOD_MS = 30_000;
/** The last step handed out, by secret. */
const lastSteps = new Map();

export async function freshCode(secret) {
  for (;;) {
    const step = Math.floor(Date.now() / PERIOD_MS);
    const target = Math.max((lastSteps.get(secret) ?? -1) + 1, step);
    if (target <= step + 1) {
      lastSteps.set(secret, target);
      return generate({ secret, epoch: (target * PERIOD_MS) / 1000 });
    }
    await sleep(250);
  }
}
