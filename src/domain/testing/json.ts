/**
 * JSON values for property tests: small alphabets, so two values drawn often are equal, or equal but for key order,
 * or differ in one member — the cases canonical comparison and signatures must get right.
 */
import fc from 'fast-check';

/**
 * JSON values built from `leaves`, arrays of up to 3 and objects of up to `maxKeys` members named from `keys`; with
 * `undefinedMembers`, members and items may also be `undefined` (which JSON writers drop or write as null).
 */
export function smallJson(
  leaves: readonly unknown[],
  keys: readonly string[],
  { maxKeys = 3, undefinedMembers = false }: { maxKeys?: number; undefinedMembers?: boolean } = {},
): fc.Arbitrary<unknown> {
  return fc.letrec<{ value: unknown; member: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom(...leaves),
      fc.array(tie('member'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom(...keys), tie('member'), { maxKeys }),
    ),
    member: undefinedMembers ? fc.oneof(tie('value'), fc.constant(undefined)) : tie('value'),
  })).value;
}

/** The same value with the members of every object, at every depth, in reverse order. */
export function withKeysReversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withKeysReversed);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, member]) => [key, withKeysReversed(member)]),
  );
}
