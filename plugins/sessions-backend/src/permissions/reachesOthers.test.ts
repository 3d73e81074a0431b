import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { PropertyFilter } from '@active-sessions/plugin-sessions-node';
import { reachesOthers } from './reachesOthers';

type Criteria = PermissionCriteria<PropertyFilter<string>>;

const ME = 'user:default/maria';
const MY_TEAM = 'group:default/platform';

const leaf = (property: string, ...values: string[]): Criteria => ({
  property,
  values,
});
const mine = leaf('userRef', ME, MY_TEAM);
const bobs = leaf('userRef', 'user:default/bob');
const ssh = leaf('resourceType', 'ssh');

/** Maria's team manages people; she herself manages no one but herself. */
async function reaches(criteria: Criteria) {
  const asked: string[][] = [];
  const result = await reachesOthers(criteria, ME, async managerRefs => {
    asked.push(managerRefs);
    return managerRefs.includes(MY_TEAM);
  });
  return { result, asked };
}

describe('reachesOthers', () => {
  it('keeps the caller and their groups to themself on userRef', async () => {
    expect((await reaches(mine)).result).toBe(false);
    expect((await reaches(bobs)).result).toBe(true);
  });

  it('counts the caller named in another case as the caller', async () => {
    expect(
      (await reaches(leaf('userRef', 'user:default/Maria', 'GROUP:default/x')))
        .result,
    ).toBe(false);
    expect((await reaches(leaf('userRef', 'User:Default/Bob'))).result).toBe(
      true,
    );
  });

  it('asks the managers mirror about managedBy, in lower case', async () => {
    const team = await reaches(leaf('managedBy', ME, 'Group:Default/Platform'));
    expect(team).toEqual({ result: true, asked: [[ME, MY_TEAM]] });
    expect((await reaches(leaf('managedBy', ME))).result).toBe(false);
  });

  it('lets any other property reach others, a rule it does not know too', async () => {
    expect((await reaches(ssh)).result).toBe(true);
    expect((await reaches(leaf('kind', 'device_admin'))).result).toBe(true);
    expect((await reaches(leaf('region', 'eu'))).result).toBe(true);
  });

  it('reaches no one with a leaf without values, as in SQL', async () => {
    expect((await reaches(leaf('resourceType'))).result).toBe(false);
    expect((await reaches(leaf('managedBy'))).result).toBe(false);
  });

  it('reaches others with anyOf when one child does', async () => {
    expect((await reaches({ anyOf: [mine, ssh] })).result).toBe(true);
    expect((await reaches({ anyOf: [mine, mine] })).result).toBe(false);
  });

  it('reaches others with allOf only when every child does', async () => {
    expect((await reaches({ allOf: [bobs, ssh] })).result).toBe(true);
    expect((await reaches({ allOf: [mine, ssh] })).result).toBe(false);
  });

  it('takes not as reaching others, even where it would not', async () => {
    expect((await reaches({ not: mine })).result).toBe(true);
    // Not "not mine" is mine: erring towards offering the list.
    expect((await reaches({ not: { not: mine } })).result).toBe(true);
  });

  it('nests: their own, or the SSH sessions of people they manage', async () => {
    const alone: Criteria = {
      anyOf: [mine, { allOf: [ssh, leaf('managedBy', ME)] }],
    };
    expect((await reaches(alone)).result).toBe(false);
    const lead: Criteria = {
      anyOf: [mine, { allOf: [ssh, leaf('managedBy', MY_TEAM)] }],
    };
    expect((await reaches(lead)).result).toBe(true);
  });
});
