import { Entity } from '@backstage/catalog-model';
import { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { GroupOwnerProcessor } from './GroupOwnerProcessor';

const LOCATION = { type: 'file', target: '/catalog/org.yaml' };

async function emitted(entity: Entity) {
  const results: CatalogProcessorResult[] = [];
  await new GroupOwnerProcessor().postProcessEntity(entity, LOCATION, result =>
    results.push(result),
  );
  return results;
}

const group = (spec: Record<string, unknown>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'platform', namespace: 'eng' },
  spec: { type: 'team', children: [], ...spec },
});

describe('GroupOwnerProcessor', () => {
  it("turns a group's spec.owner into ownedBy and ownerOf relations, a bare name being a user", async () => {
    const results = await emitted(
      group({ owner: ['maria', 'group:default/leads'] }),
    );
    const platform = { kind: 'Group', namespace: 'eng', name: 'platform' };
    const maria = { kind: 'User', namespace: 'eng', name: 'maria' };
    const leads = { kind: 'group', namespace: 'default', name: 'leads' };
    expect(results).toEqual([
      {
        type: 'relation',
        relation: { source: platform, type: 'ownedBy', target: maria },
      },
      {
        type: 'relation',
        relation: { source: maria, type: 'ownerOf', target: platform },
      },
      {
        type: 'relation',
        relation: { source: platform, type: 'ownedBy', target: leads },
      },
      {
        type: 'relation',
        relation: { source: leads, type: 'ownerOf', target: platform },
      },
    ]);
  });

  it('leaves groups without an owner and other kinds alone, and reports a malformed owner', async () => {
    expect(await emitted(group({}))).toEqual([]);
    expect(
      await emitted({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'svc' },
        spec: { owner: 'maria' },
      }),
    ).toEqual([]);
    const [error] = await emitted(group({ owner: [42] }));
    expect(error).toMatchObject({
      type: 'error',
      error: { message: expect.stringContaining('spec.owner') },
    });
  });
});
