/** Errors the store raises for callers to map (the HTTP layer turns them into 4xx answers). */

/** Another scan of the same scope is queued or running. */
export class ScanConflictError extends Error {
  constructor(readonly runningScanId: string) {
    super(`A scan of this scope is already running: ${runningScanId}`);
    this.name = "ScanConflictError";
  }
}

export class NotFoundError extends Error {
  constructor(
    readonly what: string,
    readonly id: string,
  ) {
    super(`${what} ${id} was not found`);
    this.name = "NotFoundError";
  }
}

/** Bad input: `field` names the parameter or JSON path. */
export class InvalidInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = "InvalidInputError";
  }
}

/** The request is valid but the object's state forbids it (e.g. findings of an unfinished scan). */
export class StateConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StateConflictError";
  }
}

/**
 * `instanceof` these classes also holds for another copy of this module: Next bundles the
 * start-up hook and the routes apart, and the process's one ScanJobs (created by whichever opens
 * it first) throws its own copy's classes. Each class marks its instances with a symbol from the
 * global registry and tests for that mark, so callers match errors by type, never by `name`.
 */
export function sharedAcrossBundles(cls: abstract new (...args: never[]) => Error, brand: string): void {
  const mark = Symbol.for(`speech-posture.error.${brand}`);
  Object.defineProperty(cls.prototype, mark, { value: true });
  Object.defineProperty(cls, Symbol.hasInstance, {
    value: (value: unknown) => typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[mark] === true,
  });
}
sharedAcrossBundles(ScanConflictError, "ScanConflictError");
sharedAcrossBundles(NotFoundError, "NotFoundError");
sharedAcrossBundles(InvalidInputError, "InvalidInputError");
sharedAcrossBundles(StateConflictError, "StateConflictError");

/** Unique-key violation, on either database. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string } | undefined;
  return e?.code === "23505" || e?.code === "SQLITE_CONSTRAINT_UNIQUE" || e?.code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
