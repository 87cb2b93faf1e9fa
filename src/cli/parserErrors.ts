/**
 * The argument parser's (commander's) errors in foliocheck's one format, one line: `<where>: expected ...,
 * got ...`. Commander's own text takes two or three lines (the error, a suggestion, "(see --help)") and
 * never names a stray argument; here each command's errors are caught with the command's name, and stray
 * arguments are refused by name before the action runs.
 */
import type { Command, CommanderError } from 'commander';
import { UsageError } from './usageError.js';

/** A commander error with the command it was raised for. */
export class ParserError extends Error {
  override name = 'ParserError';
  readonly command: string;
  readonly error: CommanderError;
  constructor(command: string, error: CommanderError) {
    super(error.message);
    this.command = command;
    this.error = error;
  }
}

const quoted = (s: string): string => s.replace(/^'|'$/g, '');

/** One line, without the `foliocheck: ` prefix, for a commander error raised by `command`. */
export function parserErrorLine(command: string, e: CommanderError): string {
  const first = e.message.split('\n')[0]?.replace(/^error: /, '') ?? e.message;
  const help = `foliocheck ${command} --help`;
  const suggestion = /\(Did you mean (.+)\?\)/.exec(e.message)?.[1];
  switch (e.code) {
    case 'commander.unknownOption': {
      const flag = quoted(/'(.*)'/.exec(first)?.[1] ?? first);
      const expected = suggestion !== undefined ? `${suggestion} or another option of ${command}` : 'an option';
      return `${command}: expected ${expected} (${help}), got ${flag}`;
    }
    case 'commander.optionMissingArgument': {
      const flags = /'(.*)'/.exec(first)?.[1] ?? '';
      const [flag = flags, value = 'a value'] = flags.split(/ (.*)/);
      return `${flag}: expected ${value}, got nothing`;
    }
    case 'commander.unknownCommand': {
      const name = /'(.*)'/.exec(first)?.[1] ?? first;
      return `command: expected ${suggestion ?? 'a command'} (foliocheck --help), got ${name}`;
    }
    case 'commander.missingArgument': {
      const name = /'(.*)'/.exec(first)?.[1] ?? first;
      return `${command}: expected the argument ${name}, got nothing`;
    }
    default:
      return `${command}: expected valid arguments (${help}), got an error: ${first}`;
  }
}

/** Refuses operands beyond those `cmd` declares, naming the first stray one (commander only counts them). */
function refuseStrayArguments(cmd: Command): void {
  const declared = cmd.registeredArguments;
  if (declared.at(-1)?.variadic === true) return;
  const stray = cmd.args[declared.length];
  if (stray === undefined) return;
  const expected =
    declared.length === 0
      ? 'options only'
      : `at most ${declared.length} argument${declared.length === 1 ? '' : 's'} (${declared.map((a) => a.name()).join(', ')})`;
  throw new UsageError(`${cmd.name()}: expected ${expected}, got ${JSON.stringify(stray)}`);
}

/**
 * Sets `program` and its commands to raise `ParserError`s instead of writing commander's text, and to
 * refuse stray operands by name.
 */
export function oneLineParserErrors(program: Command): Command {
  for (const cmd of [program, ...program.commands]) {
    cmd
      .configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: () => {} })
      .showHelpAfterError(false)
      .allowExcessArguments(true)
      .exitOverride((e) => {
        throw e.exitCode === 0 ? e : new ParserError(cmd.name(), e);
      });
  }
  program.hook('preAction', (_program, action) => refuseStrayArguments(action));
  return program;
}
