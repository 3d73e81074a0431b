/** One manager of one person: the owner of a group and a member below it. */
export interface ManagedMember {
  managerRef: string;
  memberRef: string;
}

/** The catalog's "who manages whom", mirrored for permission rules. */
export interface ManagedMembersStore {
  /**
   * Makes the stored pairs exactly `pairs`, in one transaction, touching
   * only what changed.
   */
  replaceAll(
    pairs: ManagedMember[],
  ): Promise<{ added: number; removed: number }>;
  /** Each of these people's managers (people without any are left out). */
  managersOf(memberRefs: string[]): Promise<Map<string, string[]>>;
  /**
   * Whether one of `managerRefs` manages someone other than `callerRef`
   * (refs lower-case, as stored).
   */
  managesAnyoneBut(managerRefs: string[], callerRef: string): Promise<boolean>;
}
