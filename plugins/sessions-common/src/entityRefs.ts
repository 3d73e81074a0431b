/**
 * An entity ref as this plugin stores and compares it: lower-case.
 * Backstage compares entity refs case-insensitively, and catalogs ingested
 * from LDAP or Microsoft Graph name people `user:default/JaneDoe`; the
 * caller's token keeps that case, the tables do not.
 *
 * @public
 */
export function canonicalEntityRef(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}
