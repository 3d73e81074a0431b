import { createApiRef } from '@backstage/core-plugin-api';
import { StepUpProof } from '@active-sessions/plugin-sessions-common';

/**
 * An action waiting for the person to confirm with their second factor.
 *
 * @public
 */
export interface StepUpRequest {
  /** Why, as the backend said it: "Confirm … to end all your sessions". */
  message: string;
}

/** The person closed the step-up dialog; the action did not happen. */
export class StepUpCancelledError extends Error {
  name = 'StepUpCancelledError';
  constructor() {
    super('Cancelled: the action needs your authenticator code');
  }
}

/**
 * Connects the API client, which learns that an action needs a step-up,
 * with the dialog that asks for the code: the client waits on `request`,
 * the dialog `complete`s or `cancel`s it. Keeps the proof until it
 * expires, so the next critical action goes straight through.
 *
 * @public
 */
export class StepUpBroker {
  private proof?: StepUpProof;
  private pending?: {
    request: StepUpRequest;
    promise: Promise<string>;
    resolve: (proof: string) => void;
    reject: (error: Error) => void;
  };
  private readonly listeners = new Set<
    (request: StepUpRequest | undefined) => void
  >();

  /** The proof to send, while it is fresh. */
  currentProof(now: number = Date.now()): string | undefined {
    if (this.proof && Date.parse(this.proof.expiresAt) > now) {
      return this.proof.proof;
    }
    return undefined;
  }

  /** Waits for the person to step up; one dialog for concurrent asks. */
  request(request: StepUpRequest): Promise<string> {
    if (!this.pending) {
      let resolve!: (proof: string) => void;
      let reject!: (error: Error) => void;
      const promise = new Promise<string>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.pending = { request, promise, resolve, reject };
      this.notify();
    }
    return this.pending.promise;
  }

  complete(proof: StepUpProof) {
    this.proof = proof;
    this.pending?.resolve(proof.proof);
    this.pending = undefined;
    this.notify();
  }

  cancel() {
    this.pending?.reject(new StepUpCancelledError());
    this.pending = undefined;
    this.notify();
  }

  /** Forget the proof, e.g. after turning two-factor authentication off. */
  forget() {
    this.proof = undefined;
  }

  subscribe(listener: (request: StepUpRequest | undefined) => void) {
    this.listeners.add(listener);
    listener(this.pending?.request);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private notify() {
    for (const listener of this.listeners) listener(this.pending?.request);
  }
}

/** @public */
export const stepUpApiRef = createApiRef<StepUpBroker>({
  id: 'plugin.sessions.step-up',
});
