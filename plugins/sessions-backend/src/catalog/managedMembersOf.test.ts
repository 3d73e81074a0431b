import { Entity } from '@backstage/catalog-model';
import { catalogGroup } from '../__testUtils__/catalogGroup';
import { managedMembersOf } from './managedMembersOf';

const pairsOf = (groups: Entity[]) =>
  managedMembersOf(groups)
    .map(pair => `${pair.managerRef} -> ${pair.memberRef}`)
    .sort();

describe('managedMembersOf', () => {
  it('makes the owners of a group the managers of its members and of every group below it', () => {
    expect(
      pairsOf([
        catalogGroup('engineering', {
          ownedBy: ['user:default/Maria'],
          hasMember: ['user:default/maria'],
          parentOf: ['group:default/platform'],
        }),
        catalogGroup('platform', {
          ownedBy: ['group:default/platform-leads'],
          hasMember: ['user:default/jane'],
          parentOf: ['group:default/platform-db'],
        }),
        catalogGroup('platform-db', { hasMember: ['user:default/carol'] }),
        catalogGroup('security', { hasMember: ['user:default/bob'] }),
      ]),
    ).toEqual([
      'group:default/platform-leads -> user:default/carol',
      'group:default/platform-leads -> user:default/jane',
      // Maria, a member of the group she owns, does not manage herself.
      'user:default/maria -> user:default/carol',
      'user:default/maria -> user:default/jane',
    ]);
  });

  it('survives a cycle between groups and children missing from the catalog', () => {
    expect(
      pairsOf([
        catalogGroup('a', {
          ownedBy: ['user:default/omar'],
          hasMember: ['user:default/ann'],
          parentOf: ['group:default/b', 'group:default/gone'],
        }),
        catalogGroup('b', {
          hasMember: ['user:default/ben'],
          parentOf: ['group:default/a'],
        }),
      ]),
    ).toEqual([
      'user:default/omar -> user:default/ann',
      'user:default/omar -> user:default/ben',
    ]);
  });
});
