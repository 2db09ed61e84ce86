// Invariant checks that stay on in production: a broken invariant in the tree is a bug to stop on,
// never a state to continue from (the replicas would diverge).

export class AssertionError extends Error {
  override readonly name = 'AssertionError';
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}
