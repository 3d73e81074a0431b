import { ManagedMembersStore } from '../database/ManagedMembersStore';

/**
 * The loaded resources in the order of `ids` (undefined where missing, as
 * the permission framework expects from `getResources`), each with its
 * user's managers so IS_MANAGED_BY can decide on it as it does in SQL.
 */
export async function withManagers<T extends { id: string; userRef: string }>(
  ids: string[],
  loaded: T[],
  store: ManagedMembersStore,
): Promise<Array<(T & { managedBy: string[] }) | undefined>> {
  const byId = new Map(loaded.map(item => [item.id, item]));
  const managers = await store.managersOf(loaded.map(item => item.userRef));
  return ids.map(id => {
    const item = byId.get(id);
    return item && { ...item, managedBy: managers.get(item.userRef) ?? [] };
  });
}
