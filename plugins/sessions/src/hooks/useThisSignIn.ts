import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { signInIdOf } from './signInIdOf';

/** The sign-in id of this browser, from its current token. */
export function useThisSignIn(): string | undefined {
  const identityApi = useApi(identityApiRef);
  const { value } = useAsync(
    async () => signInIdOf((await identityApi.getCredentials()).token),
    [identityApi],
  );
  return value;
}
