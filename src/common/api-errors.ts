/** An input a client sent that cannot be served: answered 400 with the parameter named. */
export class BadParameterError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(`${parameter}: ${message}`);
  }
}

/** A resource that does not exist: answered 404. */
export class NotFoundError extends Error {}
