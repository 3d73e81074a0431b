/**
 * Whether the caller's ownership claims include `entityRef`. Entity refs
 * compare case-insensitively in Backstage: a catalog group named
 * `SRE-OnCall` is `group:default/sre-oncall` too.
 */
export function hasClaim(claims: string[], entityRef: string): boolean {
  const wanted = entityRef.toLocaleLowerCase('en-US');
  return claims.some(claim => claim.toLocaleLowerCase('en-US') === wanted);
}
