/** The subset of a pino logger the report uses; pass a pino logger or anything shaped like it. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  child(bindings: object): Logger;
}

/** A logger that discards everything (the default). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  child: () => silentLogger,
};
