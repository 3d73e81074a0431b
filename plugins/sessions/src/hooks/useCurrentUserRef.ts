import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';

/**
 * The signed-in person's entity ref, such as `user:default/jane.doe`, in
 * lower case so it compares with refs from the backend; undefined until the
 * identity has loaded (or if it could not be read).
 */
export function useCurrentUserRef(): string | undefined {
  const identityApi = useApi(identityApiRef);
  const { value } = useAsync(async () => {
    const identity = await identityApi.getBackstageIdentity();
    return identity.userEntityRef.toLocaleLowerCase('en-US');
  }, [identityApi]);
  return value;
}
