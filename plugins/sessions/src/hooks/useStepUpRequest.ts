import { useApi } from '@backstage/core-plugin-api';
import { useEffect, useState } from 'react';
import { StepUpRequest, stepUpApiRef } from '../api';

/** The step-up the page is waiting for right now, if any. */
export function useStepUpRequest(): StepUpRequest | undefined {
  const broker = useApi(stepUpApiRef);
  const [request, setRequest] = useState<StepUpRequest>();
  useEffect(() => broker.subscribe(setRequest), [broker]);
  return request;
}
