import { InputError } from '@backstage/errors';
import { entityRefSchema } from '@active-sessions/plugin-sessions-common';

/** How much of a refused value a message repeats. */
const SHOWN_LENGTH = 80;

const shown = (value: string) =>
  JSON.stringify(
    value.length > SHOWN_LENGTH ? `${value.slice(0, SHOWN_LENGTH)}…` : value,
  );

/**
 * The people an input names, as the sessions API stores them: canonical
 * (lower-case) user entity refs, each once, in the order given. Anything
 * that is not a full user entity ref is refused, naming each offending
 * entry; a bare name is refused too (the template's entity picker turns
 * one into a full ref before it gets here).
 */
export function parsePeople(people: string[]): string[] {
  const problems: string[] = [];
  const refs: string[] = [];
  people.forEach((value, index) => {
    const parsed = entityRefSchema.safeParse(value);
    if (!parsed.success) {
      problems.push(
        `people[${index}] ${shown(value)} must be a user entity ref such as user:default/jane.doe`,
      );
      return;
    }
    const kind = parsed.data.slice(0, parsed.data.indexOf(':'));
    if (kind !== 'user') {
      problems.push(
        `people[${index}] ${shown(value)} is a ${kind}, not a user; offboarding takes people (kind user)`,
      );
      return;
    }
    refs.push(parsed.data);
  });
  if (problems.length > 0) {
    throw new InputError(
      `Invalid input to sessions:offboard: ${problems.join('; ')}. Nothing was changed.`,
    );
  }
  return [...new Set(refs)];
}

/**
 * Splits what a person typed into the code field: six digits (spaces
 * allowed, as authenticator apps show them) are a current code, anything
 * else a recovery code.
 */
export function secondFactor(
  stepUpCode: string,
): { code: string } | { recoveryCode: string } {
  const digits = stepUpCode.replace(/\s+/g, '');
  return /^\d{6}$/.test(digits)
    ? { code: digits }
    : { recoveryCode: stepUpCode.trim() };
}
