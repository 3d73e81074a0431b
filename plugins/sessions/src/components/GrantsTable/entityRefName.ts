/** `kind:namespace/name` or `kind:name`, as the catalog writes refs. */
const ENTITY_REF = /^[a-z0-9-_.]+:(?:[a-z0-9-_.]+\/)?([a-z0-9-_.@]+)$/i;

/**
 * The name part of an entity ref, the way people recognise each other:
 * `user:default/jane.doe` is `jane.doe`. Text that is not a ref, such as a
 * workflow's name, stays as it is.
 */
export function entityRefName(ref: string): string {
  return ENTITY_REF.exec(ref.trim())?.[1] ?? ref;
}
