import { Request } from 'express';
import { STEP_UP_HEADER } from '@active-sessions/plugin-sessions-common';

/** The step-up proof a request carries, if any. */
export const stepUpProof = (req: Request) =>
  req.header(STEP_UP_HEADER) ?? undefined;
