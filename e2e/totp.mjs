// Codes for the end-to-end tests, computed from the secret the page shows,
// as an authenticator app would. The backend accepts the time steps just
// before and after now and never one it accepted already, so each call
// hands out a step not used yet, waiting for the clock when all are spent.
import { generate } from 'otplib';
import { setTimeout as sleep } from 'node:timers/promises';

const PERIOD_MS = 30_000;
let lastStep = -1;

export async function freshCode(secret) {
  for (;;) {
    const step = Math.floor(Date.now() / PERIOD_MS);
    const target = Math.max(lastStep + 1, step);
    if (target <= step + 1) {
      lastStep = target;
      return generate({ secret, epoch: (target * PERIOD_MS) / 1000 });
    }
    await sleep(250);
  }
}
