import { SignInPage, SignInProviderConfig } from '@backstage/core-components';
import {
  configApiRef,
  SignInPageProps,
  useApi,
} from '@backstage/core-plugin-api';
import { oidcAuthApiRef } from './apis';

/**
 * Guest sign-in always (the demo portal), and the OpenID Connect provider
 * when the portal has one: `portal.signIn.oidc.title` names it on the page
 * (the auth backend's `auth.providers.oidc` is not visible to the app).
 */
export function PortalSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef).getOptionalConfig('portal.signIn.oidc');
  const oidc: SignInProviderConfig | undefined = config && {
    id: 'oidc-auth-provider',
    title: config.getString('title'),
    message:
      config.getOptionalString('message') ??
      'Sign in with your company account',
    apiRef: oidcAuthApiRef,
  };
  return (
    <SignInPage {...props} providers={oidc ? ['guest', oidc] : ['guest']} />
  );
}
