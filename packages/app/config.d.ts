export interface Config {
  /** The portal app's own settings. */
  portal?: {
    signIn?: {
      /**
       * Offer sign-in through the backend's `oidc` provider (configured
       * under `auth.providers.oidc`) on the sign-in page, beside guest.
       */
      oidc?: {
        /**
         * The provider's name on the sign-in page, e.g. "Company sign-in".
         * @visibility frontend
         */
        title: string;
        /**
         * The line under it; "Sign in with your company account" if unset.
         * @visibility frontend
         */
        message?: string;
      };
    };
  };
}
