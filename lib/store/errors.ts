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

/** Unique-key violation, on either database. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string } | undefined;
  return e?.code === "23505" || e?.code === "SQLITE_CONSTRAINT_UNIQUE" || e?.code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
