/**
 * Python exceptions raised inside simulated programs. They are thrown into the program's
 * generator, so a program can catch them as Python code would; one left uncaught ends its thread
 * and is reported, as threading.excepthook does.
 */
export class PythonError extends Error {
  /** The Python exception type, e.g. `RuntimeError`. */
  readonly pythonType: string;

  constructor(pythonType: string, message: string) {
    super(message);
    this.name = pythonType;
    this.pythonType = pythonType;
  }
}

export class RuntimeError extends PythonError {
  constructor(message: string) {
    super('RuntimeError', message);
  }
}

export class ValueError extends PythonError {
  constructor(message: string) {
    super('ValueError', message);
  }
}
