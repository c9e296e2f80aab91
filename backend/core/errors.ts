// One error hierarchy: expected failures are AppErrors that say whether a retry can help; programmer mistakes are BugErrors.

export interface AppErrorOptions {
  retriable?: boolean;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: string;
  readonly retriable: boolean;

  constructor(code: string, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
}

/** One problem in one config file; `path` is the dotted field path inside that file. */
export interface ConfigProblem {
  file: string;
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export function formatConfigProblem(problem: ConfigProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}:${problem.column ?? 1}`;
  return problem.path === '' ? `${where}: ${problem.message}` : `${where}: ${problem.path}: ${problem.message}`;
}

export class ConfigError extends AppError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super('config_invalid', problems.map(formatConfigProblem).join('\n'));
    this.problems = problems;
  }
}

/** A role or command that a later milestone delivers; the CLI reports it instead of pretending to run. */
export class NotAvailableError extends AppError {
  constructor(what: string) {
    super('not_available', `${what} is not available in this build yet`);
  }
}

/** The command has already told the operator what failed (a report, a missed target); it only sets the exit code. */
export class ReportedFailure extends AppError {
  constructor(summary: string) {
    super('reported_failure', summary);
  }
}

/** A broken invariant inside our own code: never retried, never shown to operators as their fault. */
export class BugError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BugError';
  }
}

export function isRetriable(error: unknown): boolean {
  return error instanceof AppError && error.retriable;
}
