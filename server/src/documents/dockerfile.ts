/**
 * A Dockerfile as build stages over `dockerfile-ast`, with the offsets rules and fixes work in.
 */
import { DockerfileParser, Dockerfile, From, Instruction } from 'dockerfile-ast';
import { LineIndex, Range } from '../text/lineIndex';
import './dockerfileAstCache';

export interface Stage {
  readonly index: number;
  /** `AS name`, lower-cased as BuildKit compares it. */
  readonly name: string | undefined;
  readonly from: From;
  /** Instructions after `FROM`, up to the next `FROM`. */
  readonly instructions: Instruction[];
  /** The image reference as written (`golang:1.22`, `$BASE`, `builder`). */
  readonly baseImage: string | undefined;
  /** The earlier stage this one builds on (`FROM builder`), if any. */
  readonly parent: Stage | undefined;
  readonly isFinal: boolean;
}

export class DockerfileModel {
  readonly ast: Dockerfile;
  readonly stages: Stage[];
  readonly lines: LineIndex;
  /** Instructions before the first FROM (global ARGs). */
  readonly preamble: Instruction[];

  constructor(readonly text: string) {
    this.ast = DockerfileParser.parse(text);
    this.lines = new LineIndex(text);
    const stages: Stage[] = [];
    const preamble: Instruction[] = [];
    let current: { from: From; instructions: Instruction[] } | undefined;
    const open: { from: From; instructions: Instruction[] }[] = [];
    this.instructionList = this.ast.getInstructions();
    for (const instruction of this.instructionList) {
      memoizeAccessors(instruction);
      if (instruction.getKeyword() === 'FROM') {
        current = { from: instruction as From, instructions: [] };
        open.push(current);
      } else if (current) {
        current.instructions.push(instruction);
      } else {
        preamble.push(instruction);
      }
    }
    open.forEach((s, index) => {
      const name = s.from.getBuildStage()?.toLowerCase() ?? undefined;
      const baseImage = s.from.getImage() ?? undefined;
      const parent = baseImage ? stages.find((p) => p.name === baseImage.toLowerCase()) : undefined;
      stages.push({ index, name, from: s.from, instructions: s.instructions, baseImage, parent, isFinal: index === open.length - 1 });
    });
    this.stages = stages;
    this.preamble = preamble;
  }

  get finalStage(): Stage | undefined {
    return this.stages[this.stages.length - 1];
  }

  span(range: Range): { start: number; end: number } {
    return { start: this.lines.offsetAt(range.start), end: this.lines.offsetAt(range.end) };
  }

  private readonly instructionList: Instruction[];

  /** Every instruction, ONBUILD triggers excluded, in file order. */
  instructions(): Instruction[] {
    return this.instructionList;
  }
}

/**
 * dockerfile-ast recomputes an instruction's arguments from its text on every call, and two dozen
 * rules ask for them: an instruction is immutable once parsed, so its argument accessors are cached
 * on the instance (the Dockerfile pack lints 3x faster with this).
 */
const CACHED_ACCESSORS = ['getArguments', 'getRawArguments', 'getArgumentsRange', 'getArgumentsRanges', 'getArgumentsContent', 'getRawArgumentsContent', 'getTextContent', 'getKeyword', 'getRange', 'getFlags', 'getHeredocs'];

/**
 * dockerfile-ast 0.7's getHeredocs throws when an escape is followed by a lone CR and then a
 * comment (`RUN a \\<CR># c<CR><LF> b`): it reads the escaped CR as CRLF, skips the `#` and takes
 * the next line break for the start of the body of a heredoc that was never opened. Every rule
 * that reads a RUN asks for its heredocs, so each of them threw. An instruction whose heredocs
 * cannot be read is linted as having none.
 */
function heredocsOf(instruction: Instruction, original: () => unknown): unknown {
  try {
    return original.call(instruction);
  } catch {
    return [];
  }
}

export function memoizeAccessors(instruction: Instruction): void {
  const target = instruction as unknown as Record<string, unknown>;
  for (const name of CACHED_ACCESSORS) {
    const original = target[name];
    if (typeof original !== 'function') continue;
    let computed = false;
    let value: unknown;
    Object.defineProperty(target, name, {
      configurable: true,
      value: (...args: unknown[]) => {
        if (args.length) return (original as (...a: unknown[]) => unknown).apply(instruction, args);
        if (!computed) {
          value = name === 'getHeredocs' ? heredocsOf(instruction, original as () => unknown) : (original as () => unknown).call(instruction);
          computed = true;
        }
        // A copy of a cached list: dockerfile-ast's own getArguments shifts the flags off the list it
        // gets from getRawArguments, which would otherwise strip them from the cached raw arguments.
        return Array.isArray(value) ? value.slice() : value;
      },
    });
  }
}
