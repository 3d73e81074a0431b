/**
 * A catalog module that reads a Group's `spec.owner` as its owners, whom
 * Active Sessions treats as the managers of the group's members.
 *
 * @packageDocumentation
 */
export { catalogModuleGroupOwners as default } from './module';
export { GroupOwnerProcessor } from './GroupOwnerProcessor';
